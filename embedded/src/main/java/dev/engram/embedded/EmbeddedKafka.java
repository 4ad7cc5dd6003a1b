package dev.engram.embedded;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.properties.MetaProperties;
import org.apache.kafka.metadata.properties.MetaPropertiesEnsemble;
import org.apache.kafka.metadata.storage.Formatter;

/**
 * A real Apache Kafka broker running inside this JVM: KRaft mode, one node that is both broker and controller,
 * listening on 127.0.0.1 only.
 *
 * <p>The first start formats {@link Options#dataDir()} the way {@code kafka-storage.sh format} does (a new cluster
 * id, static controller quorum); later starts, in this JVM or another one, find {@code meta.properties} there and
 * reuse the directory with its cluster id, topics and committed offsets. Ports asked for as 0 are picked once and
 * kept, so {@link #restart()} brings the broker back where clients expect it.
 *
 * <p>Topics are never created implicitly ({@code auto.create.topics.enable=false}): the code that owns a topic
 * creates it. Kafka's own INFO logging is turned down to WARN on start, see {@link KafkaLogLevels}.
 *
 * <p>Like a standalone broker, Kafka halts the JVM on faults it deems fatal, such as losing its log directory: keep
 * the data directory in place while the broker runs.
 *
 * <p>Thread-safe; {@link #stop()}, {@link #restart()} and {@link #close()} may be called from any thread.
 */
public final class EmbeddedKafka implements AutoCloseable {

    /**
     * Where and how to run the broker.
     *
     * @param dataDir the log directory (also holds the KRaft metadata log); created if missing, never deleted
     * @param port the client (PLAINTEXT) port, or 0 to pick a free one on first start
     * @param controllerPort the KRaft controller port, or 0 to pick a free one on first start
     */
    public record Options(Path dataDir, int port, int controllerPort) {

        /** Checks the arguments. */
        public Options {
            requireNonNull(dataDir, "dataDir");
            FreePorts.check(port, "port");
            FreePorts.check(controllerPort, "controllerPort");
            if (port != 0 && port == controllerPort) {
                throw new IllegalArgumentException("port and controllerPort must differ, both were " + port);
            }
        }
    }

    private static final System.Logger LOG = System.getLogger(EmbeddedKafka.class.getName());
    private static final String HOST = "127.0.0.1";
    private static final int NODE_ID = 1;
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    /** How many times a start retries with new ports when ports it picked itself were taken meanwhile. */
    private static final int PORT_ATTEMPTS = 3;

    private final Path dataDir;
    private final String clusterId;
    private final int port;
    private final int controllerPort;
    private KafkaRaftServer server;

    private EmbeddedKafka(Path dataDir, String clusterId, int port, int controllerPort) {
        this.dataDir = dataDir;
        this.clusterId = clusterId;
        this.port = port;
        this.controllerPort = controllerPort;
    }

    /**
     * Formats {@code options.dataDir()} unless it already holds a formatted log directory, then starts the broker
     * and returns once it is registered and accepting clients.
     *
     * @throws IllegalStateException if the broker cannot start (the directory is used by another broker, a fixed
     *     port is taken, ...)
     */
    public static EmbeddedKafka start(Options options) {
        requireNonNull(options, "options");
        KafkaLogLevels.quietBroker();
        Path dataDir = options.dataDir().toAbsolutePath().normalize();
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the Kafka data directory " + dataDir, e);
        }
        if (options.port() != 0) {
            FreePorts.requireFree(options.port(), "Kafka client port");
        }
        if (options.controllerPort() != 0) {
            FreePorts.requireFree(options.controllerPort(), "Kafka controller port");
        }
        String clusterId = formatIfNeeded(dataDir);
        for (int attempt = 1; ; attempt++) {
            int port = options.port() == 0 ? FreePorts.pickOtherThan(options.controllerPort()) : options.port();
            int controllerPort =
                    options.controllerPort() == 0 ? FreePorts.pickOtherThan(port) : options.controllerPort();
            EmbeddedKafka kafka = new EmbeddedKafka(dataDir, clusterId, port, controllerPort);
            try {
                kafka.startServer();
                return kafka;
            } catch (RuntimeException e) {
                // Fixed ports were checked just before; a bind failure now means a picked one was taken meanwhile.
                boolean pickedPorts = options.port() == 0 || options.controllerPort() == 0;
                if (!pickedPorts || !causedByBind(e) || attempt == PORT_ATTEMPTS) {
                    throw e;
                }
                LOG.log(System.Logger.Level.DEBUG, "Picked port taken meanwhile, retrying (attempt {0})", attempt);
            }
        }
    }

    /** The address clients connect to: {@code 127.0.0.1:<port>}. */
    public String bootstrapServers() {
        return HOST + ":" + port();
    }

    /** The client port; stays the same across {@link #restart()}. */
    public int port() {
        return port;
    }

    /** The KRaft controller port; stays the same across {@link #restart()}. */
    public int controllerPort() {
        return controllerPort;
    }

    /** The id of the cluster, kept in {@code meta.properties} of the data directory. */
    public String clusterId() {
        return clusterId;
    }

    /** The log directory of this broker. */
    public Path dataDir() {
        return dataDir;
    }

    /** Whether the broker is up (started and not stopped). */
    public synchronized boolean isRunning() {
        return server != null;
    }

    /** Shuts the broker down and waits for it; the data directory and the ports are kept. No-op if stopped. */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        long began = System.nanoTime();
        KafkaRaftServer stopping = server;
        server = null;
        stopping.shutdown();
        stopping.awaitShutdown();
        LOG.log(
                System.Logger.Level.INFO,
                "Kafka broker on port {0} stopped in {1} ms",
                String.valueOf(port),
                millisSince(began));
    }

    /**
     * Starts the broker again after {@link #stop()}: same ports, same data directory, same cluster id. Clients that
     * kept running reconnect by themselves. No-op if running.
     */
    public synchronized void restart() {
        if (server == null) {
            startServer();
        }
    }

    /** Stops the broker if it is running. The data directory is left in place. */
    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return "EmbeddedKafka[" + bootstrapServers() + ", dataDir=" + dataDir + ", running=" + isRunning() + "]";
    }

    private synchronized void startServer() {
        long began = System.nanoTime();
        FreePorts.requireFree(port, "Kafka client port");
        FreePorts.requireFree(controllerPort, "Kafka controller port");
        KafkaConfig config = KafkaConfig.fromProps(brokerProperties(), false);
        KafkaRaftServer starting = new KafkaRaftServer(config, Time.SYSTEM);
        try {
            starting.startup();
        } catch (RuntimeException e) {
            // startup() already shut the half-started parts down; make sure nothing keeps running.
            shutdownQuietly(starting);
            throw new IllegalStateException("Kafka broker failed to start on " + bootstrapServers(), e);
        }
        server = starting;
        LOG.log(
                System.Logger.Level.INFO,
                "Kafka broker started on {0} in {1} ms (cluster {2})",
                bootstrapServers(),
                millisSince(began),
                clusterId);
    }

    private Properties brokerProperties() {
        Map<String, String> config = new TreeMap<>();
        // One node, both roles, static quorum of itself.
        config.put("process.roles", "broker,controller");
        config.put("node.id", Integer.toString(NODE_ID));
        config.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
        config.put("controller.listener.names", CONTROLLER_LISTENER);
        config.put(
                "listeners",
                "PLAINTEXT://" + HOST + ":" + port + "," + CONTROLLER_LISTENER + "://" + HOST + ":" + controllerPort);
        config.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + port);
        config.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        config.put("inter.broker.listener.name", "PLAINTEXT");
        config.put("log.dirs", dataDir.toString());
        // Topics belong to the code that declares them.
        config.put("auto.create.topics.enable", "false");
        // A single replica of everything, internal topics included.
        config.put("num.partitions", "1");
        config.put("default.replication.factor", "1");
        config.put("min.insync.replicas", "1");
        config.put("offsets.topic.replication.factor", "1");
        config.put("offsets.topic.num.partitions", "1");
        config.put("transaction.state.log.replication.factor", "1");
        config.put("transaction.state.log.min.isr", "1");
        config.put("transaction.state.log.num.partitions", "1");
        config.put("share.coordinator.state.topic.replication.factor", "1");
        config.put("share.coordinator.state.topic.min.isr", "1");
        config.put("group.initial.rebalance.delay.ms", "0");
        // Local-machine sizing: small segments, a week of data at most 256 MiB per partition, few threads.
        config.put("log.segment.bytes", Integer.toString(16 * 1024 * 1024));
        config.put("log.retention.hours", "168");
        config.put("log.retention.bytes", Long.toString(256L * 1024 * 1024));
        config.put("log.cleaner.dedupe.buffer.size", Integer.toString(8 * 1024 * 1024));
        config.put("num.network.threads", "2");
        config.put("num.io.threads", "2");
        config.put("background.threads", "2");
        config.put("num.recovery.threads.per.data.dir", "1");
        Properties properties = new Properties();
        properties.putAll(config);
        return properties;
    }

    /** Returns the cluster id found in {@code dataDir}, formatting the directory first if it holds none. */
    private static String formatIfNeeded(Path dataDir) {
        String dir = dataDir.toString();
        try {
            MetaPropertiesEnsemble existing =
                    new MetaPropertiesEnsemble.Loader().addMetadataLogDir(dir).load();
            MetaProperties props = existing.logDirProps().get(dir);
            if (props != null && props.clusterId().isPresent()) {
                int nodeId = props.nodeId().orElse(NODE_ID);
                if (nodeId != NODE_ID) {
                    throw new IllegalStateException(
                            dataDir + " was formatted for node " + nodeId + ", not the embedded node " + NODE_ID);
                }
                LOG.log(System.Logger.Level.DEBUG, "Reusing formatted Kafka data directory {0}", dataDir);
                return props.clusterId().get();
            }
            String clusterId = Uuid.randomUuid().toString();
            new Formatter()
                    .setPrintStream(new PrintStream(PrintStream.nullOutputStream()))
                    .setNodeId(NODE_ID)
                    .setClusterId(clusterId)
                    .setControllerListenerName(CONTROLLER_LISTENER)
                    .setMetadataLogDirectory(Optional.of(dir))
                    .addDirectory(dir)
                    .setHasDynamicQuorum(false)
                    .run();
            LOG.log(System.Logger.Level.DEBUG, "Formatted Kafka data directory {0}", dataDir);
            return clusterId;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or format the Kafka data directory " + dataDir, e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("Cannot format the Kafka data directory " + dataDir, e);
        }
    }

    private static boolean causedByBind(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException) {
                return true;
            }
        }
        return false;
    }

    private static void shutdownQuietly(KafkaRaftServer server) {
        try {
            server.shutdown();
            server.awaitShutdown();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "Ignoring failure while cleaning up a failed start", e);
        }
    }

    private static String millisSince(long nanos) {
        return String.valueOf((System.nanoTime() - nanos) / 1_000_000);
    }
}

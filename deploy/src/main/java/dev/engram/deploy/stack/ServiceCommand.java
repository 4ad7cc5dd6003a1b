package dev.engram.deploy.stack;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The exact command line and environment one service is started with.
 *
 * @param service the service
 * @param jar the packaged application, {@code <module>/target/quarkus-app/quarkus-run.jar}
 * @param command {@code java <flags> -jar <module>/target/quarkus-app/quarkus-run.jar}
 * @param environment the variables set on top of the launcher's own environment
 * @param workingDir where the service runs
 * @param logFile where its stdout and stderr go
 */
public record ServiceCommand(
        ServiceSpec service,
        Path jar,
        List<String> command,
        Map<String, String> environment,
        Path workingDir,
        Path logFile) {

    /** Flags every service needs: Lucene's vector API and native access for ONNX Runtime. */
    public static final List<String> REQUIRED_JVM_FLAGS =
            List.of("--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED");

    /** The only interface the services listen on: the gateway is their public face. */
    static final String SERVICE_HOST = "127.0.0.1";

    public ServiceCommand {
        command = List.copyOf(command);
        environment = Map.copyOf(environment);
    }

    /**
     * Builds the command of a service of the local stack.
     *
     * @param service the service
     * @param config the stack's configuration
     * @param infra where Kafka and PostgreSQL are
     * @return the command
     */
    public static ServiceCommand of(ServiceSpec service, StackConfig config, InfraEndpoints infra) {
        List<String> command = new ArrayList<>();
        command.add(config.java().toString());
        // The whole heap from the start: left to size itself, G1 shrank an idle search-service to a 60 MB heap whose
        // 34 MB young generation was collected four times a second under search load, and the pauses set the p95.
        command.add("-Xms" + config.serviceHeap());
        command.add("-Xmx" + config.serviceHeap());
        command.addAll(REQUIRED_JVM_FLAGS);
        command.addAll(config.serviceJavaOptions());
        Path jar = service.runnerJar(config.repoDir());
        command.add("-jar");
        command.add(jar.toString());

        Map<String, String> env = new LinkedHashMap<>();
        env.put("QUARKUS_HTTP_HOST", SERVICE_HOST);
        env.put("QUARKUS_HTTP_PORT", Integer.toString(service.port()));
        env.put("KAFKA_BOOTSTRAP_SERVERS", infra.kafkaBootstrapServers());
        env.put("QUARKUS_DATASOURCE_REACTIVE_URL", infra.reactiveUrl());
        env.put("QUARKUS_DATASOURCE_JDBC_URL", infra.jdbcUrl());
        env.put("QUARKUS_DATASOURCE_USERNAME", infra.username());
        env.put("QUARKUS_DATASOURCE_PASSWORD", infra.password());
        env.put("ENGRAM_AUTH_BOOTSTRAP_KEY", config.apiKey());
        env.put("ENGRAM_DATA_DIR", config.dataDir().toString());
        env.put("QUARKUS_LOG_CONSOLE_JSON_ENABLED", "false"); // plain text for ./engram logs; JSON in deployments
        if (service.name().equals("router-service")) {
            // The router asks search-service for memories, and ingest-service for a conversation's stored turns,
            // directly, not through the gateway ...
            env.put(
                    "ROUTER_MEMORY_SEARCH_URL",
                    "http://" + SERVICE_HOST + ":"
                            + config.service("search-service").port());
            env.put(
                    "ROUTER_CONVERSATIONS_HISTORY_URL",
                    "http://" + SERVICE_HOST + ":"
                            + config.service("ingest-service").port());
            // ... and ingest-service who a key other than the bootstrap key is.
            env.put(
                    "ENGRAM_AUTH_KEYS_URL",
                    "http://" + SERVICE_HOST + ":"
                            + config.service("ingest-service").port());
        }

        return new ServiceCommand(
                service, jar, command, env, config.home(), config.logDir().resolve(service.name() + ".log"));
    }
}

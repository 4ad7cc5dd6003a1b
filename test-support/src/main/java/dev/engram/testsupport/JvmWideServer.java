package dev.engram.testsupport;

import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;
import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.AttributeNotFoundException;
import javax.management.DynamicMBean;
import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanException;
import javax.management.MBeanInfo;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanParameterInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.ReflectionException;

/**
 * Makes a test server a singleton of the JVM rather than of a class loader.
 *
 * <p>Quarkus loads the classes of each test profile — this module's included — in a class loader of their own, so a
 * static field holds one value per profile, not per JVM. Left alone, every profile would start a broker and a
 * database server of its own, on other ports and with other data.
 *
 * <p>The JVM-wide part lives in the platform MBean server, which all class loaders share: one MBean per kind of
 * server, registered by the class loader whose copy currently runs it, carrying the settings a successor needs
 * (data directory, ports, database name) and a {@code stop} operation. Only JDK types cross class loaders. When code
 * in another class loader asks for the server, that loader stops the running copy and starts its own on the same
 * directory and ports: clients see a short outage at a profile change, and the address and the data stay. At JVM
 * exit {@link #stopAll()} stops whichever copies run.
 */
final class JvmWideServer<S extends AutoCloseable> implements DynamicMBean {

    private static final String DOMAIN = "dev.engram.testsupport";
    private static final MBeanServer MBEANS = ManagementFactory.getPlatformMBeanServer();
    /** A monitor every class loader sees (the platform MBean server is one object per JVM). */
    static final Object JVM_LOCK = MBEANS;

    private static final String OWNER = "Owner";
    private static final String SETTINGS = "Settings";
    private static final String STOP = "stop";

    private final ObjectName name;
    private final String owner = UUID.randomUUID().toString();
    private final Function<Map<String, String>, S> starter;
    private final Function<S, Map<String, String>> settings;
    private final Consumer<S> resumer;
    private S server;

    /**
     * @param kind the kind of server, e.g. {@code kafka}
     * @param starter starts this loader's server given the settings of a predecessor (empty if there was none)
     * @param settings what a successor needs to take over (data directory, ports, ...)
     * @param resumer restarts this loader's server after another loader had taken over (same settings)
     */
    JvmWideServer(
            String kind,
            Function<Map<String, String>, S> starter,
            Function<S, Map<String, String>> settings,
            Consumer<S> resumer) {
        this.name = objectName("type=TestServer,name=" + kind);
        this.starter = starter;
        this.settings = settings;
        this.resumer = resumer;
    }

    /**
     * Returns this class loader's server, starting it — or taking over from another class loader's copy — unless it
     * is the one that runs. A server stopped by a test is returned as it is.
     */
    S get() {
        synchronized (JVM_LOCK) {
            if (server != null && isOwner()) {
                return server;
            }
            Map<String, String> previous = takeOver();
            if (server == null) {
                server = starter.apply(previous);
            } else {
                resumer.accept(server);
            }
            register();
            return server;
        }
    }

    /** Stops the servers of all kinds, whichever class loader runs them. For the JVM shutdown hook. */
    static void stopAll() {
        synchronized (JVM_LOCK) {
            for (ObjectName each : MBEANS.queryNames(objectName("type=TestServer,*"), null)) {
                try {
                    MBEANS.invoke(each, STOP, null, null);
                } catch (JMException e) {
                    System.getLogger(JvmWideServer.class.getName())
                            .log(System.Logger.Level.WARNING, "Could not stop " + each + " at JVM exit", e);
                }
            }
        }
    }

    private boolean isOwner() {
        try {
            return owner.equals(MBEANS.getAttribute(name, OWNER));
        } catch (InstanceNotFoundException e) {
            return false;
        } catch (JMException e) {
            throw new IllegalStateException("Cannot read " + name, e);
        }
    }

    /** Stops and unregisters the copy another class loader runs; returns its settings, or none if there was none. */
    @SuppressWarnings("unchecked")
    private Map<String, String> takeOver() {
        try {
            Map<String, String> previous = Map.copyOf((Map<String, String>) MBEANS.getAttribute(name, SETTINGS));
            MBEANS.invoke(name, STOP, null, null);
            MBEANS.unregisterMBean(name);
            return previous;
        } catch (InstanceNotFoundException none) {
            return Map.of();
        } catch (JMException e) {
            throw new IllegalStateException("Cannot take over " + name + " from another class loader", e);
        }
    }

    private void register() {
        try {
            MBEANS.registerMBean(this, name);
        } catch (InstanceAlreadyExistsException e) {
            throw new IllegalStateException(name + " was registered concurrently", e);
        } catch (JMException e) {
            throw new IllegalStateException("Cannot register " + name, e);
        }
    }

    @Override
    public Object getAttribute(String attribute) throws AttributeNotFoundException {
        return switch (attribute) {
            case OWNER -> owner;
            case SETTINGS -> Map.copyOf(settings.apply(server));
            default -> throw new AttributeNotFoundException(attribute);
        };
    }

    @Override
    public Object invoke(String actionName, Object[] params, String[] signature)
            throws MBeanException, ReflectionException {
        if (!STOP.equals(actionName)) {
            throw new ReflectionException(new NoSuchMethodException(actionName));
        }
        try {
            server.close();
            return null;
        } catch (Exception e) {
            throw new MBeanException(e, "Could not stop " + server);
        }
    }

    @Override
    public void setAttribute(Attribute attribute) throws AttributeNotFoundException {
        throw new AttributeNotFoundException(attribute.getName() + " is read-only");
    }

    @Override
    public AttributeList getAttributes(String[] attributes) {
        AttributeList list = new AttributeList();
        for (String attribute : attributes) {
            try {
                list.add(new Attribute(attribute, getAttribute(attribute)));
            } catch (AttributeNotFoundException e) {
                // Skipped, as the DynamicMBean contract allows.
            }
        }
        return list;
    }

    @Override
    public AttributeList setAttributes(AttributeList attributes) {
        return new AttributeList();
    }

    @Override
    public MBeanInfo getMBeanInfo() {
        return new MBeanInfo(
                JvmWideServer.class.getName(),
                "A test server shared by all class loaders of this JVM",
                new MBeanAttributeInfo[] {
                    new MBeanAttributeInfo(OWNER, String.class.getName(), "Id of the running copy", true, false, false),
                    new MBeanAttributeInfo(SETTINGS, Map.class.getName(), "What a successor needs", true, false, false)
                },
                null,
                new MBeanOperationInfo[] {
                    new MBeanOperationInfo(
                            STOP, "Stops the server", new MBeanParameterInfo[0], "void", MBeanOperationInfo.ACTION)
                },
                null);
    }

    private static ObjectName objectName(String properties) {
        try {
            return new ObjectName(DOMAIN + ":" + properties);
        } catch (JMException e) {
            throw new IllegalArgumentException(properties, e);
        }
    }
}

package dev.engram.bench;

import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Reads another JVM's heap occupancy from its performance counters (the {@code hsperfdata} file {@code jstat} reads:
 * no attach, nothing runs in the target). Reached by reflection, as the JDK exports the API only on request: the JVM
 * running this must have {@code --add-modules=jdk.internal.jvmstat --add-exports
 * jdk.internal.jvmstat/sun.jvmstat.monitor=ALL-UNNAMED} ({@code ./engram bench load} passes them); without them, or if
 * the target runs with {@code -XX:-UsePerfData}, {@link #oldGenUsed} is empty and the report says so.
 */
final class LoadHeap implements AutoCloseable {

    /** G1's old generation in use: what young collections leave behind, the live set plus garbage not yet mixed. */
    static final String OLD_USED = "sun.gc.generation.1.space.0.used";

    private final Map<Long, Object> vms = new HashMap<>();
    private final Object host;
    private final String unavailable;

    LoadHeap() {
        Object found = null;
        String why = null;
        try {
            Class<?> hostClass = Class.forName("sun.jvmstat.monitor.MonitoredHost");
            found = hostClass.getMethod("getMonitoredHost", String.class).invoke(null, "localhost");
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            why = e.getClass().getSimpleName();
        }
        host = found;
        unavailable = why;
    }

    /** Why heap figures cannot be read, or {@code null} if they can be tried. */
    String unavailable() {
        return unavailable;
    }

    /** Bytes of the old generation in use in JVM {@code pid}; empty if it cannot be read. */
    OptionalLong oldGenUsed(long pid) {
        if (host == null) {
            return OptionalLong.empty();
        }
        try {
            Object vm = vms.get(pid);
            if (vm == null) {
                Class<?> idClass = Class.forName("sun.jvmstat.monitor.VmIdentifier");
                Object id = idClass.getConstructor(String.class).newInstance("//" + pid);
                // Through the exported abstract type: the implementation's own class is not exported.
                Method get = Class.forName("sun.jvmstat.monitor.MonitoredHost").getMethod("getMonitoredVm", idClass);
                vm = get.invoke(host, id);
                vms.put(pid, vm);
            }
            Method find = Class.forName("sun.jvmstat.monitor.MonitoredVm").getMethod("findByName", String.class);
            Object monitor = find.invoke(vm, OLD_USED);
            if (monitor == null) {
                return OptionalLong.empty();
            }
            Object value = Class.forName("sun.jvmstat.monitor.Monitor")
                    .getMethod("getValue")
                    .invoke(monitor);
            return value instanceof Number n ? OptionalLong.of(n.longValue()) : OptionalLong.empty();
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return OptionalLong.empty();
        }
    }

    @Override
    public void close() {
        for (Object vm : vms.values()) {
            try {
                Class.forName("sun.jvmstat.monitor.MonitoredVm")
                        .getMethod("detach")
                        .invoke(vm);
            } catch (ReflectiveOperationException | RuntimeException e) {
                // best effort
            }
        }
        vms.clear();
    }
}

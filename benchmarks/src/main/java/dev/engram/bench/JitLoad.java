package dev.engram.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The CPU time the JIT compiler threads of the stack's JVMs use ({@code C1 CompilerThre…} and {@code C2
 * CompilerThre…} in {@code /proc/<pid>/task/<tid>/comm}), read without touching the processes. A fresh JVM compiles
 * its hot paths for a minute or more, on the cores the measured pipeline needs; the report shows how much of that fell
 * into the end-to-end phase, which a warm-up is meant to keep out of it.
 */
final class JitLoad {

    /** Clock ticks per second of {@code /proc}'s times ({@code USER_HZ}; 100 on every Linux this runs on). */
    static final double TICKS_PER_SECOND = 100;

    private final Path proc;
    private final Map<String, Long> pids;

    JitLoad(Path proc, Map<String, Long> pids) {
        this.proc = proc;
        this.pids = Map.copyOf(pids);
    }

    /** The processes of the stack whose pid files are in {@code runDir}; none if it has none. */
    static JitLoad ofStack(Path runDir) {
        Map<String, Long> pids;
        try {
            pids = LoadProcesses.pids(runDir);
        } catch (IOException e) {
            pids = Map.of();
        }
        return new JitLoad(Path.of("/proc"), pids);
    }

    /** Whether there is any process to read. */
    boolean knowsProcesses() {
        return !pids.isEmpty();
    }

    /** Each process's compiler ticks now, by name; processes whose {@code /proc} entry cannot be read are left out. */
    Map<String, Long> ticks() {
        Map<String, Long> ticks = new LinkedHashMap<>();
        pids.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(process ->
                        compilerTicks(proc, process.getValue()).ifPresent(value -> ticks.put(process.getKey(), value)));
        return ticks;
    }

    /** Seconds of compiler CPU per process between two {@link #ticks()} readings (processes in both only). */
    static Map<String, Double> secondsBetween(Map<String, Long> start, Map<String, Long> end) {
        Map<String, Double> seconds = new LinkedHashMap<>();
        end.forEach((name, ticks) -> {
            Long before = start.get(name);
            if (before != null) {
                seconds.put(name, Math.max(0, ticks - before) / TICKS_PER_SECOND);
            }
        });
        return seconds;
    }

    /** {@code 33.0 CPU-seconds (ingest-service 15.8, memory-writer 17.2)}, the busiest first. */
    static String describe(Map<String, Double> seconds) {
        double total =
                seconds.values().stream().mapToDouble(Double::doubleValue).sum();
        String each = seconds.entrySet().stream()
                .filter(e -> e.getValue() >= 0.05)
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .map(e -> String.format(Locale.ROOT, "%s %.1f", e.getKey(), e.getValue()))
                .collect(Collectors.joining(", "));
        return String.format(Locale.ROOT, "%.1f CPU-seconds", total) + (each.isEmpty() ? "" : " (" + each + ")");
    }

    /** The summed user and system ticks of the JIT compiler threads of process {@code pid}; empty if it is gone. */
    static OptionalLong compilerTicks(Path proc, long pid) {
        Path tasks = proc.resolve(Long.toString(pid)).resolve("task");
        if (!Files.isDirectory(tasks)) {
            return OptionalLong.empty();
        }
        long total = 0;
        try (Stream<Path> threads = Files.list(tasks)) {
            for (Path thread : threads.toList()) {
                try {
                    if (isCompiler(Files.readString(thread.resolve("comm")).strip())) {
                        total += cpuTicks(Files.readString(thread.resolve("stat")));
                    }
                } catch (IOException | RuntimeException e) {
                    // the thread ended between the listing and the read
                }
            }
        } catch (IOException e) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(total);
    }

    /** HotSpot's compiler threads: {@code C1 CompilerThread0}, {@code C2 CompilerThread1}, … (cut to 15 chars). */
    static boolean isCompiler(String comm) {
        return comm.startsWith("C1 CompilerThre") || comm.startsWith("C2 CompilerThre");
    }

    /**
     * User plus system ticks from a {@code stat} line: fields 14 and 15, counted after the command name in
     * parentheses, which may itself hold spaces and parentheses.
     */
    static long cpuTicks(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
        // fields[0] is field 3 (the state), so field n is fields[n - 3]
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }
}

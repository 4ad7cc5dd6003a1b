package dev.engram.bench;

import dev.engram.embeddings.OnnxMiniLmEmbedder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The CPU time some threads of the stack's JVMs use, picked by name ({@code /proc/<pid>/task/<tid>/comm}) and read
 * without touching the processes:
 *
 * <ul>
 *   <li>{@link #COMPILERS}, the JIT compilers ({@code C1 CompilerThre…}, {@code C2 CompilerThre…}). A fresh JVM
 *       compiles its hot paths for a minute or more, on the cores the measured pipeline needs; the report shows how
 *       much of that fell into the end-to-end phase, which a warm-up is meant to keep out of it.
 *   <li>{@link #EMBEDDERS}, the threads that run the embedding model ({@code onnx-embedder-N}). What the machine did
 *       besides, in the end-to-end phase, is what the pipeline costs beyond the model: a figure that moves far less
 *       from run to run than the ratio does.
 * </ul>
 */
final class ThreadLoad {

    /** The JIT compiler threads of a HotSpot JVM. */
    static final Predicate<String> COMPILERS = ThreadLoad::isCompiler;

    /** The threads of the in-process embedding model. */
    static final Predicate<String> EMBEDDERS = ThreadLoad::isEmbedder;

    /** Clock ticks per second of {@code /proc}'s times ({@code USER_HZ}; 100 on every Linux this runs on). */
    static final double TICKS_PER_SECOND = 100;

    private final Path proc;
    private final Map<String, Long> pids;
    private final Predicate<String> threads;

    ThreadLoad(Path proc, Map<String, Long> pids, Predicate<String> threads) {
        this.proc = proc;
        this.pids = Map.copyOf(pids);
        this.threads = threads;
    }

    /** The {@code threads} of the stack's processes whose pid files are in {@code runDir}; none if it has none. */
    static ThreadLoad ofStack(Path runDir, Predicate<String> threads) {
        Map<String, Long> pids;
        try {
            pids = LoadProcesses.pids(runDir);
        } catch (IOException e) {
            pids = Map.of();
        }
        return new ThreadLoad(Path.of("/proc"), pids, threads);
    }

    /** Whether there is any process to read. */
    boolean knowsProcesses() {
        return !pids.isEmpty();
    }

    /** Each process's ticks of the threads now, by name; processes whose {@code /proc} entry cannot be read are left out. */
    Map<String, Long> ticks() {
        Map<String, Long> ticks = new LinkedHashMap<>();
        pids.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(process -> threadTicks(proc, process.getValue(), threads)
                        .ifPresent(value -> ticks.put(process.getKey(), value)));
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

    /** The summed user and system ticks of the {@code threads} of process {@code pid}; empty if it is gone. */
    static OptionalLong threadTicks(Path proc, long pid, Predicate<String> threads) {
        Path tasks = proc.resolve(Long.toString(pid)).resolve("task");
        if (!Files.isDirectory(tasks)) {
            return OptionalLong.empty();
        }
        long total = 0;
        try (Stream<Path> listing = Files.list(tasks)) {
            for (Path thread : listing.toList()) {
                try {
                    if (threads.test(Files.readString(thread.resolve("comm")).strip())) {
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

    /** The embedding model's threads: {@code onnx-embedder-1}, … (cut to 15 chars, which keeps the prefix). */
    static boolean isEmbedder(String comm) {
        return comm.startsWith(OnnxMiniLmEmbedder.THREAD_NAME_PREFIX);
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

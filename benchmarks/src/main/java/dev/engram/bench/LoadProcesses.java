package dev.engram.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * The memory of the stack's processes, read without touching them: resident set size from {@code /proc/<pid>/status}
 * ({@code VmRSS}), and the Java heap in use from the JVM's own performance counters (the {@code hsperfdata} file
 * {@code jstat} reads), when this JVM may read them (it needs {@code --add-exports
 * jdk.internal.jvmstat/sun.jvmstat.monitor=ALL-UNNAMED}; without it the heap figures are left out).
 */
final class LoadProcesses {

    private LoadProcesses() {}

    /** The stack's processes by name, from the launcher's pid files ({@code <run dir>/<service>.pid}). */
    static Map<String, Long> pids(Path runDir) throws IOException {
        Map<String, Long> pids = new LinkedHashMap<>();
        if (!Files.isDirectory(runDir)) {
            return pids;
        }
        try (Stream<Path> files = Files.list(runDir)) {
            for (Path file : files.sorted().toList()) {
                String name = file.getFileName().toString();
                if (!name.endsWith(".pid")) {
                    continue;
                }
                String text = Files.readString(file).replaceAll("[^0-9]", "");
                if (!text.isEmpty()) {
                    pids.put(name.substring(0, name.length() - 4), Long.parseLong(text));
                }
            }
        }
        return pids;
    }

    /** {@code VmRSS} of a process in bytes; empty if it is gone or the file cannot be read. */
    static OptionalLong rss(long pid) {
        try {
            return rssOf(Files.readString(Path.of("/proc", Long.toString(pid), "status")));
        } catch (IOException e) {
            return OptionalLong.empty();
        }
    }

    /** Parses the {@code VmRSS:   123456 kB} line of a {@code /proc/<pid>/status} text. */
    static OptionalLong rssOf(String status) {
        for (String line : status.split("\n")) {
            if (line.startsWith("VmRSS:")) {
                String[] parts = line.substring(6).trim().split("\\s+");
                long value = Long.parseLong(parts[0]);
                long unit = parts.length > 1 ? unitBytes(parts[1]) : 1;
                return OptionalLong.of(value * unit);
            }
        }
        return OptionalLong.empty();
    }

    private static long unitBytes(String unit) {
        return switch (unit.toLowerCase(java.util.Locale.ROOT)) {
            case "kb" -> 1024L;
            case "mb" -> 1024L * 1024;
            case "gb" -> 1024L * 1024 * 1024;
            default -> 1L;
        };
    }
}

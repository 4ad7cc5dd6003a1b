package dev.engram.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * How busy the machine is, and how much of that is this process: the aggregate {@code cpu} line of Linux's
 * {@code /proc/stat} (every process on the machine, in clock ticks) against this JVM's own CPU time, over a window.
 *
 * <p>Where {@code /proc/stat} is absent or unreadable (not Linux), the machine's load is unknown; nothing here fails
 * for that. Inside a container {@code /proc/stat} is usually the host's, which is what matters when the stack under
 * test shares the host.
 */
final class MachineLoad {

    /** Other processes using less than this many cores count as quiet. */
    static final double QUIET_CORES = 0.25;

    /** The length of one settle sample. */
    static final Duration SAMPLE = Duration.ofSeconds(2);

    /** Consecutive quiet samples that end the settle wait, so a lull between two jobs does not. */
    static final int QUIET_SAMPLES_NEEDED = 2;

    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(10);

    private static final Path PROC_STAT = Path.of("/proc/stat");

    /**
     * The aggregate {@code cpu} line of {@code /proc/stat}, in clock ticks since boot.
     *
     * @param busy user, nice, system, irq, softirq and steal ticks (guest time is already part of user)
     * @param idle idle and iowait ticks
     * @param cores the {@code cpuN} lines, i.e. the processors the ticks are summed over
     */
    record CpuTicks(long busy, long idle, int cores) {}

    /**
     * One reading, to measure a window from.
     *
     * @param nanoTime {@link System#nanoTime()} when read
     * @param machine the machine's ticks, empty if unknown
     * @param processCpuNanos this process's CPU time, or -1 if unknown
     */
    record Snapshot(long nanoTime, Optional<CpuTicks> machine, long processCpuNanos) {}

    /**
     * The load over a window, in cores: 1.0 is one processor busy all the time.
     *
     * @param elapsed the window's length
     * @param cores processors on the machine, 0 if unknown
     * @param busyCores the whole machine, empty if unknown
     * @param ownCores this process, empty if unknown
     */
    record Window(Duration elapsed, int cores, OptionalDouble busyCores, OptionalDouble ownCores) {

        /** Everything but this process; the whole machine if this process's CPU time is unknown. */
        OptionalDouble otherCores() {
            if (busyCores.isEmpty()) {
                return OptionalDouble.empty();
            }
            double own = ownCores.orElse(0);
            return OptionalDouble.of(Math.max(0, busyCores.getAsDouble() - own));
        }

        /** "other processes 0.05 of 2 cores", or why it is unknown. */
        String describeOthers() {
            if (otherCores().isEmpty()) {
                return "unknown (no /proc/stat)";
            }
            return String.format(
                    Locale.ROOT,
                    "other processes %.2f of %d cores",
                    otherCores().getAsDouble(),
                    cores);
        }

        /** "2.00 of 2 cores busy (this benchmark 0.30)", or why it is unknown. */
        String describeBusy() {
            if (busyCores.isEmpty()) {
                return "unknown (no /proc/stat)"
                        + (ownCores.isEmpty()
                                ? ""
                                : String.format(Locale.ROOT, "; this benchmark %.2f cores", ownCores.getAsDouble()));
            }
            return String.format(Locale.ROOT, "%.2f of %d cores busy", busyCores.getAsDouble(), cores)
                    + (ownCores.isEmpty()
                            ? ""
                            : String.format(Locale.ROOT, " (this benchmark %.2f)", ownCores.getAsDouble()));
        }
    }

    /** How the wait for a quiet machine ended. */
    enum SettleState {
        /** Other processes stayed below {@link #QUIET_CORES} for {@link #QUIET_SAMPLES_NEEDED} samples. */
        SETTLED,
        /** The limit passed first. */
        NOT_SETTLED,
        /** The machine's load cannot be read here: no wait. */
        UNKNOWN,
        /** A zero limit: no wait. */
        SKIPPED
    }

    /**
     * The wait for a quiet machine.
     *
     * @param state how it ended
     * @param limit the longest wait allowed
     * @param waited how long it took
     * @param last the last sample, empty if none was taken
     */
    record Settling(SettleState state, Duration limit, Duration waited, Optional<Window> last) {}

    /** Pauses the settle loop; a seam for tests. */
    interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private final Supplier<Optional<String>> procStat;
    private final LongSupplier processCpuNanos;
    private final LongSupplier nanoTime;
    private final Sleeper sleeper;

    MachineLoad(
            Supplier<Optional<String>> procStat, LongSupplier processCpuNanos, LongSupplier nanoTime, Sleeper sleeper) {
        this.procStat = procStat;
        this.processCpuNanos = processCpuNanos;
        this.nanoTime = nanoTime;
        this.sleeper = sleeper;
    }

    /** This machine's {@code /proc/stat} and this JVM's CPU time. */
    static MachineLoad ofThisMachine() {
        return new MachineLoad(
                MachineLoad::readProcStat, MachineLoad::ownCpuNanos, System::nanoTime, d -> Thread.sleep(d));
    }

    /** Reads the counters now. */
    Snapshot snapshot() {
        Optional<CpuTicks> machine = procStat.get().flatMap(MachineLoad::parse);
        return new Snapshot(nanoTime.getAsLong(), machine, processCpuNanos.getAsLong());
    }

    /** The load from {@code start} until now. */
    Window since(Snapshot start) {
        return between(start, snapshot());
    }

    /** The load between two snapshots. */
    static Window between(Snapshot start, Snapshot end) {
        long elapsed = Math.max(1, end.nanoTime() - start.nanoTime());
        OptionalDouble own = start.processCpuNanos() < 0 || end.processCpuNanos() < 0
                ? OptionalDouble.empty()
                : OptionalDouble.of((double) (end.processCpuNanos() - start.processCpuNanos()) / elapsed);
        if (start.machine().isEmpty() || end.machine().isEmpty()) {
            return new Window(Duration.ofNanos(elapsed), 0, OptionalDouble.empty(), own);
        }
        CpuTicks from = start.machine().get();
        CpuTicks to = end.machine().get();
        long busy = to.busy() - from.busy();
        long total = busy + to.idle() - from.idle();
        // Ticks over all processors: the busy share of them times the processors is busy cores, without USER_HZ.
        OptionalDouble busyCores =
                total <= 0 ? OptionalDouble.of(0) : OptionalDouble.of((double) busy / total * to.cores());
        return new Window(Duration.ofNanos(elapsed), to.cores(), busyCores, own);
    }

    /**
     * Samples the load for {@link #SAMPLE} at a time until other processes have used less than {@link #QUIET_CORES}
     * for {@link #QUIET_SAMPLES_NEEDED} samples in a row, or until {@code limit} has passed. Reports progress about
     * every ten seconds. Returns at once when {@code limit} is zero or the load cannot be read.
     */
    Settling awaitQuiet(Duration limit, Consumer<String> progress) {
        if (limit.isZero() || limit.isNegative()) {
            return new Settling(SettleState.SKIPPED, limit, Duration.ZERO, Optional.empty());
        }
        long started = nanoTime.getAsLong();
        Snapshot previous = snapshot();
        if (previous.machine().isEmpty()) {
            return new Settling(SettleState.UNKNOWN, limit, Duration.ZERO, Optional.empty());
        }
        long lastProgress = Long.MIN_VALUE;
        int quietInARow = 0;
        Optional<Window> last = Optional.empty();
        while (true) {
            try {
                sleeper.sleep(SAMPLE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Settling(SettleState.NOT_SETTLED, limit, elapsedSince(started), last);
            }
            Snapshot now = snapshot();
            Window window = between(previous, now);
            previous = now;
            last = Optional.of(window);
            if (window.otherCores().isEmpty()) {
                return new Settling(SettleState.UNKNOWN, limit, elapsedSince(started), last);
            }
            quietInARow = window.otherCores().getAsDouble() < QUIET_CORES ? quietInARow + 1 : 0;
            if (quietInARow >= QUIET_SAMPLES_NEEDED) {
                return new Settling(SettleState.SETTLED, limit, elapsedSince(started), last);
            }
            if (elapsedSince(started).compareTo(limit) >= 0) {
                return new Settling(SettleState.NOT_SETTLED, limit, elapsedSince(started), last);
            }
            if (quietInARow == 0
                    && (lastProgress == Long.MIN_VALUE || now.nanoTime() - lastProgress >= PROGRESS_EVERY.toNanos())) {
                lastProgress = now.nanoTime();
                progress.accept(String.format(
                        Locale.ROOT,
                        "waiting for the machine to settle: other processes use %.1f of %d cores (%d s of at most %d s)",
                        window.otherCores().getAsDouble(),
                        window.cores(),
                        elapsedSince(started).toSeconds(),
                        limit.toSeconds()));
            }
        }
    }

    private Duration elapsedSince(long started) {
        return Duration.ofNanos(nanoTime.getAsLong() - started);
    }

    /**
     * The aggregate {@code cpu} line of {@code /proc/stat}'s text, with the number of {@code cpuN} lines; empty if
     * there is no such line or it is malformed.
     */
    static Optional<CpuTicks> parse(String procStat) {
        long[] fields = new long[0];
        int cores = 0;
        for (String line : procStat.split("\n")) {
            if (line.startsWith("cpu ")) {
                fields = ticks(line);
            } else if (line.startsWith("cpu") && line.length() > 3 && Character.isDigit(line.charAt(3))) {
                cores++;
            }
        }
        // user nice system idle, then (since Linux 2.6) iowait irq softirq steal guest guest_nice.
        if (fields.length < 4 || cores == 0) {
            return Optional.empty();
        }
        long user = fields[0];
        long nice = fields[1];
        long system = fields[2];
        long idle = fields[3];
        long iowait = field(fields, 4);
        long irq = field(fields, 5);
        long softirq = field(fields, 6);
        long steal = field(fields, 7);
        return Optional.of(new CpuTicks(user + nice + system + irq + softirq + steal, idle + iowait, cores));
    }

    /** The numbers after the label; none if one is not a number. */
    private static long[] ticks(String line) {
        String[] parts = line.trim().split("\\s+");
        long[] values = new long[parts.length - 1];
        try {
            for (int i = 1; i < parts.length; i++) {
                values[i - 1] = Long.parseLong(parts[i]);
            }
        } catch (NumberFormatException e) {
            return new long[0];
        }
        return values;
    }

    private static long field(long[] fields, int index) {
        return index < fields.length ? fields[index] : 0;
    }

    private static Optional<String> readProcStat() {
        try {
            return Optional.of(Files.readString(PROC_STAT));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static long ownCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return ProcessHandle.current()
                .info()
                .totalCpuDuration()
                .map(Duration::toNanos)
                .orElse(-1L);
    }
}

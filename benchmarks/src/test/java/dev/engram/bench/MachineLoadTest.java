package dev.engram.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class MachineLoadTest {

    /** A 2-core machine's /proc/stat, cut short after the per-processor lines. */
    private static final String PROC_STAT = """
            cpu  94239 0 17817 37721 1581 0 1482 85 0 0
            cpu0 47372 0 8808 19370 422 0 403 42 0 0
            cpu1 46866 0 9008 18350 1159 0 1079 43 0 0
            intr 4251607 0 0 0 0 0 0
            ctxt 10689289
            btime 1700000000
            """;

    @Test
    void theAggregateLineSplitsIntoBusyAndIdleTicksOverEveryProcessor() {
        MachineLoad.CpuTicks ticks = MachineLoad.parse(PROC_STAT).orElseThrow();

        // user + nice + system + irq + softirq + steal; idle + iowait; guest is already part of user.
        assertThat(ticks.busy()).isEqualTo(94239 + 17817 + 1482 + 85);
        assertThat(ticks.idle()).isEqualTo(37721 + 1581);
        assertThat(ticks.cores()).isEqualTo(2);
    }

    @Test
    void oldKernelsWithFourFieldsStillParse() {
        MachineLoad.CpuTicks ticks =
                MachineLoad.parse("cpu 10 20 30 40\ncpu0 10 20 30 40\n").orElseThrow();

        assertThat(ticks).isEqualTo(new MachineLoad.CpuTicks(60, 40, 1));
    }

    @Test
    void textWithoutAUsableCpuLineIsUnknown() {
        assertThat(MachineLoad.parse("")).isEmpty();
        assertThat(MachineLoad.parse("intr 1 2 3\nctxt 4\n")).isEmpty();
        assertThat(MachineLoad.parse("cpu  1 2 x 4\ncpu0 1 2 3 4\n")).isEmpty();
        assertThat(MachineLoad.parse("cpu  1 2 3\ncpu0 1 2 3\n")).isEmpty();
    }

    @Test
    void busyCoresAreTheBusyShareOfTicksTimesTheProcessorsAndOthersExcludeThisProcess() {
        // 2 cores, 2 s: 400 ticks in all, 300 busy = 1.5 cores; this process used 1 s of CPU in 2 s = 0.5 cores.
        MachineLoad.Snapshot start =
                new MachineLoad.Snapshot(0, Optional.of(new MachineLoad.CpuTicks(1_000, 5_000, 2)), 7_000_000_000L);
        MachineLoad.Snapshot end = new MachineLoad.Snapshot(
                2_000_000_000L, Optional.of(new MachineLoad.CpuTicks(1_300, 5_100, 2)), 8_000_000_000L);

        MachineLoad.Window window = MachineLoad.between(start, end);

        assertThat(window.elapsed()).isEqualTo(Duration.ofSeconds(2));
        assertThat(window.busyCores().getAsDouble()).isCloseTo(1.5, within(1e-9));
        assertThat(window.ownCores().getAsDouble()).isCloseTo(0.5, within(1e-9));
        assertThat(window.otherCores().getAsDouble()).isCloseTo(1.0, within(1e-9));
        assertThat(window.describeOthers()).isEqualTo("other processes 1.00 of 2 cores");
        assertThat(window.describeBusy()).isEqualTo("1.50 of 2 cores busy (this benchmark 0.50)");
    }

    @Test
    void withoutProcStatTheMachineIsUnknownButThisProcessIsStillMeasured() {
        MachineLoad.Snapshot start = new MachineLoad.Snapshot(0, Optional.empty(), 0);
        MachineLoad.Snapshot end = new MachineLoad.Snapshot(1_000_000_000L, Optional.empty(), 250_000_000L);

        MachineLoad.Window window = MachineLoad.between(start, end);

        assertThat(window.busyCores()).isEmpty();
        assertThat(window.otherCores()).isEmpty();
        assertThat(window.describeOthers()).isEqualTo("unknown (no /proc/stat)");
        assertThat(window.describeBusy()).isEqualTo("unknown (no /proc/stat); this benchmark 0.25 cores");
    }

    @Test
    void theWaitEndsAfterTwoQuietSamplesInARow() {
        // Other processes: 1.5 cores, 0.1 (a lull), 1.0, then quiet twice.
        Scripted machine = new Scripted(1.5, 0.1, 1.0, 0.1, 0.0);
        List<String> progress = new ArrayList<>();

        MachineLoad.Settling settling = machine.load().awaitQuiet(Duration.ofMinutes(5), progress::add);

        assertThat(settling.state()).isEqualTo(MachineLoad.SettleState.SETTLED);
        assertThat(settling.waited()).isEqualTo(Duration.ofSeconds(10));
        assertThat(settling.last().orElseThrow().describeOthers()).isEqualTo("other processes 0.00 of 2 cores");
        assertThat(progress)
                .first()
                .asString()
                .startsWith("waiting for the machine to settle: other processes use 1.5 of 2 cores");
    }

    @Test
    void theWaitGivesUpAtTheLimit() {
        Scripted machine = new Scripted(2.0, 2.0, 2.0, 2.0, 2.0, 2.0);

        MachineLoad.Settling settling = machine.load().awaitQuiet(Duration.ofSeconds(6), line -> {});

        assertThat(settling.state()).isEqualTo(MachineLoad.SettleState.NOT_SETTLED);
        assertThat(settling.waited()).isEqualTo(Duration.ofSeconds(6));
        assertThat(settling.last().orElseThrow().describeOthers()).isEqualTo("other processes 2.00 of 2 cores");
    }

    @Test
    void noWaitWhenSkippedOrWhenTheLoadCannotBeRead() {
        AtomicLong sleeps = new AtomicLong();
        MachineLoad blind = new MachineLoad(Optional::empty, () -> 0, System::nanoTime, d -> sleeps.incrementAndGet());

        assertThat(blind.awaitQuiet(Duration.ofMinutes(5), line -> {}).state())
                .isEqualTo(MachineLoad.SettleState.UNKNOWN);
        assertThat(blind.awaitQuiet(Duration.ZERO, line -> {}).state()).isEqualTo(MachineLoad.SettleState.SKIPPED);
        assertThat(sleeps).hasValue(0);
    }

    @Test
    void thisMachineNeverFailsToDescribeItself() {
        MachineLoad load = MachineLoad.ofThisMachine();
        MachineLoad.Snapshot start = load.snapshot();

        MachineLoad.Window window = load.since(start);

        assertThat(window.describeOthers()).isNotBlank();
        assertThat(window.describeBusy()).isNotBlank();
    }

    /**
     * A 2-core machine on a fake clock whose other processes use the given cores in successive 2 s samples, while
     * this process uses none.
     */
    private static final class Scripted {
        private static final long TICKS_PER_SAMPLE = 400; // 2 cores x 2 s x 100 ticks/s

        private final double[] otherCores;
        private long now;
        private int sample;
        private long busy;
        private long idle;

        Scripted(double... otherCores) {
            this.otherCores = otherCores;
        }

        MachineLoad load() {
            return new MachineLoad(this::procStat, () -> 0, () -> now, this::sleep);
        }

        private void sleep(Duration duration) {
            long busyTicks = Math.round(otherCores[Math.min(sample, otherCores.length - 1)] / 2 * TICKS_PER_SAMPLE);
            busy += busyTicks;
            idle += TICKS_PER_SAMPLE - busyTicks;
            now += duration.toNanos();
            sample++;
        }

        private Optional<String> procStat() {
            return Optional.of("cpu  " + busy + " 0 0 " + idle + " 0 0 0 0 0 0\ncpu0 0 0 0 0\ncpu1 0 0 0 0\n");
        }
    }
}

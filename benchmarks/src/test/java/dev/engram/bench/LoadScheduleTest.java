package dev.engram.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LoadScheduleTest {

    @Test
    void requestsAreDueAtEvenIntervalsFromTheStart() {
        LoadSchedule schedule = new LoadSchedule(20, 1_000);

        assertThat(schedule.dueAt(0)).isEqualTo(1_000);
        assertThat(schedule.dueAt(1)).isEqualTo(1_000 + 50_000_000L);
        assertThat(schedule.dueAt(20)).isEqualTo(1_000 + 1_000_000_000L);
    }

    @Test
    void aFractionalRateKeepsItsAverageWithoutDrift() {
        LoadSchedule schedule = new LoadSchedule(3, 0);

        assertThat(schedule.dueAt(3)).isEqualTo(1_000_000_000L);
        assertThat(schedule.dueAt(300_000)).isEqualTo(100_000_000_000_000L);
        assertThat(schedule.dueAt(1)).isEqualTo(333_333_333L);
    }

    @Test
    void countsWhatIsDueByAMomentInclusively() {
        LoadSchedule schedule = new LoadSchedule(10, 500);

        assertThat(schedule.dueBy(499)).isZero();
        assertThat(schedule.dueBy(500)).isEqualTo(1);
        assertThat(schedule.dueBy(500 + 99_999_999)).isEqualTo(1);
        assertThat(schedule.dueBy(500 + 100_000_000)).isEqualTo(2);
        for (long t = 0; t < 3_000_000_000L; t += 7_777_777) {
            long due = schedule.dueBy(t);
            if (due > 0) {
                assertThat(schedule.dueAt(due - 1)).isLessThanOrEqualTo(t);
            }
            assertThat(schedule.dueAt(due)).isGreaterThan(t);
        }
    }

    @Test
    void plansRateTimesDurationRequests() {
        assertThat(new LoadSchedule(20, 0).plannedWithin(300_000_000_000L)).isEqualTo(6_000);
        assertThat(new LoadSchedule(50, 42).plannedWithin(1_000_000_000L)).isEqualTo(50);
        assertThat(new LoadSchedule(50, 42).plannedWithin(0)).isZero();
    }

    @Test
    void refusesARateThatIsNotPositive() {
        assertThatThrownBy(() -> new LoadSchedule(0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LoadSchedule(Double.NaN, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LoadSchedule(-1, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}

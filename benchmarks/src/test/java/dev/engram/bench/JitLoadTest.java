package dev.engram.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JitLoadTest {

    @TempDir
    Path proc;

    /** A thread of process {@code pid} in the fake {@code /proc}, with its user and system ticks. */
    private void thread(long pid, long tid, String comm, long user, long system) throws IOException {
        Path task = Files.createDirectories(proc.resolve(pid + "/task/" + tid));
        Files.writeString(task.resolve("comm"), comm + "\n");
        // Fields 1-2, then 3 (state) .. 13 as placeholders, 14 utime, 15 stime, then the rest.
        Files.writeString(
                task.resolve("stat"),
                tid + " (" + comm + ") S 1 1 1 0 -1 4194624 100 0 0 0 " + user + " " + system + " 0 0 20 0 30 0\n");
    }

    @Test
    void sumsTheCompilerThreadsOnly() throws IOException {
        thread(42, 42, "java", 500, 50);
        thread(42, 43, "C2 CompilerThre", 1_200, 30);
        thread(42, 44, "C1 CompilerThre", 100, 5);
        thread(42, 45, "vert.x-eventloo", 900, 90);
        thread(42, 46, "x) C2 CompilerThre (y", 7, 7); // a name with parentheses is not a compiler

        assertThat(JitLoad.compilerTicks(proc, 42)).hasValue(1_200 + 30 + 100 + 5);
    }

    @Test
    void aProcessThatIsGoneIsLeftOut() throws IOException {
        thread(42, 43, "C2 CompilerThre", 100, 0);
        JitLoad load = new JitLoad(proc, Map.of("memory-writer", 42L, "ingest-service", 7L));

        assertThat(load.ticks()).containsExactly(Map.entry("memory-writer", 100L));
        assertThat(JitLoad.compilerTicks(proc, 7)).isEmpty();
    }

    @Test
    void secondsAreTheDifferenceOfTwoReadings() throws IOException {
        thread(42, 43, "C2 CompilerThre", 100, 0);
        JitLoad load = new JitLoad(proc, Map.of("memory-writer", 42L));
        Map<String, Long> before = load.ticks();
        thread(42, 43, "C2 CompilerThre", 1_750, 10);

        assertThat(JitLoad.secondsBetween(before, load.ticks())).containsExactly(Map.entry("memory-writer", 16.6));
    }

    @Test
    void theDescriptionGivesTheTotalAndTheBusiestFirst() {
        Map<String, Double> seconds = new LinkedHashMap<>();
        seconds.put("ingest-service", 15.8);
        seconds.put("launcher", 0.0);
        seconds.put("memory-writer", 17.2);

        assertThat(JitLoad.describe(seconds)).isEqualTo("33.0 CPU-seconds (memory-writer 17.2, ingest-service 15.8)");
    }

    @Test
    void readsTheStatFieldsAfterACommandNameWithSpacesAndParentheses() {
        assertThat(JitLoad.cpuTicks("9 (a (b) c) R 1 1 1 0 -1 0 0 0 0 0 11 22 0 0"))
                .isEqualTo(33);
    }
}

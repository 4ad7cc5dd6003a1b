package dev.engram.deploy.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogTailTest {

    @TempDir
    Path dir;

    @Test
    void returnsTheLastLinesOfALogLargerThanItReads() throws Exception {
        Path log = dir.resolve("big.log");
        Files.writeString(
                log,
                IntStream.range(0, 100_000).mapToObj(i -> "line " + i).collect(Collectors.joining("\n", "", "\n")));

        assertThat(LogTail.of(log, 3)).containsExactly("line 99997", "line 99998", "line 99999");
    }

    @Test
    void saysSoWhenThereIsNoLog() {
        assertThat(LogTail.of(dir.resolve("missing.log"), 3))
                .singleElement()
                .asString()
                .contains("no log");
    }
}

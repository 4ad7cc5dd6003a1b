package dev.engram.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoadProcessesTest {

    @Test
    void readsTheResidentSetOfAStatusText() {
        String status = "Name:\tjava\nVmPeak:\t 9000 kB\nVmRSS:\t  524288 kB\nRssAnon:\t 1 kB\n";

        assertThat(LoadProcesses.rssOf(status)).hasValue(524_288L * 1024);
        assertThat(LoadProcesses.rssOf("Name:\tkthreadd\n")).isEmpty();
    }

    @Test
    void readsThisProcessesOwnResidentSet() {
        assertThat(LoadProcesses.rss(ProcessHandle.current().pid()).orElseThrow())
                .isGreaterThan(1 << 20);
        assertThat(LoadProcesses.rss(Long.MAX_VALUE)).isEmpty();
    }

    @Test
    void findsTheServicesByTheirPidFiles(@TempDir Path run) throws Exception {
        Files.writeString(run.resolve("search-service.pid"), "4242\n");
        Files.writeString(run.resolve("ingest-service.pid"), "17");
        Files.writeString(run.resolve("ready"), "x");

        assertThat(LoadProcesses.pids(run))
                .containsExactly(
                        java.util.Map.entry("ingest-service", 17L), java.util.Map.entry("search-service", 4242L));
        assertThat(LoadProcesses.pids(run.resolve("missing"))).isEmpty();
    }
}

package dev.engram.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelCpuTest {

    @TempDir
    Path runDir;

    @Test
    void readsTheCounterOutOfAPrometheusText() {
        String text = """
                # HELP engram_embedding_model_cpu_seconds_total CPU time the in-process embedding model took
                # TYPE engram_embedding_model_cpu_seconds_total counter
                engram_embedding_model_cpu_seconds_total 192.5
                engram_writer_documents_total{outcome="done"} 10300.0
                """;

        assertThat(ModelCpu.parse(text)).hasValue(192.5);
        assertThat(ModelCpu.parse("engram_writer_documents_total 1.0\n")).isEmpty();
    }

    @Test
    void theGrowthNeedsBothReadings() {
        assertThat(ModelCpu.between(OptionalDouble.of(10), OptionalDouble.of(200.5)))
                .hasValue(190.5);
        assertThat(ModelCpu.between(OptionalDouble.empty(), OptionalDouble.of(200.5)))
                .isEmpty();
    }

    @Test
    void theWritersPortComesFromTheLaunchersPortsFile() throws IOException {
        assertThat(ModelCpu.port("GATEWAY_PORT=6767\nENGRAM_MEMORY_WRITER_PORT=8084\n"))
                .hasValue(8084);
        assertThat(ModelCpu.port("GATEWAY_PORT=6767\n")).isEmpty();

        assertThat(ModelCpu.ofStack(runDir)).isEmpty();
        Files.writeString(runDir.resolve("ports.env"), "ENGRAM_MEMORY_WRITER_PORT=1\n");
        assertThat(ModelCpu.ofStack(runDir)).isPresent();
        assertThat(ModelCpu.ofStack(runDir).orElseThrow().seconds()).isEmpty(); // nothing answers on port 1
    }
}

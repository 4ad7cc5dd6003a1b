package dev.engram.deploy.stack;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StartupTableTest {

    @Test
    void alignsEveryColumnUnderItsHeader() {
        String table = new StartupTable()
                .add("gateway", "http://localhost:6767", "100", "/e/logs/stack.log")
                .add("memory-writer", "http://127.0.0.1:8084", "12345", "/e/logs/memory-writer.log")
                .render();

        assertThat(table)
                .isEqualTo("COMPONENT      ADDRESS                PID    LOG\n"
                        + "gateway        http://localhost:6767  100    /e/logs/stack.log\n"
                        + "memory-writer  http://127.0.0.1:8084  12345  /e/logs/memory-writer.log\n");
    }
}

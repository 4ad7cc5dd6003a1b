package dev.engram.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The parsing of job turns and source refs; the SQL runs only against a stack. */
class WriterTablesTest {

    @Test
    void aJobsTurnsNamePositionsByPositionOrRef() {
        assertThat(WriterTables.positions("[{\"position\": 3, \"content\": \"x\"}, {\"position\": 4}]"))
                .containsExactly(3, 4);
        assertThat(WriterTables.positions("[{\"ref\": \"t7\"}, {\"ref\": \"8\"}, {\"ref\": \"chunk-1\"}]"))
                .containsExactly(7, 8);
        assertThat(WriterTables.positions(null)).isEmpty();
        assertThat(WriterTables.positions("not json")).isEmpty();
    }

    @Test
    void aSourceRefNamesEveryTurnInIt() {
        assertThat(WriterTables.sourcePositions("t12,t13")).containsExactly(12, 13);
        assertThat(WriterTables.sourcePositions(" t1 , chunk-9, t, t2x ,t0")).containsExactly(1, 0);
        assertThat(WriterTables.sourcePositions(null)).isEmpty();
        assertThat(WriterTables.sourcePositions("")).isEmpty();
    }
}

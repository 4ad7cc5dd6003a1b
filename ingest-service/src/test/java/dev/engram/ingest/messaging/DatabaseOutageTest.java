package dev.engram.ingest.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.net.ConnectException;
import java.sql.SQLException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class DatabaseOutageTest {

    @Test
    void aRefusedOrLostConnectionOrAServerGoingDownIsAnOutage() {
        assertThat(DatabaseOutage.isUnavailable(new CompletionException(new ConnectException("Connection refused"))))
                .isTrue();
        assertThat(DatabaseOutage.isUnavailable(ClosedConnectionException.INSTANCE))
                .isTrue();
        assertThat(DatabaseOutage.isUnavailable(new RuntimeException(new PgException(
                        "terminating connection due to administrator command", "FATAL", "57P01", null))))
                .isTrue();
        assertThat(DatabaseOutage.isUnavailable(
                        new PgException("the database system is starting up", "FATAL", "57P03", null)))
                .isTrue();
        assertThat(DatabaseOutage.isUnavailable(new SQLException("connection failure", "08006")))
                .isTrue();
    }

    @Test
    void otherFailuresAreNot() {
        assertThat(DatabaseOutage.isUnavailable(new IllegalStateException("bug")))
                .isFalse();
        assertThat(DatabaseOutage.isUnavailable(
                        new PgException("duplicate key value violates unique constraint", "ERROR", "23505", null)))
                .isFalse();
        assertThat(DatabaseOutage.isUnavailable(new SQLException("deadlock detected", "40P01")))
                .isFalse();
    }
}

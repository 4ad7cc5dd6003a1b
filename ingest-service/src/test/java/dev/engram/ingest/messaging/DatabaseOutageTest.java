package dev.engram.ingest.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.net.ConnectException;
import java.net.SocketException;
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
        assertThat(DatabaseOutage.isUnavailable(new RuntimeException(new SocketException("Connection reset"))))
                .isTrue();
    }

    @Test
    void anOutageBehindAnotherFailureIsFoundAmongTheSuppressed() {
        RuntimeException rollbackFailed = new IllegalStateException("transaction already completed");
        rollbackFailed.addSuppressed(ClosedConnectionException.INSTANCE);

        assertThat(DatabaseOutage.isUnavailable(new RuntimeException(rollbackFailed)))
                .isTrue();
    }

    @Test
    void aCycleOfCausesEnds() {
        RuntimeException first = new IllegalStateException("first");
        RuntimeException second = new IllegalStateException("second", first);
        first.addSuppressed(second);

        assertThat(DatabaseOutage.isUnavailable(second)).isFalse();
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
        assertThat(DatabaseOutage.isUnavailable(new java.io.IOException("multipart body ended early")))
                .isFalse();
    }
}

package dev.engram.ingest.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.hibernate.exception.ConstraintViolationException;
import org.hibernate.exception.GenericJDBCException;
import org.hibernate.exception.LockAcquisitionException;
import org.junit.jupiter.api.Test;

/** Which failures a consumer's transaction runs again: only those a concurrent transaction caused. */
class TransactionsTest {

    @Test
    void deadlocksSerializationFailuresAndDuplicateKeysAreConflicts() {
        assertThat(Transactions.isRetriableConflict(new LockAcquisitionException("deadlock", sql("40P01"))))
                .isTrue();
        assertThat(Transactions.isRetriableConflict(
                        new RuntimeException("wrapped", new GenericJDBCException("x", sql("40P01")))))
                .isTrue();
        assertThat(Transactions.isRetriableConflict(new RuntimeException(sql("40001"))))
                .isTrue();
        assertThat(Transactions.isRetriableConflict(
                        new ConstraintViolationException("duplicate key", sql("23505"), "documents_pk")))
                .isTrue();
    }

    @Test
    void otherFailuresAreNot() {
        assertThat(Transactions.isRetriableConflict(new RuntimeException(sql("42P01")))) // undefined table
                .isFalse();
        assertThat(Transactions.isRetriableConflict(new IllegalStateException("bug")))
                .isFalse();
        assertThat(Transactions.isRetriableConflict(new GenericJDBCException("x", sql("08006")))) // connection
                .isFalse();
    }

    private static SQLException sql(String state) {
        return new SQLException("state " + state, state);
    }
}

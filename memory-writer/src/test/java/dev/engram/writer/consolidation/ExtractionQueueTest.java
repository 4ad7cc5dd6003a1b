package dev.engram.writer.consolidation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engram.testsupport.KafkaTestResource;
import dev.engram.testsupport.PostgresTestResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The extraction queue's claim, on its own (no worker runs here): queue order, due times, the lease of a dead worker,
 * and the limit. The jobs are dated in 2001, before anything another test leaves queued, so they come first.
 */
@QuarkusTest
@TestProfile(ExtractionQueueTest.NoWorker.class)
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class ExtractionQueueTest {

    private static final Instant EPOCH = Instant.parse("2001-01-01T00:00:00Z");
    private static final Duration LEASE = Duration.ofMinutes(10);

    /** Extraction off, so only the test claims. */
    public static class NoWorker implements QuarkusTestProfile {
        @Override
        public java.util.Map<String, String> getConfigOverrides() {
            return java.util.Map.of("writer.extraction.enabled", "false");
        }
    }

    @Inject
    ExtractionJobs jobs;

    @Inject
    AgroalDataSource dataSource;

    private final String org = "org_queue_" + UUID.randomUUID().toString().substring(0, 8);

    @AfterEach
    void removeJobs() throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement =
                        connection.prepareStatement("delete from writer.extraction_jobs where org_id = ?")) {
            statement.setString(1, org);
            statement.executeUpdate();
        }
    }

    @Test
    void claimsDuePendingJobsOldestFirstUpToTheLimitAndMarksThemRunning() throws SQLException {
        insert("d3", "pending", 3, EPOCH, 0);
        insert("d1", "pending", 1, EPOCH, 0);
        insert("d2", "pending", 2, EPOCH, 0);
        insert("later", "pending", 0, EPOCH.plus(Duration.ofDays(365_000)), 0); // retry not due yet
        insert("d4", "pending", 4, EPOCH, 0);

        List<ExtractionJob> claimed = jobs.claim(3, LEASE);

        assertThat(claimed).extracting(ExtractionJob::documentId).containsExactly("d1", "d2", "d3");
        assertThat(claimed).allSatisfy(job -> assertThat(job.attempts()).isEqualTo(1));
        assertThat(status("d1")).isEqualTo("running");
        assertThat(status("d4")).isEqualTo("pending");
        assertThat(jobs.claim(3, LEASE)).extracting(ExtractionJob::documentId).startsWith("d4");
        assertThat(status("later")).isEqualTo("pending");
    }

    @Test
    void aJobWhoseWorkerOutlivedItsLeaseIsClaimedAgainBeforePendingOnes() throws SQLException {
        insert("pending", "pending", 1, EPOCH, 0);
        insert("abandoned", "running", 5, EPOCH, 1);
        insert("working", "running", 2, EPOCH, 1);
        age("abandoned", LEASE.plusMinutes(1));
        age("working", LEASE.minusMinutes(1));

        List<ExtractionJob> claimed = jobs.claim(1, LEASE);

        assertThat(claimed).singleElement().satisfies(job -> {
            assertThat(job.documentId()).isEqualTo("abandoned");
            assertThat(job.attempts()).isEqualTo(2);
        });
        assertThat(jobs.claim(5, LEASE))
                .extracting(ExtractionJob::documentId)
                .contains("pending")
                .doesNotContain("working", "abandoned");
    }

    /** A job {@code minutesAfter} minutes into 2001, due at {@code due}. */
    private void insert(String documentId, String status, int minutesAfter, Instant due, int attempts)
            throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(
                        "insert into writer.extraction_jobs (org_id, document_id, revision, container_tag, kind,"
                                + " document_date, status, attempts, next_attempt_at, created_at, updated_at)"
                                + " values (?, ?, 1, 'queue', 'document', ?, ?, ?, ?, ?, now())")) {
            Timestamp created = Timestamp.from(EPOCH.plus(Duration.ofMinutes(minutesAfter)));
            statement.setString(1, org);
            statement.setString(2, documentId);
            statement.setTimestamp(3, created);
            statement.setString(4, status);
            statement.setInt(5, attempts);
            statement.setTimestamp(6, Timestamp.from(due));
            statement.setTimestamp(7, created);
            statement.executeUpdate();
        }
    }

    /** Makes a running job's last update {@code ago} old, as if its worker had gone silent then. */
    private void age(String documentId, Duration ago) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement =
                        connection.prepareStatement("update writer.extraction_jobs set updated_at = now() - ?::interval"
                                + " where org_id = ? and document_id = ?")) {
            statement.setString(1, ago.toSeconds() + " seconds");
            statement.setString(2, org);
            statement.setString(3, documentId);
            statement.executeUpdate();
        }
    }

    private String status(String documentId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(
                        "select status from writer.extraction_jobs where org_id = ? and document_id = ?")) {
            statement.setString(1, org);
            statement.setString(2, documentId);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? rows.getString(1) : null;
            }
        }
    }
}

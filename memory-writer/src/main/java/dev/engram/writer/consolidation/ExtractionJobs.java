package dev.engram.writer.consolidation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.engram.core.events.ConversationMessage;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The queue of memory extraction jobs ({@code writer.extraction_jobs}): written in the transaction that stores a
 * document's chunks, claimed by {@link ExtractionWorker}s with {@code FOR UPDATE SKIP LOCKED}, and kept after they end
 * as the record of what extraction did for each revision (ingest-service shows it as a document's
 * {@code memoryStatus}).
 */
@ApplicationScoped
public class ExtractionJobs {

    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private static final TypeReference<List<StoredTurn>> TURNS = new TypeReference<>() {};
    private static final TypeReference<Map<String, Object>> METADATA = new TypeReference<>() {};

    @Inject
    AgroalDataSource dataSource;

    /**
     * Queues a job inside the caller's transaction; a job already queued for the same revision (a redelivered
     * event) is left as it is. A pending document job of an older revision is skipped: only the newest content
     * needs its memories.
     */
    public void enqueue(Connection connection, ExtractionJob job) throws SQLException {
        String insert = "insert into writer.extraction_jobs (org_id, document_id, revision, container_tag, kind, turns,"
                + " document_date, entity_context, metadata) values (?,?,?,?,?,?::jsonb,?,?,?::jsonb)"
                + " on conflict do nothing";
        try (PreparedStatement statement = connection.prepareStatement(insert)) {
            statement.setString(1, job.orgId());
            statement.setString(2, job.documentId());
            statement.setLong(3, job.revision());
            statement.setString(4, job.containerTag());
            statement.setString(5, job.kind().column());
            statement.setString(6, job.kind() == ExtractionJob.Kind.CONVERSATION ? json(turns(job)) : null);
            statement.setTimestamp(7, Timestamp.from(job.documentDate()));
            statement.setString(8, job.entityContext());
            statement.setString(9, json(job.metadata()));
            statement.executeUpdate();
        }
        if (job.kind() == ExtractionJob.Kind.DOCUMENT) {
            String skip =
                    "update writer.extraction_jobs set status = 'skipped', reason = 'superseded by revision ' || ?,"
                            + " updated_at = now() where org_id = ? and document_id = ? and revision < ? and status = 'pending'";
            try (PreparedStatement statement = connection.prepareStatement(skip)) {
                statement.setLong(1, job.revision());
                statement.setString(2, job.orgId());
                statement.setString(3, job.documentId());
                statement.setLong(4, job.revision());
                statement.executeUpdate();
            }
        }
    }

    /**
     * Claims up to {@code limit} due jobs and marks them running: first jobs left running longer than {@code lease}
     * (their worker died), then pending ones, each oldest first. Each part walks its own partial index in queue order
     * and stops after {@code limit} rows, so a claim costs the same with ten or a million jobs queued (one query over
     * all pending jobs, sorted, made a bulk import quadratic).
     */
    public List<ExtractionJob> claim(int limit, Duration lease) throws SQLException {
        String sql = "with stale as (select org_id, document_id, revision, created_at from writer.extraction_jobs"
                + " where status = 'running' and updated_at < now() - ?::interval"
                + " order by created_at, revision limit ? for update skip locked),"
                + " due as (select org_id, document_id, revision, created_at from writer.extraction_jobs"
                + " where status = 'pending' and next_attempt_at <= now()"
                + " order by created_at, revision limit ? for update skip locked)"
                + " update writer.extraction_jobs j set status = 'running', attempts = j.attempts + 1,"
                + " updated_at = now() from (select org_id, document_id, revision from (select 0 as part, * from stale"
                + " union all select 1 as part, * from due) candidates order by part, created_at, revision limit ?) c"
                + " where j.org_id = c.org_id and j.document_id = c.document_id and j.revision = c.revision"
                + " returning j.org_id, j.document_id, j.revision, j.container_tag, j.kind, j.turns, j.document_date,"
                + " j.entity_context, j.metadata, j.attempts, j.created_at";
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, lease.toSeconds() + " seconds");
            statement.setInt(2, limit);
            statement.setInt(3, limit);
            statement.setInt(4, limit);
            List<Claimed> claimed = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    claimed.add(new Claimed(read(rows), rows.getTimestamp(11).toInstant()));
                }
            }
            // RETURNING has no order: keep the queue's.
            claimed.sort((a, b) -> a.createdAt().compareTo(b.createdAt()));
            return claimed.stream().map(Claimed::job).toList();
        }
    }

    /** Records a finished job and what it did. */
    public void complete(ExtractionJob job, Outcome outcome) throws SQLException {
        String sql = "update writer.extraction_jobs set status = 'done', reason = null, memories_added = ?,"
                + " memories_updated = ?, memories_extended = ?, duplicates = ?, extractor = ?, updated_at = now()"
                + " where org_id = ? and document_id = ? and revision = ?";
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setInt(1, outcome.added());
            statement.setInt(2, outcome.updated());
            statement.setInt(3, outcome.extended());
            statement.setInt(4, outcome.duplicates());
            statement.setString(5, outcome.extractor());
            key(statement, 6, job);
            statement.executeUpdate();
        }
    }

    /** Ends a job without extracting: its document was deleted or superseded. */
    public void skip(ExtractionJob job, String reason) throws SQLException {
        end(job, "skipped", reason);
    }

    /** Ends a job for good with a reason a user can read. */
    public void fail(ExtractionJob job, String reason) throws SQLException {
        end(job, "failed", reason);
    }

    /** Puts a job back in the queue to be tried again after {@code delay}. */
    public void retryLater(ExtractionJob job, String reason, Duration delay) throws SQLException {
        String sql = "update writer.extraction_jobs set status = 'pending', reason = ?,"
                + " next_attempt_at = now() + ?::interval, updated_at = now()"
                + " where org_id = ? and document_id = ? and revision = ?";
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, reason);
            statement.setString(2, delay.toMillis() + " milliseconds");
            key(statement, 3, job);
            statement.executeUpdate();
        }
    }

    /** Cancels the unfinished jobs of a deleted document. */
    public void cancelDocument(String orgId, String documentId) throws SQLException {
        String sql = "update writer.extraction_jobs set status = 'skipped', reason = 'document deleted',"
                + " updated_at = now() where org_id = ? and document_id = ? and status in ('pending', 'running')";
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, orgId);
            statement.setString(2, documentId);
            statement.executeUpdate();
        }
    }

    private void end(ExtractionJob job, String status, String reason) throws SQLException {
        String sql = "update writer.extraction_jobs set status = ?, reason = ?, updated_at = now()"
                + " where org_id = ? and document_id = ? and revision = ?";
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, status);
            statement.setString(2, reason);
            key(statement, 3, job);
            statement.executeUpdate();
        }
    }

    private static void key(PreparedStatement statement, int first, ExtractionJob job) throws SQLException {
        statement.setString(first, job.orgId());
        statement.setString(first + 1, job.documentId());
        statement.setLong(first + 2, job.revision());
    }

    private static ExtractionJob read(ResultSet row) throws SQLException {
        String turnsJson = row.getString(6);
        List<ExtractionJob.Turn> turns = new ArrayList<>();
        if (turnsJson != null) {
            for (StoredTurn turn : parse(turnsJson, TURNS)) {
                turns.add(new ExtractionJob.Turn(
                        turn.position(),
                        new ConversationMessage(turn.role(), turn.content(), turn.name(), turn.createdAt())));
            }
        }
        return new ExtractionJob(
                row.getString(1),
                row.getString(2),
                row.getLong(3),
                row.getString(4),
                ExtractionJob.Kind.ofColumn(row.getString(5)),
                turns,
                row.getTimestamp(7).toInstant(),
                row.getString(8),
                parse(row.getString(9), METADATA),
                row.getInt(10));
    }

    private static List<StoredTurn> turns(ExtractionJob job) {
        return job.turns().stream()
                .map(t -> new StoredTurn(
                        t.position(),
                        t.message().role(),
                        t.message().name(),
                        t.message().createdAt(),
                        t.message().content()))
                .toList();
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot store as JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static <T> T parse(String json, TypeReference<T> type) throws SQLException {
        try {
            return JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new SQLException("unreadable extraction job column: " + e.getOriginalMessage(), e);
        }
    }

    /** A turn as stored in the {@code turns} column. */
    record StoredTurn(int position, String role, String name, Instant createdAt, String content) {}

    private record Claimed(ExtractionJob job, Instant createdAt) {}

    /**
     * What a finished job did.
     *
     * @param added memories created
     * @param updated memories superseded by a new version
     * @param extended memories given a new related memory
     * @param duplicates facts already known (their memories gained a source)
     * @param extractor the extractor's name
     */
    public record Outcome(int added, int updated, int extended, int duplicates, String extractor) {}
}

package dev.engram.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.engram.core.kafka.Topics;
import dev.engram.core.vectors.VectorKind;
import dev.engram.vectors.lucene.LuceneVectorStore;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads what the pipeline left for one organisation — straight from the tables, memory-writer's Lucene index and the
 * Kafka topics, not through the services under test — and lists every broken promise: a document not {@code done}, a
 * chunk too many or missing, a point missing from or extra in the index, a duplicated memory, an extraction job not
 * finished, an event left in an outbox or never published.
 */
final class PipelineState {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final FaultStack stack;

    PipelineState(FaultStack stack) {
        this.stack = stack;
    }

    /** How many of the organisation's documents are in each status (empty while PostgreSQL is down). */
    Map<String, Integer> documentStatuses(String orgId) {
        return countBy("select status, count(*) from ingest.documents where org_id = ? group by status", orgId);
    }

    /** How many of the organisation's extraction jobs are in each status (empty while PostgreSQL is down). */
    Map<String, Integer> jobStatuses(String orgId) {
        return countBy("select status, count(*) from writer.extraction_jobs where org_id = ? group by status", orgId);
    }

    /** Rows waiting in both outboxes, or -1 while PostgreSQL cannot be read. */
    long outboxRows() {
        try (Connection c = stack.jdbc();
                PreparedStatement s = c.prepareStatement(
                        "select (select count(*) from ingest.outbox) + (select count(*) from writer.outbox)");
                ResultSet r = s.executeQuery()) {
            r.next();
            return r.getLong(1);
        } catch (SQLException e) {
            return -1;
        }
    }

    /**
     * Whether the organisation's work is over: every document {@code done} or {@code failed}, no extraction job
     * pending or running, both outboxes empty.
     */
    boolean settled(String orgId, int expectedDocuments) {
        Map<String, Integer> docs = documentStatuses(orgId);
        int finished = docs.getOrDefault("done", 0) + docs.getOrDefault("failed", 0);
        int total = docs.values().stream().mapToInt(Integer::intValue).sum();
        Map<String, Integer> jobs = jobStatuses(orgId);
        return total >= expectedDocuments
                && finished == total
                && jobs.getOrDefault("pending", 0) == 0
                && jobs.getOrDefault("running", 0) == 0
                && jobs.values().stream().mapToInt(Integer::intValue).sum() >= docs.getOrDefault("done", 0)
                && outboxRows() == 0;
    }

    /**
     * Every broken promise for the organisation.
     *
     * @param accepted the documents ingest-service accepted, custom id to document id
     * @param unanswered custom ids of documents whose request got no answer (stored or not; if stored, owed too)
     * @return the problems, empty when all is well; and a one-line summary in {@code summary[0]}
     */
    List<String> problems(String orgId, Map<String, String> accepted, Set<String> unanswered, String[] summary)
            throws SQLException, IOException {
        List<String> problems = new ArrayList<>();
        Map<String, DocRow> docs = documents(orgId);
        int owed = 0;
        for (Map.Entry<String, String> entry : accepted.entrySet()) {
            DocRow row = docs.get(entry.getKey());
            if (row == null) {
                problems.add("accepted document " + entry.getKey() + " (" + entry.getValue() + ") is not stored");
            } else if (!row.id().equals(entry.getValue())) {
                problems.add("accepted document " + entry.getKey() + " was answered with id " + entry.getValue()
                        + " but is stored as " + row.id());
            }
        }
        for (DocRow row : docs.values()) {
            if (!accepted.containsKey(row.customId()) && !unanswered.contains(row.customId())) {
                problems.add("document " + row.customId() + " is stored though its request was refused");
            }
            owed++;
            if (!row.status().equals("done")) {
                problems.add("document " + row.customId() + " (" + row.id() + ") ended " + row.status()
                        + (row.reason() == null ? "" : ": " + row.reason()));
            }
        }

        // Chunks: exactly the chunk count the document reports, positions 0..n-1 once each, of its current revision.
        Map<String, ChunkStats> chunks = chunkStats(orgId);
        Map<String, Integer> reportedChunks = new HashMap<>();
        Map<String, Integer> doneEvents = countEvents(Topics.PROCESSING_STATUS, orgId, e -> {
            if (!"done".equals(e.path("status").asText())) {
                return false;
            }
            if (e.path("chunkCount").isInt()) {
                reportedChunks.put(
                        e.path("documentId").asText(), e.path("chunkCount").asInt());
            }
            return true;
        });
        long chunkRows = 0;
        for (DocRow row : docs.values()) {
            ChunkStats stats = chunks.getOrDefault(row.id(), new ChunkStats(0, 0, -1, Set.of()));
            chunkRows += stats.rows();
            if (row.status().equals("done")) {
                // What memory-writer reported in its done status, and what ingest-service shows for the document.
                Integer expected = reportedChunks.get(row.id());
                if (!java.util.Objects.equals(row.chunkCount(), expected)) {
                    problems.add("done document " + row.customId() + " shows chunkCount " + row.chunkCount()
                            + ", its done status said " + expected);
                }
                if (expected == null || expected < 1) {
                    problems.add("done document " + row.customId() + " has no chunk count in its done status");
                } else if (stats.rows() != expected
                        || stats.distinctPositions() != expected
                        || stats.maxPosition() != expected - 1) {
                    problems.add("document " + row.customId() + " has " + stats.rows() + " chunk rows ("
                            + stats.distinctPositions() + " positions, last " + stats.maxPosition() + "), expected "
                            + expected);
                }
                if (!stats.revisions().equals(Set.of(row.revision()))) {
                    problems.add("document " + row.customId() + " revision " + row.revision()
                            + " has chunks of revisions " + stats.revisions());
                }
            }
        }
        for (String documentId : chunks.keySet()) {
            if (docs.values().stream().noneMatch(d -> d.id().equals(documentId))) {
                problems.add("chunks of unknown document " + documentId);
            }
        }

        // The index: one point per chunk row and per memory row of the organisation, no more, no fewer.
        long memoryRows = single("select count(*) from writer.memories where org_id = ?", orgId);
        List<String> chunkIds = strings("select id from writer.chunks where org_id = ?", orgId);
        long chunkPoints;
        long memoryPoints;
        int chunkVectors;
        try (LuceneVectorStore index = LuceneVectorStore.openReader(stack.luceneRoot())) {
            chunkPoints = index.count(VectorKind.CHUNKS, orgId);
            memoryPoints = index.count(VectorKind.MEMORIES, orgId);
            chunkVectors = index.vectorsOf(VectorKind.CHUNKS, orgId, chunkIds).size();
        }
        if (chunkPoints != chunkRows || chunkVectors != chunkIds.size()) {
            problems.add("the index holds " + chunkPoints + " chunk points (" + chunkVectors + " of the "
                    + chunkIds.size() + " stored chunk ids) for " + chunkRows + " chunk rows");
        }
        if (memoryPoints != memoryRows) {
            problems.add("the index holds " + memoryPoints + " memory points for " + memoryRows + " memory rows");
        }

        // Memories: no fact twice among a tag's current memories; each observation of a source counted once.
        for (String duplicate : strings(
                "select container_tag || ': ' || memory || ' (' || count(*) || 'x)' from writer.memories"
                        + " where org_id = ? and is_latest and not is_forgotten"
                        + " group by container_tag, content_hash, memory having count(*) > 1",
                orgId)) {
            problems.add("duplicated memory " + duplicate);
        }
        for (String miscounted : strings(
                "select m.id || ' counts ' || m.source_count || ' sources, has ' || count(s.document_id)"
                        + " from writer.memories m left join writer.memory_sources s"
                        + " on s.org_id = m.org_id and s.memory_id = m.id"
                        + " where m.org_id = ? and m.version = 1"
                        + " group by m.id, m.source_count having m.source_count <> count(s.document_id)",
                orgId)) {
            problems.add("memory " + miscounted);
        }
        Map<String, Integer> jobs = jobStatuses(orgId);
        long doneDocs =
                docs.values().stream().filter(d -> d.status().equals("done")).count();
        if (jobs.getOrDefault("done", 0) != doneDocs || jobs.size() > 1) {
            problems.add("extraction jobs " + jobs + " for " + doneDocs + " done documents");
        }

        // Events: the outboxes drained; every stored document's event reached Kafka; each done document said so.
        long outbox = outboxRows();
        if (outbox != 0) {
            problems.add(outbox + " events still in the outboxes");
        }
        Map<String, Integer> published = countEvents(Topics.DOCUMENTS, orgId, e -> true);
        for (DocRow row : docs.values()) {
            if (!published.containsKey(row.id())) {
                problems.add("no event of document " + row.customId() + " reached " + Topics.DOCUMENTS);
            }
            if (row.status().equals("done") && !doneEvents.containsKey(row.id())) {
                problems.add("no done status of document " + row.customId() + " on " + Topics.PROCESSING_STATUS);
            }
        }
        for (String topic : List.of(Topics.PROCESSING_STATUS, Topics.DOCUMENTS)) {
            Map<String, Integer> dead = countEvents(Topics.dlq(topic), orgId, e -> true);
            if (!dead.isEmpty()) {
                problems.add(dead.values().stream().mapToInt(Integer::intValue).sum() + " events of "
                        + dead.size() + " documents went to " + Topics.dlq(topic) + ", e.g. documents "
                        + dead.keySet().stream()
                                .limit(5)
                                .map(id -> id + " (" + customIdOf(docs, id) + ")")
                                .toList());
            }
        }
        long republished = published.values().stream().mapToInt(n -> n - 1).sum();
        long redone = doneEvents.values().stream().mapToInt(n -> n - 1).sum();
        summary[0] = docs.size() + " documents stored (" + owed + " owed), statuses " + statusCounts(docs)
                + ", " + chunkRows + " chunk rows and " + chunkPoints + " chunk points, " + memoryRows
                + " memory rows and " + memoryPoints + " memory points, jobs " + jobs + "; " + published.size()
                + " documents published (" + republished + " redelivered events), " + doneEvents.size()
                + " done events (" + redone + " repeated after a redelivery)";
        return problems;
    }

    private static String customIdOf(Map<String, DocRow> docs, String documentId) {
        return docs.values().stream()
                .filter(d -> d.id().equals(documentId))
                .map(d -> d.customId() + ", " + d.status())
                .findFirst()
                .orElse("unknown");
    }

    private static Map<String, Integer> statusCounts(Map<String, DocRow> docs) {
        Map<String, Integer> counts = new TreeMap<>();
        docs.values().forEach(d -> counts.merge(d.status(), 1, Integer::sum));
        return counts;
    }

    private record DocRow(
            String id, String customId, String status, String reason, Integer chunkCount, long revision) {}

    private record ChunkStats(long rows, long distinctPositions, int maxPosition, Set<Long> revisions) {}

    private Map<String, DocRow> documents(String orgId) throws SQLException {
        Map<String, DocRow> rows = new HashMap<>();
        try (Connection c = stack.jdbc();
                PreparedStatement s = c.prepareStatement("select id, custom_id, status, status_reason, chunk_count,"
                        + " revision from ingest.documents where org_id = ?")) {
            s.setString(1, orgId);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    int stored = r.getInt(5);
                    Integer chunkCount = r.wasNull() ? null : stored;
                    rows.put(
                            r.getString(2),
                            new DocRow(
                                    r.getString(1),
                                    r.getString(2),
                                    r.getString(3),
                                    r.getString(4),
                                    chunkCount,
                                    r.getLong(6)));
                }
            }
        }
        return rows;
    }

    private Map<String, ChunkStats> chunkStats(String orgId) throws SQLException {
        Map<String, ChunkStats> stats = new HashMap<>();
        try (Connection c = stack.jdbc();
                PreparedStatement s = c.prepareStatement("select document_id, count(*), count(distinct position),"
                        + " max(position), array_agg(distinct revision) from writer.chunks where org_id = ?"
                        + " group by document_id")) {
            s.setString(1, orgId);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    Set<Long> revisions = new java.util.HashSet<>();
                    for (Object revision : (Object[]) r.getArray(5).getArray()) {
                        revisions.add(((Number) revision).longValue());
                    }
                    stats.put(r.getString(1), new ChunkStats(r.getLong(2), r.getLong(3), r.getInt(4), revisions));
                }
            }
        }
        return stats;
    }

    private Map<String, Integer> countBy(String sql, String orgId) {
        Map<String, Integer> counts = new TreeMap<>();
        try (Connection c = stack.jdbc();
                PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, orgId);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    counts.put(r.getString(1), r.getInt(2));
                }
            }
        } catch (SQLException e) {
            return Map.of();
        }
        return counts;
    }

    private long single(String sql, String orgId) throws SQLException {
        try (Connection c = stack.jdbc();
                PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, orgId);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    private List<String> strings(String sql, String orgId) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection c = stack.jdbc();
                PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, orgId);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    values.add(r.getString(1));
                }
            }
        }
        return values;
    }

    /**
     * Reads a topic from the beginning to its current end and counts, per document id, the events of the organisation
     * that pass the filter.
     */
    private Map<String, Integer> countEvents(String topic, String orgId, Predicate<JsonNode> filter)
            throws IOException {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
        Map<String, Integer> counts = new HashMap<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(10));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("could not read " + topic + " to its end within 30 s");
                }
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    JsonNode event = JSON.readTree(record.value());
                    if (orgId.equals(event.path("orgId").asText()) && filter.test(event)) {
                        counts.merge(event.path("documentId").asText(), 1, Integer::sum);
                    }
                }
            }
        }
        return counts;
    }
}

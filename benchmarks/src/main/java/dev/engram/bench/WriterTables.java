package dev.engram.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads memory-writer's extraction jobs and memories of some container tags straight from PostgreSQL (read only): the
 * API reports neither job timings nor turn-level provenance. One connection per call, so a restarted database costs
 * one failed poll, not the run.
 */
final class WriterTables {

    /** The tables this reads; all must exist. */
    static final List<String> TABLES = List.of("writer.extraction_jobs", "writer.memories", "writer.memory_sources");

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One row of {@code writer.extraction_jobs}.
     *
     * @param positions the message positions of the turns the job extracts from; empty if the job names none (a
     *     document job)
     * @param extractor {@code offline}, {@code llm}, … — set when the job is done, else {@code null}
     */
    record Job(
            String documentId,
            long revision,
            String containerTag,
            String kind,
            String status,
            String reason,
            int attempts,
            String extractor,
            List<Integer> positions,
            Instant createdAt,
            Instant updatedAt) {

        Job {
            positions = List.copyOf(positions);
        }

        /** Whether it will not change any more without outside help. */
        boolean terminal() {
            return "done".equals(status) || "failed".equals(status) || "skipped".equals(status);
        }
    }

    /**
     * One version of a memory and where it came from.
     *
     * @param forgotten forgotten, or past its {@code forget_after}
     * @param sources document id → source ref (e.g. {@code t12,t13}; may be {@code null})
     */
    record Memory(
            String id,
            String containerTag,
            int version,
            boolean latest,
            boolean forgotten,
            Map<String, String> sources) {

        Memory {
            sources = Collections.unmodifiableMap(new LinkedHashMap<>(sources));
        }
    }

    private final String url;
    private final String user;
    private final String password;

    WriterTables(String url, String user, String password) {
        this.url = Objects.requireNonNull(url, "url");
        this.user = user;
        this.password = password;
    }

    /**
     * Connects and checks the tables exist.
     *
     * @return what is wrong, or empty if the tables can be read
     */
    Optional<String> problem() {
        try (Connection connection = connect();
                PreparedStatement statement = connection.prepareStatement("select to_regclass(?)")) {
            List<String> missing = new ArrayList<>();
            for (String table : TABLES) {
                statement.setString(1, table);
                try (ResultSet rows = statement.executeQuery()) {
                    if (!rows.next() || rows.getString(1) == null) {
                        missing.add(table);
                    }
                }
            }
            return missing.isEmpty()
                    ? Optional.empty()
                    : Optional.of("the database at " + url + " has no " + String.join(", ", missing)
                            + " (is memory extraction deployed in this stack?)");
        } catch (SQLException e) {
            return Optional.of("cannot read the database at " + url + ": " + e.getMessage()
                    + " (pass --db-url, --db-user, --db-password)");
        }
    }

    /** The extraction jobs of {@code tags}, oldest first. */
    List<Job> jobs(Collection<String> tags) throws SQLException {
        String sql = "select document_id, revision, container_tag, kind, status, reason, attempts, extractor,"
                + " turns::text, created_at, updated_at from writer.extraction_jobs where container_tag = any(?)"
                + " order by created_at, revision";
        try (Connection connection = connect();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setArray(1, connection.createArrayOf("text", tags.toArray()));
            List<Job> jobs = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    jobs.add(new Job(
                            rows.getString(1),
                            rows.getLong(2),
                            rows.getString(3),
                            rows.getString(4),
                            rows.getString(5),
                            rows.getString(6),
                            rows.getInt(7),
                            rows.getString(8),
                            positions(rows.getString(9)),
                            instant(rows.getTimestamp(10)),
                            instant(rows.getTimestamp(11))));
                }
            }
            return jobs;
        }
    }

    /** Every version of every memory of {@code tags}, with its sources. */
    List<Memory> memories(Collection<String> tags) throws SQLException {
        String sql = "select m.id, m.container_tag, m.version, m.is_latest,"
                + " m.is_forgotten or (m.forget_after is not null and m.forget_after <= now()),"
                + " s.document_id, s.source_ref from writer.memories m left join writer.memory_sources s"
                + " on s.org_id = m.org_id and s.memory_id = m.id where m.container_tag = any(?)"
                + " order by m.container_tag, m.id";
        try (Connection connection = connect();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setArray(1, connection.createArrayOf("text", tags.toArray()));
            Map<String, Memory> memories = new LinkedHashMap<>();
            Map<String, Map<String, String>> sources = new LinkedHashMap<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    String id = rows.getString(1);
                    if (!memories.containsKey(id)) {
                        memories.put(
                                id,
                                new Memory(
                                        id,
                                        rows.getString(2),
                                        rows.getInt(3),
                                        rows.getBoolean(4),
                                        rows.getBoolean(5),
                                        Map.of()));
                        sources.put(id, new LinkedHashMap<>());
                    }
                    String document = rows.getString(6);
                    if (document != null) {
                        sources.get(id).put(document, rows.getString(7));
                    }
                }
            }
            List<Memory> result = new ArrayList<>(memories.size());
            memories.values()
                    .forEach(m -> result.add(new Memory(
                            m.id(), m.containerTag(), m.version(), m.latest(), m.forgotten(), sources.get(m.id()))));
            return result;
        }
    }

    /**
     * The positions a job's {@code turns} JSON names: each element's {@code position}, else its {@code ref}
     * ({@code t12} or {@code 12}). Empty for {@code null} or a shape this does not know.
     */
    static List<Integer> positions(String turnsJson) {
        if (turnsJson == null || turnsJson.isBlank()) {
            return List.of();
        }
        JsonNode turns;
        try {
            turns = JSON.readTree(turnsJson);
        } catch (IOException e) {
            return List.of();
        }
        List<Integer> positions = new ArrayList<>();
        for (JsonNode turn : turns) {
            if (turn.path("position").canConvertToInt()) {
                positions.add(turn.path("position").asInt());
            } else {
                turnRef(turn.path("ref").asText("")).ifPresent(positions::add);
            }
        }
        return positions;
    }

    /**
     * The positions a source ref names: {@code t12,t13} → 12, 13. Parts that are not turn refs (chunk ids, blanks) are
     * left out.
     */
    static List<Integer> sourcePositions(String sourceRef) {
        if (sourceRef == null || sourceRef.isBlank()) {
            return List.of();
        }
        List<Integer> positions = new ArrayList<>();
        for (String part : sourceRef.split(",")) {
            turnRef(part.strip()).ifPresent(positions::add);
        }
        return positions;
    }

    private static Optional<Integer> turnRef(String ref) {
        String digits = ref.startsWith("t") ? ref.substring(1) : ref;
        if (digits.isEmpty() || digits.length() > 9 || !digits.chars().allMatch(Character::isDigit)) {
            return Optional.empty();
        }
        return Optional.of(Integer.parseInt(digits));
    }

    private Connection connect() throws SQLException {
        Connection connection = DriverManager.getConnection(url, user, password);
        connection.setReadOnly(true);
        return connection;
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}

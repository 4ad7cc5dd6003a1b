package dev.engram.writer.consolidation;

import dev.engram.core.events.ConversationMessage;
import dev.engram.core.events.ConversationTranscript;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Remembers how many turns of each conversation were handed to extraction ({@code writer.conversation_progress}),
 * so a longer re-sent conversation yields only its new turns. A conversation whose earlier turns changed (history
 * rewritten) yields every turn again; the consolidation then merges what it already knew by content hash.
 */
@ApplicationScoped
public class ConversationProgress {

    /**
     * The turns of {@code messages} not extracted before, and records that all of them now are; runs inside the
     * caller's transaction and locks the conversation's row, so two deliveries cannot both take the same turns.
     */
    public List<ExtractionJob.Turn> takeNewTurns(
            Connection connection, String orgId, String documentId, List<ConversationMessage> messages)
            throws SQLException {
        int seen = 0;
        String prefixHash = null;
        String select = "select turns_seen, prefix_hash from writer.conversation_progress"
                + " where org_id = ? and document_id = ? for update";
        try (PreparedStatement statement = connection.prepareStatement(select)) {
            statement.setString(1, orgId);
            statement.setString(2, documentId);
            try (ResultSet row = statement.executeQuery()) {
                if (row.next()) {
                    seen = row.getInt(1);
                    prefixHash = row.getString(2);
                }
            }
        }
        int from = seen <= messages.size() && hash(messages.subList(0, seen)).equals(prefixHash) ? seen : 0;
        if (prefixHash != null && from == messages.size()) {
            return List.of();
        }
        String upsert = "insert into writer.conversation_progress (org_id, document_id, turns_seen, prefix_hash)"
                + " values (?,?,?,?) on conflict (org_id, document_id) do update"
                + " set turns_seen = excluded.turns_seen, prefix_hash = excluded.prefix_hash, updated_at = now()";
        try (PreparedStatement statement = connection.prepareStatement(upsert)) {
            statement.setString(1, orgId);
            statement.setString(2, documentId);
            statement.setInt(3, messages.size());
            statement.setString(4, hash(messages));
            statement.executeUpdate();
        }
        List<ExtractionJob.Turn> turns = new ArrayList<>();
        for (int i = from; i < messages.size(); i++) {
            turns.add(new ExtractionJob.Turn(i, messages.get(i)));
        }
        return turns;
    }

    /** Forgets a deleted conversation, so re-adding it later extracts it again. */
    public void forget(Connection connection, String orgId, String documentId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "delete from writer.conversation_progress where org_id = ? and document_id = ?")) {
            statement.setString(1, orgId);
            statement.setString(2, documentId);
            statement.executeUpdate();
        }
    }

    static String hash(List<ConversationMessage> messages) {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
        for (ConversationMessage message : messages) {
            sha256.update(ConversationTranscript.line(message).getBytes(StandardCharsets.UTF_8));
            sha256.update((byte) 0);
        }
        return HexFormat.of().formatHex(sha256.digest());
    }
}

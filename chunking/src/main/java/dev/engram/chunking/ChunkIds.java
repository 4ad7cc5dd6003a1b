package dev.engram.chunking;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.UUID;

/**
 * Deterministic chunk ids, which are also the ids of the chunks' vector points.
 *
 * <p>A chunk's id is derived from what it is, not from where it is: {@code (orgId, documentId, contentHash,
 * occurrence)}, where {@code contentHash} is the hash of the chunk's full text and {@code occurrence} numbers repeated
 * identical chunks within the document in order. The position ({@link Chunk#index()}) is deliberately left out, so:
 *
 * <ul>
 *   <li>reprocessing the same revision (a redelivered event) yields the same ids and overwrites the same points;
 *   <li>a new revision in which one paragraph changed keeps the ids of every chunk whose text did not change, even
 *       though their indexes shift; only chunks whose text changed get new ids (the changed paragraph's chunk, and the
 *       next one when its overlap came from the change), so their vectors alone need re-embedding, and ids that
 *       disappeared are the points to delete;
 *   <li>two identical chunks in one document (a repeated disclaimer) still get distinct ids through the occurrence.
 * </ul>
 *
 * <p>The org and document are part of the hash so equal text in two documents never shares a point. Ids are
 * name-based UUIDs (version 8 layout, SHA-256), a form both vector stores accept.
 */
public final class ChunkIds {

    private ChunkIds() {}

    /** The id of a chunk of the given document. */
    public static String of(String orgId, String documentId, Chunk chunk) {
        return of(orgId, documentId, chunk.contentHash(), chunk.occurrence());
    }

    /** The id for a chunk with this content hash and occurrence in the given document. */
    public static String of(String orgId, String documentId, String contentHash, int occurrence) {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(documentId, "documentId");
        Objects.requireNonNull(contentHash, "contentHash");
        if (occurrence < 0) {
            throw new IllegalArgumentException("occurrence must not be negative");
        }
        String name =
                "engram-chunk\u0000" + orgId + '\u0000' + documentId + '\u0000' + contentHash + '\u0000' + occurrence;
        byte[] hash = sha256(name.getBytes(StandardCharsets.UTF_8));
        hash[6] = (byte) ((hash[6] & 0x0f) | 0x80); // version 8
        hash[8] = (byte) ((hash[8] & 0x3f) | 0x80); // RFC 9562 variant
        long high = 0;
        long low = 0;
        for (int i = 0; i < 8; i++) {
            high = (high << 8) | (hash[i] & 0xff);
            low = (low << 8) | (hash[i + 8] & 0xff);
        }
        return new UUID(high, low).toString();
    }

    /** SHA-256 of a chunk text, lower-case hex. */
    static String contentHash(String text) {
        return HexFormat.of().formatHex(sha256(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is a required JDK algorithm", e);
        }
    }
}

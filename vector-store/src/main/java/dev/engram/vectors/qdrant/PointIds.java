package dev.engram.vectors.qdrant;

import dev.engram.vectors.PointKeys;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/**
 * Qdrant point ids, which must be UUIDs or integers: a name-based (version 5, SHA-1) UUID of the point's
 * {@link PointKeys key} (organisation and id) in Engram's own namespace. The same point always gets the same UUID,
 * so a redelivered write replaces it; the original id is kept in the payload.
 */
public final class PointIds {

    /** Engram's UUID namespace for point ids (fixed forever: changing it would orphan every stored point). */
    static final UUID NAMESPACE = UUID.fromString("9d2e8f25-809c-40f8-a439-4df07efd20ae");

    private PointIds() {}

    /** The Qdrant point UUID of point {@code id} of organisation {@code orgId}. */
    public static UUID of(String orgId, String id) {
        return nameBased(NAMESPACE, PointKeys.of(orgId, id));
    }

    /** The RFC 9562 version-5 UUID of {@code name} (UTF-8) in {@code namespace}. */
    static UUID nameBased(UUID namespace, String name) {
        MessageDigest sha1;
        try {
            sha1 = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM provides SHA-1", e);
        }
        sha1.update(ByteBuffer.allocate(16)
                .putLong(namespace.getMostSignificantBits())
                .putLong(namespace.getLeastSignificantBits())
                .array());
        byte[] hash = sha1.digest(name.getBytes(StandardCharsets.UTF_8));
        hash[6] = (byte) ((hash[6] & 0x0f) | 0x50); // version 5
        hash[8] = (byte) ((hash[8] & 0x3f) | 0x80); // IETF variant
        ByteBuffer bits = ByteBuffer.wrap(hash, 0, 16);
        return new UUID(bits.getLong(), bits.getLong());
    }
}

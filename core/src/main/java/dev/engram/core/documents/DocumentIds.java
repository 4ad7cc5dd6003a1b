package dev.engram.core.documents;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/** Generates document ids: 22 random base-62 characters (about 131 bits), like Supermemory's. */
public final class DocumentIds {

    private static final char[] ALPHABET =
            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final int LENGTH = 22;
    private static final SecureRandom RANDOM = new SecureRandom();

    private DocumentIds() {}

    /**
     * The id of the document that stores a conversation: derived from the organisation, container tag and
     * conversation id, so the API and the router name the same document without asking each other.
     */
    public static String forConversation(String orgId, String containerTag, String conversationId) {
        return derived("conversation", orgId, containerTag, conversationId);
    }

    /**
     * A deterministic id in the same alphabet and length as {@link #next()}, from a SHA-256 over the parts (each
     * length-prefixed, so no two part lists collide by concatenation).
     */
    public static String derived(String... parts) {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
        for (String part : parts) {
            byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
            sha256.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
            sha256.update(bytes);
        }
        BigInteger value = new BigInteger(1, sha256.digest());
        BigInteger base = BigInteger.valueOf(ALPHABET.length);
        char[] id = new char[LENGTH];
        for (int i = LENGTH - 1; i >= 0; i--) {
            BigInteger[] division = value.divideAndRemainder(base);
            id[i] = ALPHABET[division[1].intValue()];
            value = division[0];
        }
        return new String(id);
    }

    /** A new random document id. */
    public static String next() {
        char[] id = new char[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            id[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return new String(id);
    }
}

package dev.engram.core.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;

/**
 * API key material: new keys, the hash that is stored in their place, and the hint shown in listings.
 *
 * <p>A key is {@code em_} followed by 43 random base62 characters (256 bits from {@link SecureRandom}). Only its
 * SHA-256 is stored; a slow password hash would add nothing for a secret with that much entropy, and a plain digest
 * lets every service find a key by one indexed lookup. The key itself is returned once, when it is created.
 */
public final class ApiKeys {

    /** Every key Engram issues starts with this. */
    public static final String PREFIX = "em_";

    private static final int RANDOM_CHARACTERS = 43;
    private static final char[] BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private ApiKeys() {}

    /** A new random key. */
    public static String generate() {
        StringBuilder key = new StringBuilder(PREFIX.length() + RANDOM_CHARACTERS).append(PREFIX);
        for (int i = 0; i < RANDOM_CHARACTERS; i++) {
            key.append(BASE62[RANDOM.nextInt(BASE62.length)]);
        }
        return key.toString();
    }

    /** Lower-case hex SHA-256 of the key's UTF-8 bytes: what is stored and looked up. */
    public static String hash(String key) {
        Objects.requireNonNull(key, "key");
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }

    /** Enough of a key to recognise it in a listing and not enough to use it: {@code em_Ab3x…9QzT}. */
    public static String hint(String key) {
        Objects.requireNonNull(key, "key");
        if (key.length() < 12) {
            return "…";
        }
        return key.substring(0, 7) + "…" + key.substring(key.length() - 4);
    }
}

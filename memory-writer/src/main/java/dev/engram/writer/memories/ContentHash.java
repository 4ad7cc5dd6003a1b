package dev.engram.writer.memories;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The duplicate key of a memory: SHA-256 (hex) of its text normalised so that trivially different spellings of the
 * same fact collide: Unicode NFKC, lower case, runs of whitespace as one space, no leading or trailing whitespace,
 * trailing sentence punctuation ({@code . ! ?}) dropped.
 */
public final class ContentHash {

    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private static final Pattern TRAILING_PUNCTUATION = Pattern.compile("[.!?]+$");

    private ContentHash() {}

    /** The hash of {@code text}. */
    public static String of(String text) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha256.digest(normalise(text).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** The normalised form of {@code text} that {@link #of} hashes. */
    public static String normalise(String text) {
        String folded = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        String collapsed = WHITESPACE.matcher(folded).replaceAll(" ").strip();
        return TRAILING_PUNCTUATION.matcher(collapsed).replaceAll("").stripTrailing();
    }
}

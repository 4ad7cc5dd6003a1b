package dev.engram.router.chat;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;

/**
 * Counts tokens with OpenAI's {@code o200k_base} byte-pair encoding (jtokkit, encodings shipped in its jar). Other
 * providers' tokenizers differ by some percent; budgets are limits, not billing, so one real tokenizer for all is
 * close enough. Special-token text such as {@code <|endoftext|>} counts as ordinary text. Thread-safe.
 */
public final class TokenCounter {

    /** Tokens a chat message costs beyond its text (role and delimiters), as OpenAI documents for its chat format. */
    public static final int PER_MESSAGE = 4;

    private final Encoding encoding;

    private TokenCounter(Encoding encoding) {
        this.encoding = encoding;
    }

    /** The {@code o200k_base} counter (loads its ranks once; about a second). */
    public static TokenCounter o200k() {
        return new TokenCounter(Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE));
    }

    /** Tokens of {@code text}; 0 for {@code null}. */
    public int count(String text) {
        return text == null || text.isEmpty() ? 0 : encoding.countTokensOrdinary(text);
    }
}

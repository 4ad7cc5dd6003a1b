package dev.engram.embeddings;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Reading only the ids from the native encoding gives exactly the ids of DJL's full {@code encode}; and counts add up
 * over whitespace, as {@link OnnxMiniLmEmbedder#countsAddUp()} says.
 */
class WordPieceTokenizerTest {

    private static final String[] WORDS = {
        "Kafka",
        "naïve",
        "café",
        "RÉSUMÉ",
        "don't",
        "e-mail",
        "3.14",
        "(see",
        "above)",
        "東京",
        "über",
        "x",
        "ﬁnance",
        "supercalifragilisticexpialidocious",
        "ÅNGSTRÖM",
        "tea,",
        "well…",
        "#tag",
        "C++",
        "a/b",
        "“quoted”",
        "½",
        "\t",
        "\n",
        "ｆｕｌｌ",
        "Ⅻ",
        "😀",
        "naïveté",
        "ß",
        "İstanbul",
        "ǅ",
        "\u200b",
        "co\u0301te",
        "العربية",
        "ελληνικά"
    };

    @ParameterizedTest
    @EnumSource(
            value = MiniLmVariant.class,
            names = {"QUANTIZED", "BGE_SMALL_QUANTIZED", "E5_SMALL_QUANTIZED"})
    void directIdsAreDjlsIds(MiniLmVariant variant) throws Exception {
        try (InputStream json = getClass().getClassLoader().getResourceAsStream(variant.tokenizerResource());
                WordPieceTokenizer tokenizer = WordPieceTokenizer.load(json, 256)) {
            assertThat(tokenizer.direct())
                    .as("the load-time check passes for %s", variant)
                    .isTrue();
            Random random = new Random(variant.ordinal());
            for (int round = 0; round < 2_000; round++) {
                String sample = joinedWords(random, random.nextInt(60));
                assertThat(tokenizer.directIds(sample, true)).as(sample).isEqualTo(tokenizer.djlIds(sample, true));
                assertThat(tokenizer.countTokens(sample)).as(sample).isEqualTo(tokenizer.djlIds(sample, false).length);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(
            value = MiniLmVariant.class,
            names = {"QUANTIZED", "BGE_SMALL_QUANTIZED", "E5_SMALL_QUANTIZED"})
    void countsAddUpOverWhitespace(MiniLmVariant variant) throws Exception {
        String[] separators = {" ", "\n", "\n\n", "\t", "  \n "};
        try (InputStream json = getClass().getClassLoader().getResourceAsStream(variant.tokenizerResource());
                WordPieceTokenizer tokenizer = WordPieceTokenizer.load(json, 256)) {
            Random random = new Random(7);
            for (int round = 0; round < 300; round++) {
                String a = words(random, 1 + random.nextInt(12));
                String b = words(random, 1 + random.nextInt(12));
                String joined = a + separators[random.nextInt(separators.length)] + b;
                assertThat(tokenizer.countTokens(joined))
                        .as("%s | %s", a, b)
                        .isEqualTo(tokenizer.countTokens(a) + tokenizer.countTokens(b));
            }
        }
    }

    /** Pieces of text the Java path handles (and a few it must hand over), for random texts. */
    private static final String[] PLAIN_PIECES = {
        "the",
        "The",
        "THE",
        "unaffable",
        "Kafka's",
        "tokenization",
        "xqzvwk",
        "re-indexed",
        "3.14159",
        "1,000",
        "e.g.",
        "(a)",
        "[b]",
        "{c}",
        "<d>",
        "a/b\\c",
        "~tilde",
        "`tick`",
        "^caret",
        "_under_",
        "|pipe|",
        "@at",
        "#hash",
        "$5",
        "%",
        "&",
        "*",
        "+",
        "=",
        "?!",
        ";:",
        "\"",
        "'",
        "‘",
        "’",
        "“",
        "”",
        "–",
        "—",
        "…",
        "[CLS]",
        "[SEP]x",
        "y[MASK]",
        "[PAD",
        "UNK]",
        "\u0000",
        "\u0001",
        "\u0007",
        "\u000b",
        "\u000c",
        "\u001f",
        "\u007f",
        "\t",
        "\n",
        "\r",
        "  ",
        "café",
        "naïve",
        "東京",
        "😀",
        "\u00a0",
        "\u2009",
        "Ⅻ",
        "ﬁ"
    };

    @ParameterizedTest
    @EnumSource(
            value = MiniLmVariant.class,
            names = {"QUANTIZED", "BGE_SMALL_QUANTIZED", "E5_SMALL_QUANTIZED"})
    void javaPathGivesTheNativeIds(MiniLmVariant variant) throws Exception {
        try (InputStream json = getClass().getClassLoader().getResourceAsStream(variant.tokenizerResource());
                WordPieceTokenizer tokenizer = WordPieceTokenizer.load(json, 100_000)) {
            assertThat(tokenizer.plainInJava())
                    .as("the load-time check passes for %s", variant)
                    .isTrue();
            Random random = new Random(31 + variant.ordinal());
            for (int round = 0; round < 3_000; round++) {
                String sample = plainText(random, random.nextInt(80));
                assertThat(tokenizer.encodeForModel(sample))
                        .as("%s", sample)
                        .isEqualTo(tokenizer.directIds(sample, true));
                assertThat(tokenizer.countTokens(sample))
                        .as("%s", sample)
                        .isEqualTo(tokenizer.directIds(sample, false).length);
            }
        }
    }

    /** Pieces and random ASCII characters, with or without spaces between them, now and then a very long word. */
    private static String plainText(Random random, int n) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < n; i++) {
            text.append(random.nextInt(3) == 0 ? "" : " ");
            switch (random.nextInt(10)) {
                case 0 -> text.append((char) random.nextInt(128));
                case 1 -> text.append(WORDS[random.nextInt(WORDS.length)]);
                case 2 -> {
                    if (random.nextInt(20) == 0) {
                        text.append("ab".repeat(45 + random.nextInt(15)));
                    } else {
                        text.append((char) ('a' + random.nextInt(26))).append((char) ('A' + random.nextInt(26)));
                    }
                }
                default -> text.append(PLAIN_PIECES[random.nextInt(PLAIN_PIECES.length)]);
            }
        }
        return text.toString();
    }

    /** Words, mostly with a space between them, sometimes run together. */
    private static String joinedWords(Random random, int n) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < n; i++) {
            text.append(random.nextInt(4) == 0 ? "" : " ").append(WORDS[random.nextInt(WORDS.length)]);
        }
        return text.toString();
    }

    /** Words with a space between each two. */
    private static String words(Random random, int n) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < n; i++) {
            text.append(i == 0 ? "" : " ").append(WORDS[random.nextInt(WORDS.length)]);
        }
        return text.toString();
    }
}

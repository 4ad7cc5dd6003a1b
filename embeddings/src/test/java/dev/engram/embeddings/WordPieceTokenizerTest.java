package dev.engram.embeddings;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Reading only the ids from the native encoding gives exactly the ids of DJL's full {@code encode}. */
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
                StringBuilder text = new StringBuilder();
                int n = random.nextInt(60);
                for (int i = 0; i < n; i++) {
                    text.append(random.nextInt(4) == 0 ? "" : " ").append(WORDS[random.nextInt(WORDS.length)]);
                }
                String sample = text.toString();
                assertThat(tokenizer.directIds(sample, true)).as(sample).isEqualTo(tokenizer.djlIds(sample, true));
                assertThat(tokenizer.countTokens(sample)).as(sample).isEqualTo(tokenizer.djlIds(sample, false).length);
            }
        }
    }
}

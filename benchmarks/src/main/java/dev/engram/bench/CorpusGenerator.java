package dev.engram.bench;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * A deterministic benchmark corpus: short notes of one to three sentences and long Markdown reports of a few thousand
 * words, drawn from {@link Vocabulary} with sentence templates.
 *
 * <p>The same seed gives the same texts, in the same order, on every JDK ({@link Random}'s algorithm is specified).
 * Document {@code i} depends only on the seed and documents {@code 0..i-1}, so a smaller corpus is a prefix of a
 * larger one. No two documents have the same content (a repeat is redrawn), so content-hash deduplication in the
 * pipeline never skips one.
 */
final class CorpusGenerator {

    /** Words in a long document, drawn uniformly from this range. */
    static final int LONG_MIN_WORDS = 2_000;

    static final int LONG_MAX_WORDS = 4_000;

    /** A generated document. */
    enum Kind {
        SHORT,
        LONG
    }

    /**
     * One document to add.
     *
     * @param customId unique within the run
     * @param containerTag one of the run's tags
     * @param content plain text (short) or Markdown (long)
     * @param metadata flat metadata stored with the document
     * @param taskType sent as {@code taskType} unless {@code null}
     */
    record Document(
            String customId,
            String containerTag,
            String content,
            Kind kind,
            Map<String, String> metadata,
            String taskType) {
        Document {
            metadata = Map.copyOf(metadata);
        }

        /** A document with the API's default {@code taskType} (none sent). */
        Document(String customId, String containerTag, String content, Kind kind, Map<String, String> metadata) {
            this(customId, containerTag, content, kind, metadata, null);
        }

        /** This document, sent with {@code taskType} ({@code memory} or {@code superrag}). */
        Document withTaskType(String taskType) {
            return new Document(customId, containerTag, content, kind, metadata, taskType);
        }

        /** A generated document, with the ingest benchmark's metadata {@code {benchmark: ingest, kind}}. */
        Document(String customId, String containerTag, String content, Kind kind) {
            this(
                    customId,
                    containerTag,
                    content,
                    kind,
                    Map.of("benchmark", "ingest", "kind", kind.name().toLowerCase(Locale.ROOT)));
        }
    }

    private final long seed;

    CorpusGenerator(long seed) {
        this.seed = seed;
    }

    /**
     * {@code shortCount} short and {@code longCount} long documents, shorts first, spread round-robin over
     * {@code tagCount} container tags named {@code <idPrefix>-tNN}; custom ids are {@code <idPrefix>-s00042} and
     * {@code <idPrefix>-l00007}.
     */
    List<Document> generate(int shortCount, int longCount, String idPrefix, int tagCount) {
        if (shortCount < 0 || longCount < 0 || tagCount < 1) {
            throw new IllegalArgumentException("counts must be >= 0 and tags >= 1");
        }
        List<Document> documents = new ArrayList<>(shortCount + longCount);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < shortCount; i++) {
            Random random = random(Kind.SHORT, i);
            String content = shortDocument(random);
            while (!seen.add(content)) {
                content = shortDocument(random);
            }
            documents.add(new Document(id(idPrefix, 's', i), tag(idPrefix, i, tagCount), content, Kind.SHORT));
        }
        for (int i = 0; i < longCount; i++) {
            Random random = random(Kind.LONG, i);
            String content = longDocument(random);
            while (!seen.add(content)) {
                content = longDocument(random);
            }
            documents.add(
                    new Document(id(idPrefix, 'l', i), tag(idPrefix, shortCount + i, tagCount), content, Kind.LONG));
        }
        return documents;
    }

    private Random random(Kind kind, int index) {
        // Distinct, well-mixed seeds per document (SplitMix64 finaliser), fixed by the run seed.
        long z = seed * 0x9E3779B97F4A7C15L + (kind.ordinal() + 1L) * 0xBF58476D1CE4E5B9L + index;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return new Random(z ^ (z >>> 31));
    }

    private static String id(String prefix, char kind, int index) {
        return String.format(Locale.ROOT, "%s-%c%05d", prefix, kind, index);
    }

    private static String tag(String prefix, int index, int tagCount) {
        return String.format(Locale.ROOT, "%s-t%02d", prefix, index % tagCount);
    }

    /** One to three sentences. */
    static String shortDocument(Random random) {
        int sentences = 1 + random.nextInt(3);
        StringBuilder text = new StringBuilder();
        for (int s = 0; s < sentences; s++) {
            if (s > 0) {
                text.append(' ');
            }
            text.append(sentence(random));
        }
        return text.toString();
    }

    /** A Markdown report: a title, sections with paragraphs and the odd bullet list, a few thousand words. */
    static String longDocument(Random random) {
        int targetWords = LONG_MIN_WORDS + random.nextInt(LONG_MAX_WORDS - LONG_MIN_WORDS + 1);
        String topic = Vocabulary.pick(random, Vocabulary.TOPICS);
        StringBuilder text = new StringBuilder()
                .append("# ")
                .append(topic)
                .append(": notes from ")
                .append(Vocabulary.pick(random, Vocabulary.PLACES))
                .append("\n\n");
        int words = 0;
        while (words < targetWords) {
            text.append("## ")
                    .append(Vocabulary.pick(random, Vocabulary.SECTION_HEADINGS))
                    .append("\n\n");
            int paragraphs = 2 + random.nextInt(4);
            for (int p = 0; p < paragraphs && words < targetWords; p++) {
                if (random.nextInt(5) == 0) {
                    int items = 3 + random.nextInt(4);
                    for (int i = 0; i < items; i++) {
                        String item = sentence(random);
                        words += wordCount(item);
                        text.append("- ").append(item).append('\n');
                    }
                } else {
                    int sentences = 4 + random.nextInt(5);
                    for (int s = 0; s < sentences; s++) {
                        String sentence = sentence(random);
                        words += wordCount(sentence);
                        text.append(s == 0 ? "" : " ").append(sentence);
                    }
                    text.append('\n');
                }
                text.append('\n');
            }
        }
        return text.toString().strip() + "\n";
    }

    /** One sentence from a template. */
    static String sentence(Random random) {
        String name = Vocabulary.pick(random, Vocabulary.NAMES);
        String other = Vocabulary.pick(random, Vocabulary.NAMES);
        String noun = Vocabulary.pick(random, Vocabulary.NOUNS);
        String noun2 = Vocabulary.pick(random, Vocabulary.NOUNS);
        String adjective = Vocabulary.pick(random, Vocabulary.ADJECTIVES);
        String verb = Vocabulary.pick(random, Vocabulary.VERBS);
        String place = Vocabulary.pick(random, Vocabulary.PLACES);
        String time = Vocabulary.pick(random, Vocabulary.TIMES);
        int number = 2 + random.nextInt(480);
        return switch (random.nextInt(12)) {
            case 0 -> name + " " + verb + " the " + adjective + " " + noun + " in " + place + " " + time + ".";
            case 1 -> capitalise(time) + ", " + name + " and " + other + " " + verb + " a " + noun + " together.";
            case 2 -> "The " + noun + " near the " + noun2 + " in " + place + " is " + adjective + " but still useful.";
            case 3 ->
                name + " " + Vocabulary.pick(random, Vocabulary.FEELINGS) + " the " + adjective + " " + noun + ".";
            case 4 ->
                "We spent " + number + " euros on the " + noun + ", which " + other + " " + verb + " " + time + ".";
            case 5 -> "Remember that " + name + " prefers the " + adjective + " " + noun + " to the " + noun2 + ".";
            case 6 -> "In " + place + ", about " + number + " people " + verb + " the " + noun + " " + time + ".";
            case 7 -> "Why was the " + noun + " so " + adjective + " when " + name + " " + verb + " it?";
            case 8 ->
                name + "'s " + noun + " needs to be " + verb + " before " + other + " arrives from " + place + ".";
            case 9 -> "After " + number + " attempts, the " + noun2 + " was finally " + verb + " by " + name + ".";
            case 10 -> "Note: " + name + " lives in " + place + " and keeps a " + adjective + " " + noun + " at home.";
            default ->
                "The " + adjective + " " + noun + " that " + name + " " + verb + " " + time + " turned out to" + " be "
                        + Vocabulary.pick(random, Vocabulary.ADJECTIVES) + ".";
        };
    }

    private static String capitalise(String text) {
        return Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }

    static int wordCount(String text) {
        String stripped = text.strip();
        return stripped.isEmpty() ? 0 : stripped.split("\\s+").length;
    }
}

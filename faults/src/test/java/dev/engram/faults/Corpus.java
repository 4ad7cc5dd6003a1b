package dev.engram.faults;

import java.util.ArrayList;
import java.util.List;

/**
 * Short, distinct, deterministic documents that read like personal notes, so the offline extractor makes memories of
 * them. Each has a custom id, so a document whose POST got no answer can still be looked up afterwards.
 */
final class Corpus {

    /** One document to add. */
    record Doc(String customId, String containerTag, String content) {}

    private static final String[] CITIES = {
        "Lisbon", "Oslo", "Nairobi", "Quito", "Hanoi", "Tbilisi", "Perth", "Montreal", "Porto", "Kyoto", "Dakar"
    };
    private static final String[] JOBS = {
        "nurse", "carpenter", "data analyst", "teacher", "pilot", "baker", "architect", "translator", "chemist"
    };
    private static final String[] HOBBIES = {
        "rock climbing", "chess", "sourdough baking", "birdwatching", "salsa dancing", "kayaking", "pottery", "running"
    };
    private static final String[] NAMES = {"Ana", "Bruno", "Chloe", "Dmitri", "Esi", "Farid", "Grace", "Hugo", "Ines"};

    private Corpus() {}

    /**
     * {@code count} documents spread over {@code tags} container tags.
     *
     * @param prefix prefix of every custom id and tag, unique per scenario
     */
    static List<Doc> of(String prefix, int count, int tags) {
        List<Doc> docs = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            docs.add(doc(prefix, i, tags));
        }
        return docs;
    }

    /** The {@code i}-th document of a corpus. */
    static Doc doc(String prefix, int i, int tags) {
        String name = NAMES[i % NAMES.length];
        String content =
                "Note %d. I moved to %s in %d and I work as a %s. My friend %s has loved %s since %d, and we meet every %s."
                        .formatted(
                                i,
                                CITIES[i % CITIES.length],
                                1990 + i % 30,
                                JOBS[(i / 3) % JOBS.length],
                                name,
                                HOBBIES[(i / 7) % HOBBIES.length],
                                2000 + i % 20,
                                i % 2 == 0 ? "Saturday" : "Tuesday");
        return new Doc(prefix + "-doc-" + i, prefix + "-tag-" + (i % tags), content);
    }
}

package dev.engram.memory.extract.offline;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Tells long-lived traits (static facts) from episodes (dynamic facts).
 *
 * <p>Static: a fact in the {@link Slots slot model} (where someone lives, works, their age...), or one that speaks of
 * identity, preferences, relationships, health or habits ("loves", "is allergic to", "her husband", "usually") and
 * names no date and no one-off past event ("went", "bought"; a habit word such as "always" overrides). Everything
 * else — anything dated, anything that happened — is dynamic. Matching is by word lookup, not regular expressions, so
 * it costs one pass over the text.
 */
final class Traits {

    private static final Set<String> TRAIT_WORDS = Lexicon.words("""
            lives live living resides reside hometown native named job career profession employed studies
            studying major majors majoring loves love hates hate likes prefers prefer enjoys enjoy adores
            dislikes passionate favorite favourite fave allergic allergy vegan vegetarian married single
            divorced engaged dating boyfriend girlfriend husband wife partner son sons daughter daughters kids
            children mom mother dad father sister sisters brother brothers grandma grandmother grandpa
            grandfather birthday speaks transgender gay lesbian bisexual queer nonbinary non-binary believes
            believe values always usually hobby hobbies pet pets dog dogs cat cats
            """);

    private static final List<String> TRAIT_PHRASES = List.of(
            "grew up",
            "is from",
            "comes from",
            "come from",
            "home country",
            "born in",
            "name is",
            "works as",
            "works at",
            "works for",
            "works in",
            "is into",
            "fan of",
            "years old",
            "identifies as",
            "dream is",
            "dreams of",
            "goal is",
            "keen on",
            "interested in",
            "every day",
            "every week",
            "every morning",
            "every night",
            "every weekend",
            "every year");

    private static final Set<String> EPISODE_WORDS = Lexicon.words("""
            went visited attended saw met bought took did tried started finished joined won received watched
            played painted got had ran made found lost celebrated hosted organized organised traveled travelled
            returned
            """);

    private static final Set<String> HABIT_WORDS = Set.of("always", "usually", "every", "often", "whenever");

    private Traits() {}

    /**
     * Whether {@code fact} is static.
     *
     * @param dated whether it names a date (relative or absolute)
     * @param slotted whether the {@link Slots slot model} recognises it
     */
    static boolean isStatic(String fact, boolean dated, boolean slotted) {
        if (slotted) {
            return true;
        }
        if (dated) {
            return false;
        }
        String lower = fact.toLowerCase(Locale.ROOT);
        List<String> words = Words.of(lower);
        boolean trait = words.stream().anyMatch(TRAIT_WORDS::contains)
                || TRAIT_PHRASES.stream().anyMatch(lower::contains);
        if (!trait) {
            return false;
        }
        return words.stream().noneMatch(EPISODE_WORDS::contains)
                || words.stream().anyMatch(HABIT_WORDS::contains);
    }
}

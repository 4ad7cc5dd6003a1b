package dev.engram.memory.extract.offline;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small subject–attribute model for third-person facts: "Ana lives in Paris" is subject {@code Ana}, slot {@link
 * Slot#RESIDENCE}, value {@code paris}. Two facts about the same subject and slot with different values conflict when
 * the slot holds one value at a time (she lives in one city), so the newer one updates the older; a slot that holds
 * several (pets) never conflicts.
 *
 * <p>The subject is the fact's first one or two capitalised words, or "the user", after at most one linking word
 * ("Then Ana moved to Rome"); a fact that does not start with its subject, or says nothing this model knows, has no
 * slot.
 */
final class Slots {

    /** An attribute of a subject. */
    enum Slot {
        /** Where the subject lives: "lives in", "moved to", "relocated to", "is based in". */
        RESIDENCE(true),
        /** Who the subject works for: "works at", "works for", "got a job at". */
        EMPLOYER(true),
        /** What the subject works as: "works as a", "'s job is", "became a". */
        OCCUPATION(true),
        /** The subject's name: "'s name is". */
        NAME(true),
        /** A favourite, keyed by what it is a favourite of: "'s favourite colour is". */
        FAVOURITE(true),
        /** Age: "is 34 years old", "turned 34". */
        AGE(true),
        /** How many children: "has two kids". */
        CHILDREN(true),
        /** Relationship status: "is married", "got engaged", "is dating". */
        RELATIONSHIP(true),
        /** A pet, keyed by species, its name as value: "has a dog named Max". Several at once. */
        PET(false);

        private final boolean singleValued;

        Slot(boolean singleValued) {
            this.singleValued = singleValued;
        }

        /** Whether the subject has one value at a time, so a different value supersedes the old one. */
        boolean singleValued() {
            return singleValued;
        }
    }

    /**
     * What a fact says, in this model.
     *
     * @param subject who it is about, lower case
     * @param slot the attribute
     * @param key what a keyed slot is about ("colour" for a favourite, "dog" for a pet), else empty
     * @param value the attribute's value, normalised (lower case, no leading article), empty when not stated
     */
    record SlotFact(String subject, Slot slot, String key, String value) {}

    private static final String SUBJECT = "^(?:(?:Then|Now|So|And|But|Recently|Finally|Also|Actually|Eventually"
            + "|Since then|Later|Meanwhile),? )?(?<subject>[Tt]he user|\\p{Lu}[\\p{L}'-]+(?: \\p{Lu}[\\p{L}'-]+)?)";
    private static final String ADVERBS = "(?:(?:now|currently|recently|just|finally|still|also|actually|officially"
            + "|already|has|had|have|since|eventually) )*";
    private static final String VALUE = "(?<value>[^,.;!?()]+?)(?=\\s+(?:and|but|because|since|with|where|which|who"
            + "|for|after|before|on|in|at|last|this|next|when|while|so|as|to|from|during|until)\\b|[,.;!?()]|$)";
    private static final String SPECIES = "dog|cat|puppy|kitten|bird|parrot|rabbit|bunny|hamster|guinea pig|fish"
            + "|turtle|tortoise|snake|lizard|gecko|horse|pony|ferret|rat|mouse";

    /** A predicate pattern, tried only on facts that contain its trigger (cheap substring tests first). */
    private record Rule(Slot slot, List<String> triggers, Pattern pattern) {}

    private static final List<Rule> RULES = List.of(
            rule(Slot.FAVOURITE, "fav", "'s (?:favou?rite|fave) (?<key>[\\p{L} ]{1,30}?) (?:is|are) " + VALUE),
            rule(Slot.NAME, "name is", "'s (?:full |real )?name is " + VALUE),
            rule(
                    Slot.OCCUPATION,
                    "job is|profession is|occupation is",
                    "'s (?:job|profession|occupation) is (?:an? )?" + VALUE),
            rule(Slot.RESIDENCE, "home is|house is", "'s (?:home|house) is (?:in )?" + VALUE),
            rule(
                    Slot.OCCUPATION,
                    " as ",
                    " " + ADVERBS + "(?:works|is working|been working|got a job|started working|is employed|took a job"
                            + "|is now working) as (?:an? )?" + VALUE),
            rule(Slot.OCCUPATION, "becam|becom", " " + ADVERBS + "(?:became|is becoming|has become) an? " + VALUE),
            rule(
                    Slot.EMPLOYER,
                    "work|job|employed",
                    " " + ADVERBS + "(?:works|is working|been working|started working|began working|got a job"
                            + "|has a job|took a job|started a new job|is employed|is now working) (?:at|for) "
                            + VALUE),
            rule(
                    Slot.RESIDENCE,
                    "live|living|resides|based|moved|moving|relocat|settled",
                    " " + ADVERBS + "(?:lives|is living|been living|lived|resides|is based|moved|is moving|relocated"
                            + "|is relocating|settled)(?: back)? (?:in|to|into) " + VALUE),
            rule(Slot.AGE, "old", " " + ADVERBS + "(?:is|will be) (?<value>\\d{1,3}) years? old\\b"),
            rule(
                    Slot.AGE,
                    "turned",
                    " " + ADVERBS + "turned (?<value>\\d{1,3})\\b(?! (?:minutes|hours|days|weeks|months))"),
            rule(
                    Slot.CHILDREN,
                    "kid|child",
                    " " + ADVERBS + "(?:has|have) (?<value>\\d+|no|one|two|three|four|five|six|seven|eight)"
                            + " (?:kids|children|child|kid)\\b"),
            rule(
                    Slot.RELATIONSHIP,
                    "married|single|divorced|engaged|widowed|separated",
                    " " + ADVERBS + "(?:is|got|was|became) (?<value>married|single|divorced|engaged|widowed|separated)"
                            + "\\b"),
            rule(
                    Slot.RELATIONSHIP,
                    "dating|relationship",
                    " " + ADVERBS + "is (?<value>dating \\p{Lu}[\\p{L}'-]+|in a relationship)"),
            rule(
                    Slot.PET,
                    "has |owns |adopted |got ",
                    " " + ADVERBS + "(?:has|owns|adopted|got) (?:an?|\\d+|one|two|three|a new|another) (?<key>"
                            + SPECIES + ")(?:s|es)?(?: (?:named|called) (?<value>\\p{Lu}[\\p{L}'-]*))?"));

    private static final Pattern LEADING_ARTICLE = Pattern.compile("^(?:the|a|an) ");

    private Slots() {}

    private static Rule rule(Slot slot, String triggers, String predicate) {
        return new Rule(slot, List.of(triggers.split("\\|")), Pattern.compile(SUBJECT + predicate));
    }

    /** What {@code fact} says in this model, if anything. */
    static Optional<SlotFact> parse(String fact) {
        if (fact.isEmpty() || !Character.isUpperCase(fact.charAt(0)) && !fact.startsWith("the user")) {
            return Optional.empty();
        }
        String lower = fact.toLowerCase(Locale.ROOT);
        for (Rule rule : RULES) {
            if (rule.triggers().stream().noneMatch(lower::contains)) {
                continue;
            }
            Matcher matcher = rule.pattern().matcher(fact);
            if (matcher.lookingAt()) {
                String subject = matcher.group("subject").toLowerCase(Locale.ROOT);
                String key = group(matcher, "key");
                String value = group(matcher, "value");
                return Optional.of(new SlotFact(subject, rule.slot(), key, value));
            }
        }
        return Optional.empty();
    }

    private static String group(Matcher matcher, String name) {
        if (!matcher.pattern().namedGroups().containsKey(name) || matcher.group(name) == null) {
            return "";
        }
        String normal = matcher.group(name).strip().toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
        return LEADING_ARTICLE.matcher(normal).replaceFirst("");
    }
}

package dev.engram.memory.extract.offline;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decides whether a sentence is worth a memory, and trims what is not part of the fact.
 *
 * <p>Dropped: questions, sentences that are only greetings, thanks or reactions ("Wow, that's cool!"), and in a
 * speaker's turn sentences addressed to the listener without saying anything about the speaker ("You'd be a great
 * counselor!"). Leading interjections ("Oh wow, ", "Hey Mel! ") are cut. What is left is kept when it has enough
 * content words (words that are neither function words nor reactions); a first-person sentence needs one fewer,
 * because "I love painting" is a fact about the speaker, and so does one with a name or a number in it ("It's Shia
 * LaBeouf!", "It was released in 2024.").
 */
final class Informativeness {

    /** Content words a sentence needs, counting one for speaking in the first person. */
    static final int MIN_SCORE = 3;

    /** Longest memory text kept; a longer sentence is cut at a word boundary. */
    static final int MAX_CHARS = 400;

    private static final Pattern INTERJECTION = Pattern.compile("^(?:(?i:oh|wow|hey|hi|hello|yeah|yep|yes|yup|no|nope"
            + "|nah|well|ha(?:ha)+|he(?:he)+|lol|omg|aw+|o+h|ah+|um+|hmm+|ok|okay|sure|so|man|dude|alright|great|cool"
            + "|awesome|nice|thanks|thank you|totally|absolutely|definitely|exactly|indeed|true|whoa|woah|gosh|geez"
            + "|jeez|yay|ugh|oops|btw|by the way|anyway|anyways|honestly|wow wow|oh wow|oh my|oh man|oh no|morning"
            + "|good morning|good afternoon|good evening|evening|afternoon|hiya|howdy|yo|heya|welcome back)"
            + "(?:\\s+\\p{Lu}[\\p{L}'’-]*)?\\s*[,!.…:;-]+\\s*)+(?:\\p{Lu}[\\p{L}'’-]*\\s*[,!]+\\s*)?");

    /** "Let me know" offers help; it says nothing about the speaker. */
    private static final Pattern LET_ME_KNOW = Pattern.compile("(?i)\\b(?:let me|lemme) know\\b");

    private static final Set<String> IMPERATIVES = Lexicon.words("""
            let's lets check keep cherish remember enjoy try take look stay make go have be give hang don't do
            imagine tell send hold follow consider trust believe embrace treat find get stick focus dream reach
            count
            """);

    private Informativeness() {}

    /** What a sentence says about its speaker, by pronoun. */
    enum Person {
        /** Mentions I, me, my... */
        FIRST,
        /** Mentions you or your but not I or me. */
        SECOND_ONLY,
        /** Neither. */
        NONE
    }

    /**
     * How a sentence fares.
     *
     * @param text the sentence without emoji and leading interjections, capitalised and capped
     * @param score its content words, plus one for speaking in the first person and one for a name or number
     * @param firstPerson whether the speaker speaks of themselves (first person, or a subjectless chat sentence)
     */
    record Assessment(String text, int score, boolean firstPerson) {

        /** Whether the sentence says enough to be a memory on its own. */
        boolean informative() {
            return score >= MIN_SCORE;
        }
    }

    /**
     * {@code sentence} without emoji and leading interjections, or {@code null} if it is not worth a memory.
     *
     * @param attributed whether the sentence is a speaker's (a conversation turn), not document text
     */
    static String keep(String sentence, boolean attributed) {
        Assessment assessment = assess(sentence, attributed);
        return assessment != null && assessment.informative() ? assessment.text() : null;
    }

    /**
     * Cleans and scores {@code sentence}; {@code null} if it can never be a memory (a question, only interjections, in
     * a speaker's turn advice or words addressed to the listener).
     *
     * @param attributed whether the sentence is a speaker's (a conversation turn), not document text
     */
    static Assessment assess(String sentence, boolean attributed) {
        String text = Emoji.strip(sentence);
        if (text.isEmpty() || text.endsWith("?")) {
            return null;
        }
        Matcher interjection = INTERJECTION.matcher(text);
        if (interjection.lookingAt()) {
            text = text.substring(interjection.end());
        }
        if (text.isEmpty() || text.endsWith("?")) {
            return null;
        }
        String scored = LET_ME_KNOW.matcher(text).replaceAll(" ");
        Person person = person(scored);
        if (attributed && person != Person.FIRST && ThirdPerson.subjectless(text)) {
            person = Person.FIRST; // "Been reading that book you recommended": the speaker is the subject
        }
        if (attributed && person != Person.FIRST && (person == Person.SECOND_ONLY || isSuggestion(text))) {
            return null;
        }
        int score = contentWords(scored) + (person == Person.FIRST ? 1 : 0) + (namesOrCounts(scored) ? 1 : 0);
        text = Character.toUpperCase(text.charAt(0)) + text.substring(1);
        return new Assessment(cap(text), score, attributed && person == Person.FIRST);
    }

    /** Whether {@code text} has a number or a capitalised word after its first: a name, a place, a date. */
    private static boolean namesOrCounts(String text) {
        List<String> words = Words.of(text);
        for (int i = 0; i < words.size(); i++) {
            String word = words.get(i);
            if (Character.isDigit(word.charAt(0))
                    || i > 0 && Character.isUpperCase(word.charAt(0)) && !word.equals("I") && !word.startsWith("I'")) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code text} opens with "let's" or an imperative: advice or a suggestion, not a fact. */
    private static boolean isSuggestion(String text) {
        List<String> words = Words.of(text);
        return !words.isEmpty() && IMPERATIVES.contains(words.get(0).toLowerCase(Locale.ROOT));
    }

    /** Words that are neither {@link Lexicon#STOPWORDS} nor {@link Lexicon#VAGUE}. */
    static int contentWords(String text) {
        int count = 0;
        for (String raw : Words.of(text)) {
            String word = raw.toLowerCase(Locale.ROOT).replace("'", "");
            if ((word.length() > 1 || Character.isDigit(word.charAt(0)))
                    && !Lexicon.STOPWORDS.contains(word)
                    && !Lexicon.VAGUE.contains(word)) {
                count++;
            }
        }
        return count;
    }

    /** Whether {@code text} speaks in the first person, addresses the listener only, or neither. */
    static Person person(String text) {
        boolean second = false;
        for (String raw : Words.of(text)) {
            String word = raw.toLowerCase(Locale.ROOT);
            switch (word) {
                case "i", "me", "my", "mine", "myself", "i'm", "i've", "i'd", "i'll" -> {
                    return Person.FIRST;
                }
                case "you", "your", "yours", "yourself", "you're", "you've", "you'd", "you'll", "ya", "u" ->
                    second = true;
                default -> {}
            }
        }
        return second ? Person.SECOND_ONLY : Person.NONE;
    }

    private static String cap(String text) {
        if (text.length() <= MAX_CHARS) {
            return text;
        }
        int cut = text.lastIndexOf(' ', MAX_CHARS - 1);
        return text.substring(0, cut > MAX_CHARS / 2 ? cut : MAX_CHARS - 1).stripTrailing() + "…";
    }
}

package dev.engram.memory.extract.offline;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rewrites a speaker's first-person sentence into a third-person fact about them, conservatively.
 *
 * <p>"I" becomes the speaker's name and the verb after it agrees ("I love" → "Ana loves", "I'm" → "Ana is", "I don't"
 * → "Ana doesn't"; past tenses, modals and compound subjects like "my wife and I" are left as they are); "me" becomes
 * the name, "my" and "mine" the name's possessive. A chat sentence without a subject gets one ("Gonna continue my
 * studies" → "Ana is going to continue Ana's studies", "Lost my job" → "Ana lost Ana's job"). Any other sentence —
 * one in the first person plural, or about something else — is attributed instead: "According to Ana, the stories
 * were inspiring." Nothing else is changed, so the result is as grammatical as the input.
 */
final class ThirdPerson {

    private static final Pattern TOKEN = Pattern.compile("[\\p{L}\\p{N}]+(?:['’][\\p{L}]+)*|[^\\p{L}\\p{N}]+");

    private static final Set<String> FIRST_PERSON = Lexicon.words("""
            i i'm i've i'll i'd me my mine myself
            """);

    /** Past participles after which "I'd" means "I had". */
    private static final Set<String> HAD_PARTICIPLES = Lexicon.words("""
            been gone had done seen made got gotten taken given heard known met forgotten told become grown
            """);

    /** Participles used as adjectives: a subjectless "Excited to..." means "Ana is excited to...". */
    private static final Set<String> ADJECTIVE_PARTICIPLES = Lexicon.words("""
            excited tired stressed bored scared worried thrilled pleased amazed surprised exhausted overwhelmed
            blessed obsessed stoked pumped interested inspired motivated determined committed dedicated stuck
            swamped relieved honored honoured grateful happy glad proud keen busy ready curious nervous sad
            sorry
            """);

    /** Subjectless chat openings and what they become after the speaker's name. */
    private static final Map<String, String> SUBJECTLESS = Map.ofEntries(
            Map.entry("gonna", "is going to"),
            Map.entry("wanna", "wants to"),
            Map.entry("gotta", "has to"),
            Map.entry("been", "has been"),
            Map.entry("was", "was"),
            Map.entry("am", "is"),
            Map.entry("feeling", "is feeling"),
            Map.entry("thinking", "is thinking"),
            Map.entry("planning", "is planning"),
            Map.entry("hoping", "is hoping"),
            Map.entry("loving", "is loving"),
            Map.entry("trying", "is trying"),
            Map.entry("working", "is working"),
            Map.entry("looking", "is looking"),
            Map.entry("getting", "is getting"));

    /** Past forms too ambiguous to start a subjectless sentence ("Read the book" is an imperative). */
    private static final Set<String> AMBIGUOUS_PAST = Lexicon.words("""
            were used let put read set hit cost quit shut bet won't
            """);

    /** Sentence openings lowered to lower case after "According to X, " (other first words may be names). */
    private static final Set<String> COMMON_STARTS = Lexicon.words("""
            although anyway besides everybody everyone everything hopefully luckily sadly since though
            unfortunately whatever yesterday today tomorrow on in last next after before during once life family
            friends people kids music art nature painting work school
            """);

    private ThirdPerson() {}

    /**
     * A sentence rewritten about {@code speaker}.
     *
     * @param text the rewritten sentence
     * @param aboutSpeaker whether the speaker is its subject (it was in the first person singular or subjectless), as
     *     opposed to merely attributed to them
     */
    record Rewrite(String text, boolean aboutSpeaker) {}

    /**
     * Rewrites {@code sentence}, said by {@code speaker}.
     *
     * @param speaker the speaker's name, or {@code null} for an unnamed user ("The user")
     */
    static Rewrite rewrite(String sentence, String speaker) {
        Subject subject = new Subject(speaker);
        List<String> tokens = tokens(sentence);
        StringBuilder out = new StringBuilder(sentence.length() + 32);
        boolean firstPerson = false;
        boolean subjectless = false;
        int start = 0;
        String verb = subjectlessVerb(tokens);
        if (verb != null) {
            out.append(subject.nominative(true)).append(' ').append(verb);
            start = 1;
            subjectless = true;
        }
        boolean conjugatePending = false;
        for (int i = start; i < tokens.size(); i++) {
            String token = tokens.get(i);
            if (!isWord(token)) {
                if (conjugatePending && !token.isBlank()) {
                    conjugatePending = false;
                }
                out.append(token);
                continue;
            }
            String lower = lower(token);
            boolean atStart = out.isEmpty();
            String replacement = null;
            switch (lower) {
                case "i" -> {
                    replacement = subject.nominative(atStart);
                    conjugatePending = !compoundSubject(tokens, i);
                }
                case "i'm" -> replacement = subject.nominative(atStart) + " is";
                case "i've" -> replacement = subject.nominative(atStart) + " has";
                case "i'll" -> replacement = subject.nominative(atStart) + " will";
                case "i'd" -> {
                    String next = nextWord(tokens, i);
                    replacement = subject.nominative(atStart) + (HAD_PARTICIPLES.contains(next) ? " had" : " would");
                }
                case "me" -> replacement = subject.nominative(atStart);
                case "my", "mine" -> replacement = subject.possessive(atStart);
                case "myself" -> replacement = "themselves";
                case "gonna" -> replacement = "going to";
                case "wanna" -> replacement = "want to";
                case "gotta" -> replacement = "got to";
                default -> {
                    if (conjugatePending) {
                        if (Lexicon.ADVERBS.contains(lower) || lower.endsWith("ly")) {
                            out.append(token);
                            continue;
                        }
                        replacement = conjugate(token, lower);
                        conjugatePending = false;
                    }
                }
            }
            if (FIRST_PERSON.contains(lower)) {
                firstPerson = true;
            }
            out.append(replacement != null ? replacement : token);
        }
        String text = out.toString();
        if (firstPerson || subjectless) {
            return new Rewrite(text, true);
        }
        if (mentions(text, subject)) {
            return new Rewrite(text, false);
        }
        return new Rewrite("According to " + subject.nominative(false) + ", " + lowerFirst(text), false);
    }

    /**
     * Whether the "I" at {@code i} ends a compound subject ("my wife and I have", "Jo and I were"), whose verb stays
     * plural, rather than starting a clause ("..., and I want").
     */
    private static boolean compoundSubject(List<String> tokens, int i) {
        int and = previousWordIndex(tokens, i);
        if (and < 0
                || !Set.of("and", "or", "nor").contains(lower(tokens.get(and)))
                || !tokens.get(and + 1).isBlank()) {
            return false;
        }
        int before = previousWordIndex(tokens, and);
        if (before < 0 || !tokens.get(before + 1).isBlank()) {
            return false; // "..., and I": a new clause
        }
        String word = tokens.get(before);
        String lower = lower(word);
        if (Set.of("you", "he", "she", "they", "him", "her", "them").contains(lower)) {
            return true;
        }
        if (Character.isUpperCase(word.charAt(0)) && before > 0) {
            return true; // a name
        }
        int determiner = previousWordIndex(tokens, before);
        return determiner >= 0 && Lexicon.words("""
            my his her their our your the a an
            """).contains(lower(tokens.get(determiner)));
    }

    private static int previousWordIndex(List<String> tokens, int i) {
        for (int k = i - 1; k >= 0; k--) {
            if (isWord(tokens.get(k))) {
                return k;
            }
        }
        return -1;
    }

    /** Whether {@code sentence} opens without a subject ("Gonna...", "Went to...", "Excited to..."). */
    static boolean subjectless(String sentence) {
        return subjectlessVerb(tokens(sentence)) != null;
    }

    /**
     * What a subjectless opening word becomes after the name ("gonna" → "is going to", "went" → "went", "just" before
     * a past tense → "just"), or {@code null} if the sentence has a subject.
     */
    private static String subjectlessVerb(List<String> tokens) {
        if (tokens.isEmpty() || !isWord(tokens.get(0))) {
            return null;
        }
        String first = lower(tokens.get(0));
        if (Set.of("just", "finally", "recently").contains(first)) {
            String next = nextWord(tokens, 0);
            return isPast(next) && !AMBIGUOUS_PAST.contains(next) ? first : null;
        }
        String mapped = SUBJECTLESS.get(first);
        if (mapped != null) {
            return mapped;
        }
        if (ADJECTIVE_PARTICIPLES.contains(first) && tokens.size() > 2) {
            String next = nextWord(tokens, 0);
            if (Lexicon.words("""
            to about for with by that of out at
            """).contains(next)) {
                return "is " + first;
            }
            return null;
        }
        if (isPast(first) && !AMBIGUOUS_PAST.contains(first) && tokens.size() > 2) {
            return first;
        }
        return null;
    }

    private static boolean isPast(String word) {
        return Lexicon.IRREGULAR_PAST.contains(word)
                || (word.length() > 4 && word.endsWith("ed") && !Lexicon.NOT_PAST.contains(word));
    }

    /** The verb after a third-person singular subject. */
    private static String conjugate(String token, String lower) {
        if (!token.equals(lower)
                || !lower.chars().allMatch(c -> Character.isLetter(c) || c == '\'')
                || Lexicon.MODALS.contains(lower)
                || isPast(lower)
                || lower.endsWith("ing")) {
            return token;
        }
        switch (lower) {
            case "am" -> {
                return "is";
            }
            case "have" -> {
                return "has";
            }
            case "do" -> {
                return "does";
            }
            case "don't" -> {
                return "doesn't";
            }
            case "haven't" -> {
                return "hasn't";
            }
            case "ain't", "didn't", "wasn't", "and", "or", "too", "to", "as", "not", "so", "would", "should" -> {
                return token;
            }
            case "wanna" -> {
                return "wants to";
            }
            case "gotta" -> {
                return "has to";
            }
            case "gonna" -> {
                return "is going to";
            }
            default -> {}
        }
        if (lower.contains("'") || lower.contains("’")) {
            return token;
        }
        if (lower.endsWith("s")
                || lower.endsWith("x")
                || lower.endsWith("z")
                || lower.endsWith("ch")
                || lower.endsWith("sh")
                || lower.endsWith("o")) {
            return lower + "es";
        }
        if (lower.length() > 1 && lower.endsWith("y") && "aeiou".indexOf(lower.charAt(lower.length() - 2)) < 0) {
            return lower.substring(0, lower.length() - 1) + "ies";
        }
        return lower + "s";
    }

    private static boolean mentions(String text, Subject subject) {
        return Words.containsWord(text, subject.name);
    }

    private static String lowerFirst(String text) {
        Matcher first = TOKEN.matcher(text);
        if (!first.find() || !isWord(first.group())) {
            return text;
        }
        String word = first.group();
        String lower = lower(word);
        boolean innerCapitals = !word.substring(1).equals(word.substring(1).toLowerCase(Locale.ROOT));
        if (innerCapitals || lower.equals("i") || lower.startsWith("i'")) {
            return text;
        }
        String bare = lower.replace("'", "");
        boolean common = Lexicon.STOPWORDS.contains(bare)
                || Lexicon.STOPWORDS.contains(lower)
                || Lexicon.VAGUE.contains(lower)
                || Lexicon.ADVERBS.contains(lower)
                || COMMON_STARTS.contains(lower)
                || lower.endsWith("ing")
                || lower.endsWith("ly")
                || lower.endsWith("'s")
                || lower.endsWith("'re")
                || lower.endsWith("n't");
        return common ? lower + text.substring(word.length()) : text;
    }

    private static String nextWord(List<String> tokens, int i) {
        for (int k = i + 1; k < tokens.size(); k++) {
            if (isWord(tokens.get(k))) {
                return lower(tokens.get(k));
            }
        }
        return "";
    }

    private static List<String> tokens(String text) {
        List<String> tokens = new ArrayList<>();
        Matcher matcher = TOKEN.matcher(text);
        while (matcher.find()) {
            tokens.add(matcher.group());
        }
        return tokens;
    }

    private static boolean isWord(String token) {
        return Character.isLetterOrDigit(token.codePointAt(0));
    }

    private static String lower(String token) {
        return token.toLowerCase(Locale.ROOT).replace('’', '\'');
    }

    /** How the speaker is named: their name, or "the user". */
    private record Subject(String name) {

        Subject {
            name = name == null ? "the user" : name;
        }

        String nominative(boolean sentenceStart) {
            return sentenceStart ? Character.toUpperCase(name.charAt(0)) + name.substring(1) : name;
        }

        String possessive(boolean sentenceStart) {
            return nominative(sentenceStart) + "'s";
        }
    }
}

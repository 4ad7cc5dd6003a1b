package dev.engram.memory.extract.offline;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Small English word lists the offline extractor's heuristics share. Lower case throughout. */
final class Lexicon {

    private Lexicon() {}

    /** Function words: never content on their own. */
    static final Set<String> STOPWORDS = words("""
            a about above after again against all am an and any are as at be because been before being below
            between both but by can could did do does doing down during each even ever few for from further get
            gets got had has have having he her here hers herself him himself his how i if in into is it its
            itself just let like me might more most much must my myself no nor not now of off on once only or
            other our ours ourselves out over own same she should so some such than that the their theirs them
            themselves then there these they this those through to too under until up us very was we were what
            when where which while who whom why will with would you your yours yourself im ive id ill dont
            doesnt didnt cant wont isnt wasnt arent werent havent hasnt thats theres youre youve youd s t m re
            ve d ll also still yet one way lot lots bit kind sort thing things stuff something anything
            everything nothing someone anyone everyone really actually maybe probably definitely totally pretty
            quite always never sometimes often make makes made go going gonna wanna gotta yeah yes oh ok okay
            well sure hey hi hello wow haha lol omg know think mean guess say said see look take keep come feel
            felt lately day already
            """);

    /**
     * Words of reaction and praise: they carry no fact ("Wow, that's so cool!"), so they do not count as content.
     * Kept apart from {@link #STOPWORDS} because they are fine words inside a fact.
     */
    static final Set<String> VAGUE = words("""
            cool great awesome amazing nice wonderful fantastic incredible lovely sweet glad fun super good best
            better thanks thank thankful congrats congratulations appreciate wish hope hoping luck cheers bye
            soon later true totally absolutely exactly agree right hear sounds agreed sound seems happy excited
            proud sorry tough hard interesting inspiring inspired beautiful gorgeous cute stunning impressive
            wonder powerful special means meant world life time times people much many lots mind yay woah whoa
            ha hah hahaha hehe aww aw ooh ah um hmm man dude guys buddy friend pal mate keep going doing share
            sharing chat talk talking catch care support supportive encouragement remember reminder reminds
            definitely idea ideas sure fab brilliant neat wild crazy insane epic favorite favourite fave
            """);

    /** Irregular past tense forms (regular ones end in "ed"). */
    static final Set<String> IRREGULAR_PAST = words("""
            ate awoke became began bent bet bit bled blew bore bought brought broke built burnt caught chose
            clung came cost crept dealt did dove drew drank drove dug fed fell felt fled flew forgot forgave
            fought found froze gave got grew had heard hid held hit hung hurt kept knew laid led left lent let
            lit lost made meant met paid put quit ran rang read rode rose sang sank sat saw said sent set shook
            shot shut slept slid sold sought spent spoke spun stood stole stuck struck swam swore swept took
            taught tore told thought threw understood went was were woke won wore wove wrote won't used
            """);

    /** Words ending in "ed" that, right after "I", are not past tense verbs. */
    static final Set<String> NOT_PAST = words("""
            need feed bleed breed speed seed heed shed
            """);

    /** Adverbs that may sit between a subject and its verb ("I really love"). */
    static final Set<String> ADVERBS = words("""
            also always never just still usually often sometimes even actually definitely totally kinda sorta
            recently finally only really truly too both personally already now currently mostly basically
            honestly seriously absolutely especially rarely seldom mainly simply literally officially all
            """);

    /** Modal and auxiliary verbs that do not change after a third-person subject. */
    static final Set<String> MODALS = words("""
            can could will would shall should may might must can't couldn't won't wouldn't shouldn't mightn't
            mustn't cannot used ought
            """);

    /** Small cardinal numbers written as words. */
    static final Map<String, Integer> NUMBERS = Map.ofEntries(
            Map.entry("a", 1),
            Map.entry("an", 1),
            Map.entry("one", 1),
            Map.entry("two", 2),
            Map.entry("three", 3),
            Map.entry("four", 4),
            Map.entry("five", 5),
            Map.entry("six", 6),
            Map.entry("seven", 7),
            Map.entry("eight", 8),
            Map.entry("nine", 9),
            Map.entry("ten", 10),
            Map.entry("eleven", 11),
            Map.entry("twelve", 12));

    /** The words of {@code list}, separated by whitespace. */
    static Set<String> words(String list) {
        return Set.of(list.strip().split("\\s+"));
    }

    /** The number {@code word} stands for ("3", "three", "a"), or -1. */
    static int number(String word) {
        String lower = word.toLowerCase(Locale.ROOT);
        Integer named = NUMBERS.get(lower);
        if (named != null) {
            return named;
        }
        if (!lower.isEmpty() && lower.length() <= 3 && lower.chars().allMatch(Character::isDigit)) {
            return Integer.parseInt(lower);
        }
        return -1;
    }
}

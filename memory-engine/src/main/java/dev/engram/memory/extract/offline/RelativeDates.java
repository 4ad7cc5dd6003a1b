package dev.engram.memory.extract.offline;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.Month;
import java.time.YearMonth;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves relative dates in a sentence against the day it was said, rewriting them as absolute dates so that a search
 * for the date finds the memory, and collects the days it refers to.
 *
 * <p>Handled: yesterday, today, tonight, tomorrow (with morning/afternoon/evening/night), the day before yesterday,
 * last night, "N days/weeks/months/years ago" (N a number, a number word, "a couple of", "a few", "several"), and
 * "last/next/this/past/coming" + week, weekend, month, year, a season or a weekday. "Yesterday" on 8 May 2023 becomes
 * "on 7 May 2023", "last year" "in 2022", "last week" "the week before 8 May 2023". Phrases after "the" or a
 * possessive ("the last week", "my last year at school") mean something else and are left alone; after a
 * preposition ("since last year") the rendering drops its own ("since 2022"). Absolute dates already in the text
 * ("in 2022", "7 May 2023", "May 2023") are left as written and collected. A month, season or year is represented
 * by its first day.
 */
final class RelativeDates {

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.ENGLISH);
    private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("MMMM yyyy", Locale.ENGLISH);

    private static final String MONTHS =
            "january|february|march|april|may|june|july|august|september|october|november|december";
    private static final String WEEKDAYS = "monday|tuesday|wednesday|thursday|friday|saturday|sunday";
    private static final String COUNT =
            "\\d{1,2}|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a couple of|a couple|a few"
                    + "|several";

    private static final Set<String> PREPOSITIONS = Lexicon.words("""
            since until till from by before after during of for over around through in on at about between and
            to than
            """);
    private static final Set<String> BLOCKERS = Lexicon.words("""
            the my his her their our your its every each s one
            """);

    private static final Pattern WORD_BEFORE = Pattern.compile("([\\p{L}]+)['’]?\\s*$");

    private static final Pattern EXPLICIT_DAY =
            Pattern.compile("(?i)\\b(\\d{1,2})(?:st|nd|rd|th)?\\s+(" + MONTHS + "),?\\s+(\\d{4})\\b"
                    + "|\\b(" + MONTHS + ")\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4})\\b"
                    + "|\\b(\\d{4})-(\\d{2})-(\\d{2})(?!\\d)");
    private static final Pattern EXPLICIT_MONTH = Pattern.compile("(?i)\\b(" + MONTHS + ")\\s+(\\d{4})\\b");
    private static final Pattern EXPLICIT_YEAR =
            Pattern.compile("(?i)\\b(?:in|since|during|from|of|by|until|before|after)\\s+((?:19|20)\\d{2})\\b");

    /** A date expression's rendering and the day it stands for. */
    private record Resolution(String preposition, String phrase, LocalDate date) {}

    /**
     * A relative phrase and how to resolve it against a day; the pattern only runs on text that contains one of the
     * trigger words, which keeps the common case (no date at all) to a few substring searches.
     */
    private record Rule(
            List<String> triggers, Pattern pattern, BiFunction<MatchResult, LocalDate, Resolution> resolve) {

        /** "last", "next", "this"... after "the" or a possessive mean something else ("my last week at school"). */
        boolean blockable() {
            return triggers.stream().anyMatch(BLOCKABLE_TRIGGERS::contains);
        }
    }

    private static final Set<String> BLOCKABLE_TRIGGERS = Set.of("last", "past", "next", "coming", "this");

    private static final List<Rule> RULES = List.of(
            rule("yesterday", "the day before yesterday", (m, d) -> on(d.minusDays(2))),
            rule("tomorrow", "the day after tomorrow", (m, d) -> on(d.plusDays(2))),
            rule(
                    "yesterday",
                    "yesterday(?:\\s+(morning|afternoon|evening|night))?",
                    (m, d) -> partOf(m.group(1), d.minusDays(1))),
            rule("last", "last night", (m, d) -> partOf("night", d.minusDays(1))),
            rule("tonight", "tonight", (m, d) -> partOf("night", d)),
            rule("this", "this (morning|afternoon|evening)", (m, d) -> partOf(m.group(1), d)),
            rule("today", "today(?!['’]s)", (m, d) -> on(d)),
            rule(
                    "tomorrow",
                    "tomorrow(?:\\s+(morning|afternoon|evening|night))?",
                    (m, d) -> partOf(m.group(1), d.plusDays(1))),
            rule("ago", "(" + COUNT + ")\\s+(day|week|month|year)s?\\s+ago", RelativeDates::ago),
            rule(
                    "last|past|next|coming|this",
                    "(last|past|next|coming|this)\\s+(week|weekend|month|year|spring|summer|fall|autumn|winter|"
                            + WEEKDAYS + ")",
                    RelativeDates::named));

    private RelativeDates() {}

    /**
     * A sentence with its date expressions resolved.
     *
     * @param text the sentence, relative dates replaced by absolute ones
     * @param dates the days referred to, relative or absolute, in order of appearance
     * @param relative whether a relative date was resolved (the sentence tells of an episode)
     */
    record Resolved(String text, List<LocalDate> dates, boolean relative) {}

    /** Resolves the relative dates in {@code sentence}, said on {@code day}. */
    static Resolved resolve(String sentence, LocalDate day) {
        List<LocalDate> dates = new ArrayList<>();
        if (hasDigit(sentence)) {
            collectExplicit(sentence, dates);
        }
        String lower = sentence.toLowerCase(Locale.ROOT);
        String text = sentence;
        boolean relative = false;
        for (Rule rule : RULES) {
            if (rule.triggers().stream().noneMatch(lower::contains)) {
                continue;
            }
            Matcher matcher = rule.pattern().matcher(text);
            StringBuilder out = new StringBuilder();
            boolean changed = false;
            while (matcher.find()) {
                String before = text.substring(0, matcher.start());
                String wordBefore = wordBefore(before);
                if (rule.blockable() && BLOCKERS.contains(wordBefore)) {
                    continue;
                }
                Resolution resolution = rule.resolve().apply(matcher.toMatchResult(), day);
                if (resolution == null) {
                    continue;
                }
                String rendering = PREPOSITIONS.contains(wordBefore)
                                || resolution.preposition().isEmpty()
                        ? resolution.phrase()
                        : resolution.preposition() + " " + resolution.phrase();
                if (before.isBlank()) {
                    rendering = Character.toUpperCase(rendering.charAt(0)) + rendering.substring(1);
                }
                matcher.appendReplacement(out, Matcher.quoteReplacement(rendering));
                dates.add(resolution.date());
                changed = true;
            }
            if (changed) {
                matcher.appendTail(out);
                text = out.toString();
                relative = true;
            }
        }
        return new Resolved(text, List.copyOf(dates), relative);
    }

    private static boolean hasDigit(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.isDigit(text.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    /** The first absolute day written in {@code text} ("8 May, 2023", "May 8, 2023", "2023-05-08"), if any. */
    static Optional<LocalDate> firstExplicitDay(String text) {
        Matcher day = EXPLICIT_DAY.matcher(text);
        while (day.find()) {
            LocalDate date = explicitDay(day);
            if (date != null) {
                return Optional.of(date);
            }
        }
        return Optional.empty();
    }

    private static LocalDate explicitDay(Matcher day) {
        return day.group(1) != null
                ? date(day.group(3), month(day.group(2)), day.group(1))
                : day.group(4) != null
                        ? date(day.group(6), month(day.group(4)), day.group(5))
                        : date(day.group(7), Integer.parseInt(day.group(8)), day.group(9));
    }

    private static void collectExplicit(String text, List<LocalDate> dates) {
        boolean[] covered = new boolean[text.length()];
        Matcher day = EXPLICIT_DAY.matcher(text);
        while (day.find()) {
            Arrays.fill(covered, day.start(), day.end(), true);
            LocalDate date = explicitDay(day);
            if (date != null) {
                dates.add(date);
            }
        }
        Matcher month = EXPLICIT_MONTH.matcher(text);
        while (month.find()) {
            if (covered[month.start()]) {
                continue;
            }
            dates.add(YearMonth.of(Integer.parseInt(month.group(2)), month(month.group(1)))
                    .atDay(1));
        }
        Matcher year = EXPLICIT_YEAR.matcher(text);
        while (year.find()) {
            dates.add(LocalDate.of(Integer.parseInt(year.group(1)), 1, 1));
        }
    }

    private static LocalDate date(String year, int month, String day) {
        try {
            return LocalDate.of(Integer.parseInt(year), month, Integer.parseInt(day));
        } catch (DateTimeException e) {
            return null; // "31 February"
        }
    }

    private static int month(String name) {
        return Month.valueOf(name.toUpperCase(Locale.ROOT)).getValue();
    }

    private static Rule rule(String triggers, String regex, BiFunction<MatchResult, LocalDate, Resolution> resolve) {
        return new Rule(List.of(triggers.split("\\|")), Pattern.compile("(?i)\\b" + regex + "\\b"), resolve);
    }

    private static String wordBefore(String before) {
        Matcher word = WORD_BEFORE.matcher(before);
        return word.find() ? word.group(1).toLowerCase(Locale.ROOT) : "";
    }

    private static Resolution on(LocalDate date) {
        return new Resolution("on", DAY.format(date), date);
    }

    private static Resolution partOf(String part, LocalDate date) {
        if (part == null) {
            return on(date);
        }
        return new Resolution("on", "the " + part.toLowerCase(Locale.ROOT) + " of " + DAY.format(date), date);
    }

    private static Resolution ago(MatchResult m, LocalDate d) {
        String count = m.group(1).toLowerCase(Locale.ROOT);
        String unit = m.group(2).toLowerCase(Locale.ROOT);
        int n = Lexicon.number(count);
        boolean approximate = n < 0;
        if (approximate) {
            n = count.startsWith("a couple") ? 2 : count.equals("a few") ? 3 : 4;
        }
        return switch (unit) {
            case "day" ->
                approximate
                        ? new Resolution("", count + " days before " + DAY.format(d), d.minusDays(n))
                        : on(d.minusDays(n));
            case "week" ->
                approximate
                        ? new Resolution("", count + " weeks before " + DAY.format(d), d.minusWeeks(n))
                        : on(d.minusWeeks(n));
            case "month" ->
                approximate
                        ? new Resolution(
                                "",
                                count + " months before " + MONTH.format(d),
                                YearMonth.from(d).minusMonths(n).atDay(1))
                        : inMonth(YearMonth.from(d).minusMonths(n));
            default ->
                approximate
                        ? new Resolution(
                                "", count + " years before " + d.getYear(), LocalDate.of(d.getYear() - n, 1, 1))
                        : inYear(d.getYear() - n);
        };
    }

    private static Resolution named(MatchResult m, LocalDate d) {
        String which = m.group(1).toLowerCase(Locale.ROOT);
        String what = m.group(2).toLowerCase(Locale.ROOT);
        int direction = switch (which) {
            case "last", "past" -> -1;
            case "next", "coming" -> 1;
            default -> 0;
        };
        switch (what) {
            case "week" -> {
                return direction < 0
                        ? new Resolution("", "the week before " + DAY.format(d), d.minusWeeks(1))
                        : direction > 0
                                ? new Resolution("", "the week after " + DAY.format(d), d.plusWeeks(1))
                                : new Resolution("", "the week of " + DAY.format(d), d);
            }
            case "weekend" -> {
                return weekend(direction, d);
            }
            case "month" -> {
                return inMonth(YearMonth.from(d).plusMonths(direction));
            }
            case "year" -> {
                return inYear(d.getYear() + direction);
            }
            case "spring" -> {
                return season("spring", 3, direction, d);
            }
            case "summer" -> {
                return season("summer", 6, direction, d);
            }
            case "fall", "autumn" -> {
                return season(what, 9, direction, d);
            }
            case "winter" -> {
                return winter(direction, d);
            }
            default -> {
                return weekday(DayOfWeek.valueOf(what.toUpperCase(Locale.ROOT)), direction, d);
            }
        }
    }

    private static Resolution inMonth(YearMonth month) {
        return new Resolution("in", MONTH.format(month), month.atDay(1));
    }

    private static Resolution inYear(int year) {
        return new Resolution("in", Integer.toString(year), LocalDate.of(year, 1, 1));
    }

    /** The Saturday of the weekend meant: the last one before {@code d}, the one containing or after it, or the next. */
    private static Resolution weekend(int direction, LocalDate d) {
        boolean inWeekend = d.getDayOfWeek() == DayOfWeek.SATURDAY || d.getDayOfWeek() == DayOfWeek.SUNDAY;
        LocalDate saturday = d.getDayOfWeek() == DayOfWeek.SUNDAY
                ? d.minusDays(1)
                : d.with(TemporalAdjusters.nextOrSame(DayOfWeek.SATURDAY));
        if (direction < 0) {
            return new Resolution("", "the weekend before " + DAY.format(d), saturday.minusWeeks(1));
        }
        if (direction > 0) {
            LocalDate next = inWeekend ? saturday.plusWeeks(1) : saturday;
            return new Resolution("on", "the weekend of " + DAY.format(next), next);
        }
        return new Resolution("on", "the weekend of " + DAY.format(saturday), saturday);
    }

    private static Resolution season(String name, int startMonth, int direction, LocalDate d) {
        int month = d.getMonthValue();
        int year = switch (direction) {
            case -1 -> month > startMonth + 2 ? d.getYear() : d.getYear() - 1;
            case 1 -> month < startMonth ? d.getYear() : d.getYear() + 1;
            default -> d.getYear();
        };
        return new Resolution("in", name + " " + year, LocalDate.of(year, startMonth, 1));
    }

    /** Winter Y runs from December Y to February Y+1. */
    private static Resolution winter(int direction, LocalDate d) {
        int month = d.getMonthValue();
        int current = month == 12 ? d.getYear() : month <= 2 ? d.getYear() - 1 : d.getYear();
        boolean inWinter = month == 12 || month <= 2;
        int year = switch (direction) {
            case -1 -> inWinter ? current - 1 : d.getYear() - 1;
            case 1 -> inWinter ? current + 1 : d.getYear();
            default -> current;
        };
        return new Resolution("in", "the winter of " + year + "-" + (year + 1), LocalDate.of(year, 12, 1));
    }

    private static Resolution weekday(DayOfWeek day, int direction, LocalDate d) {
        LocalDate date = direction < 0
                ? d.with(TemporalAdjusters.previous(day))
                : direction > 0 ? d.with(TemporalAdjusters.next(day)) : d.with(TemporalAdjusters.nextOrSame(day));
        return new Resolution("on", day.getDisplayName(TextStyle.FULL, Locale.ENGLISH) + ", " + DAY.format(date), date);
    }
}

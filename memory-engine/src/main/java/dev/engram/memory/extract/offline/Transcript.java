package dev.engram.memory.extract.offline;

import dev.engram.memory.extract.ExtractionRequest;
import dev.engram.memory.extract.SourceTurn;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a request's turns as utterances: who said what, on which day.
 *
 * <p>Conversation turns: a {@code user} turn is the user's (named if the turn has a speaker name); an {@code assistant}
 * turn is skipped unless it carries a speaker name (a persona in a multi-party chat), because an assistant's answers
 * are not facts about anyone; {@code system} turns are instructions and are skipped; {@code tool} output is read like
 * a document.
 *
 * <p>Document text may be a transcript: lines like {@code Caroline: I went...}, optionally led by a bracketed date
 * ({@code [1:56 pm on 8 May, 2023] Caroline: ...}) or under a bracketed date line. Such lines become utterances of
 * their speakers on that date; lines without a speaker continue the previous one. Text counts as a transcript when it
 * has two speaker lines, or one with a bracketed date or in the first person; labels such as {@code Note:} or {@code
 * Summary:} are not speakers.
 */
final class Transcript {

    /**
     * One speaker's text, or a document's.
     *
     * @param ref the turn it came from
     * @param attributed whether a speaker said it (rewrite in the third person) rather than a document
     * @param speaker the speaker's name, or {@code null} for an unnamed user (or a document)
     * @param day the day relative dates resolve against
     * @param text what was said
     */
    record Utterance(String ref, boolean attributed, String speaker, LocalDate day, String text) {}

    private static final Pattern DATE_PREFIX = Pattern.compile("^\\[(?<date>[^\\]]{4,60})\\]\\s*");
    private static final Pattern SPEAKER_LINE =
            Pattern.compile("^(?<speaker>\\p{Lu}[\\p{L}'.-]*(?: \\p{Lu}[\\p{L}'.-]*){0,2})\\s?:\\s+(?<text>\\S.*)$");
    private static final Pattern FIRST_PERSON = Pattern.compile("(?i)\\b(?:i|i'm|i've|i'd|i'll|me|my|myself)\\b");

    private static final Set<String> USER_LABELS = Set.of("user", "human", "me");
    private static final Set<String> ASSISTANT_LABELS = Lexicon.words("""
            assistant ai bot system chatgpt gpt model agent
            """);

    /** Line labels that are not speakers. */
    private static final Set<String> NOT_SPEAKERS = Lexicon.words("""
            note notes nb summary title subject date time q a question answer example examples source sources
            warning caution tip tips step update re fwd from to cc bcc status result results conclusion abstract
            introduction description name address email e-mail phone location author tags keywords objective
            goal goals pros cons input output error info important edit ps p.s todo agenda action actions
            ingredients instructions directions price total category type url link http https definition usage
            reply response prompt context background overview details reason solution problem issue fix remember
            reminder disclaimer translation meaning key value tldr tl;dr rule rules hint caveat attention fyi
            """);

    private Transcript() {}

    /** The utterances of {@code request}, in order. */
    static List<Utterance> read(ExtractionRequest request) {
        List<Utterance> utterances = new ArrayList<>();
        for (SourceTurn turn : request.turns()) {
            LocalDate day = request.dayOf(turn);
            String role = turn.role() == null ? null : turn.role().toLowerCase(Locale.ROOT);
            String speaker = turn.speaker();
            String label = speaker == null ? null : speaker.toLowerCase(Locale.ROOT);
            boolean assistantLabel = speaker != null && ASSISTANT_LABELS.contains(label);
            if ("system".equals(role) || "assistant".equals(role) && (speaker == null || assistantLabel)) {
                continue;
            }
            if ("user".equals(role) || "assistant".equals(role)) {
                utterances.add(new Utterance(turn.ref(), true, name(speaker), day, turn.text()));
            } else if (speaker != null && !assistantLabel) {
                utterances.addAll(lines(turn.ref(), day, turn.text(), new Voice(true, name(speaker))));
            } else {
                utterances.addAll(lines(turn.ref(), day, turn.text(), Voice.DOCUMENT));
            }
        }
        return utterances;
    }

    /** The speaker's name, or {@code null} for a user label ("user", "human") that names no one. */
    private static String name(String speaker) {
        return speaker == null || USER_LABELS.contains(speaker.toLowerCase(Locale.ROOT)) ? null : speaker;
    }

    /** Who speaks: a speaker (named, or {@code null} for an unnamed user), or a document. */
    private record Voice(boolean attributed, String speaker) {
        static final Voice DOCUMENT = new Voice(false, null);
    }

    /**
     * A text's lines as utterances. {@code lead} speaks text that is not a transcript, and the lines of a transcript
     * before its first speaker line.
     */
    private static List<Utterance> lines(String ref, LocalDate turnDay, String text, Voice lead) {
        List<Segment> segments = new ArrayList<>();
        Segment opening = new Segment(lead, turnDay, false);
        Segment current = opening;
        LocalDate day = turnDay;
        int speakerLines = 0;
        boolean evidence = false;
        for (String rawLine : text.split("\\R")) {
            String line = rawLine.strip();
            boolean dated = false;
            Matcher prefix = DATE_PREFIX.matcher(line);
            if (prefix.find()) {
                Optional<LocalDate> parsed = RelativeDates.firstExplicitDay(prefix.group("date"));
                if (parsed.isPresent()) {
                    day = parsed.get();
                    dated = true;
                    line = line.substring(prefix.end());
                }
            }
            Matcher speakerLine = SPEAKER_LINE.matcher(line);
            String label = speakerLine.matches() ? speakerLine.group("speaker").toLowerCase(Locale.ROOT) : null;
            if (label != null && !NOT_SPEAKERS.contains(label)) {
                speakerLines++;
                String body = speakerLine.group("text");
                evidence |= dated || FIRST_PERSON.matcher(body).find();
                Voice voice = new Voice(true, name(speakerLine.group("speaker")));
                current = new Segment(voice, day, ASSISTANT_LABELS.contains(label));
                current.text.append(body);
                segments.add(current);
            } else if (!line.isEmpty()) {
                current.text.append(current.text.isEmpty() ? "" : "\n").append(line);
            }
        }
        if (speakerLines < 2 && !(speakerLines == 1 && evidence)) {
            return List.of(new Utterance(ref, lead.attributed(), lead.speaker(), turnDay, text));
        }
        List<Utterance> utterances = new ArrayList<>();
        segments.add(0, opening);
        for (Segment segment : segments) {
            if (!segment.assistant && !segment.text.isEmpty()) {
                utterances.add(new Utterance(
                        ref,
                        segment.voice.attributed(),
                        segment.voice.speaker(),
                        segment.day,
                        segment.text.toString().strip()));
            }
        }
        return utterances;
    }

    /** A speaker's lines being gathered. */
    private static final class Segment {
        final Voice voice;
        final LocalDate day;
        final boolean assistant;
        final StringBuilder text = new StringBuilder();

        Segment(Voice voice, LocalDate day, boolean assistant) {
            this.voice = voice;
            this.day = day;
            this.assistant = assistant;
        }
    }
}

package dev.engram.memory.extract.offline;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns one utterance into candidate facts: sentences kept by {@link Informativeness}, relative dates resolved by
 * {@link RelativeDates}, rewritten about the speaker by {@link ThirdPerson}, classified by {@link Traits}.
 *
 * <p>A short first-person sentence that the {@link Slots slot model} recognises is kept even when {@link
 * Informativeness} finds it too short ("I'm 34 years old.").
 *
 * <p>A shared image's caption ({@code [shares an image: a photo of ...]}) becomes "Ana shared a photo of ..." and joins
 * the utterance's last fact, or stands alone if nothing else was kept. Besides the facts the slot model recognises,
 * which are always kept, a turn keeps at most {@value #MAX_PER_TURN} facts and a document at most {@value
 * #MAX_PER_DOCUMENT}: the ones with the most content words, in their original order.
 */
final class Facts {

    /** Most facts from one conversation turn. */
    static final int MAX_PER_TURN = 3;

    /** Most facts from one document chunk. */
    static final int MAX_PER_DOCUMENT = 12;

    private static final Pattern SHARED_MEDIA = Pattern.compile(
            "\\[(?:shares?|shared|sends?|sent) (?:an? )?(?:image|photo|picture|video|link)(?::\\s*(?<caption>[^\\]]*))?\\]",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern CAPTION_LEAD = Pattern.compile(
            "^(?:an? )?(?:photo(?:graph)?|photography|picture|image|pic|screenshot) of\\s+", Pattern.CASE_INSENSITIVE);

    private record Candidate(int position, int weight, boolean slotted, Consolidator.Fact fact) {}

    private Facts() {}

    /** The facts in {@code utterance}, in order. */
    static List<Consolidator.Fact> of(Transcript.Utterance utterance) {
        List<String> captions = new ArrayList<>();
        Matcher media = SHARED_MEDIA.matcher(utterance.text());
        while (media.find()) {
            String caption = media.group("caption");
            if (caption != null && !caption.isBlank()) {
                captions.add(caption.strip());
            }
        }
        String text = SHARED_MEDIA.matcher(utterance.text()).replaceAll(" ");
        String subject =
                utterance.attributed() ? (utterance.speaker() == null ? "the user" : utterance.speaker()) : null;

        List<Candidate> candidates = new ArrayList<>();
        for (String sentence : SentenceSplitter.split(text)) {
            Informativeness.Assessment assessment = Informativeness.assess(sentence, utterance.attributed());
            if (assessment == null || !assessment.informative() && !assessment.firstPerson()) {
                continue;
            }
            String kept = assessment.text();
            RelativeDates.Resolved resolved = RelativeDates.resolve(kept, utterance.day());
            String fact = utterance.attributed()
                    ? ThirdPerson.rewrite(resolved.text(), utterance.speaker()).text()
                    : resolved.text();
            boolean slotted = Slots.parse(fact).isPresent();
            if (!assessment.informative() && !slotted) {
                continue; // short, but kept when it states an attribute: "I work as a nurse."
            }
            boolean isStatic = Traits.isStatic(fact, !resolved.dates().isEmpty(), slotted);
            candidates.add(new Candidate(
                    candidates.size(),
                    assessment.score(),
                    slotted,
                    new Consolidator.Fact(finish(fact), isStatic, resolved.dates(), utterance.ref(), subject)));
        }
        int limit = utterance.attributed() ? MAX_PER_TURN : MAX_PER_DOCUMENT;
        List<Candidate> kept = new ArrayList<>(candidates.stream()
                .filter(candidate -> !candidate.slotted())
                .sorted(Comparator.comparingInt(Candidate::weight).reversed().thenComparingInt(Candidate::position))
                .limit(limit)
                .toList());
        candidates.stream().filter(Candidate::slotted).forEach(kept::add);
        List<Consolidator.Fact> facts = new ArrayList<>(kept.stream()
                .sorted(Comparator.comparingInt(Candidate::position))
                .map(Candidate::fact)
                .toList());
        for (String caption : captions) {
            String shared = (subject == null ? "Shared " : capitalise(subject) + " shared ") + describe(caption) + ".";
            if (facts.isEmpty()) {
                facts.add(new Consolidator.Fact(shared, false, List.of(), utterance.ref(), subject));
            } else {
                Consolidator.Fact last = facts.remove(facts.size() - 1);
                facts.add(new Consolidator.Fact(
                        last.text() + " " + shared, last.isStatic(), last.dates(), last.sourceRef(), last.subject()));
            }
        }
        return facts;
    }

    private static String describe(String caption) {
        Matcher lead = CAPTION_LEAD.matcher(caption);
        String rest = lead.find() ? caption.substring(lead.end()) : caption;
        rest = rest.replaceAll("[.\\s]+$", "");
        return "a photo of " + rest;
    }

    /** Ends the fact with terminal punctuation. */
    private static String finish(String fact) {
        String stripped = fact.strip();
        char last = stripped.charAt(stripped.length() - 1);
        return ".!…\"'”’)".indexOf(last) >= 0 ? stripped : stripped + ".";
    }

    private static String capitalise(String text) {
        return Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}

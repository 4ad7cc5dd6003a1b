package dev.engram.memory.extract.offline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engram.memory.extract.ExtractionFailedException;
import dev.engram.memory.extract.ExtractionRequest;
import dev.engram.memory.extract.ExtractionResult;
import dev.engram.memory.extract.KnownMemory;
import dev.engram.memory.extract.MemoryOperation;
import dev.engram.memory.extract.MemoryOperation.Add;
import dev.engram.memory.extract.MemoryOperation.Duplicate;
import dev.engram.memory.extract.MemoryOperation.Extend;
import dev.engram.memory.extract.MemoryOperation.Update;
import dev.engram.memory.extract.SourceTurn;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OfflineExtractorTest {

    private static final Instant MAY_8 = Instant.parse("2023-05-08T13:56:00Z");

    private final OfflineExtractor extractor = new OfflineExtractor();

    private ExtractionResult extract(List<SourceTurn> turns, List<KnownMemory> known) throws ExtractionFailedException {
        return extractor.extract(new ExtractionRequest("conv-1", null, MAY_8, turns, known));
    }

    private ExtractionResult say(String speaker, String text, KnownMemory... known) throws ExtractionFailedException {
        return extract(List.of(SourceTurn.turn("t1", speaker, "user", MAY_8, text)), List.of(known));
    }

    private static List<String> texts(ExtractionResult result) {
        List<String> texts = new ArrayList<>();
        for (MemoryOperation operation : result.operations()) {
            switch (operation) {
                case Add add -> texts.add(add.memory());
                case Update update -> texts.add(update.memory());
                case Extend extend -> texts.add(extend.memory());
                case Duplicate duplicate -> {}
            }
        }
        return texts;
    }

    @Test
    void isNamedOffline() {
        assertThat(extractor.name()).isEqualTo("offline");
    }

    @Test
    void aMoveUpdatesTheKnownResidenceItSupersedes() throws Exception {
        ExtractionResult first = say("Ana", "I live in Paris.");
        assertThat(first.operations()).containsExactly(new Add("Ana lives in Paris.", true, List.of(), List.of("t1")));

        KnownMemory paris = new KnownMemory("mem-1", "Ana lives in Paris.", true, MAY_8);
        ExtractionResult second = say("Ana", "I moved to Berlin.", paris);

        assertThat(second.operations())
                .containsExactly(new Update("mem-1", "Ana moved to Berlin.", true, List.of(), List.of("t1")));
    }

    @Test
    void aNewValueOfASingleValuedAttributeUpdatesTheMostRecentlyChangedMemory() throws Exception {
        KnownMemory teacher = new KnownMemory("job-old", "The user works as a teacher.", true, MAY_8.minusSeconds(999));
        KnownMemory tutor = new KnownMemory("job-new", "The user works as a tutor.", true, MAY_8.minusSeconds(9));
        KnownMemory blue = new KnownMemory("colour", "The user's favorite color is blue.", true, null);

        ExtractionResult result = extract(
                List.of(SourceTurn.turn(
                        "t1", null, "user", MAY_8, "I work as a nurse now. My favorite color is green.")),
                List.of(teacher, tutor, blue));

        assertThat(result.operations())
                .containsExactly(
                        new Update("job-new", "The user works as a nurse now.", true, List.of(), List.of("t1")),
                        new Update("colour", "The user's favorite color is green.", true, List.of(), List.of("t1")));
    }

    @Test
    void anotherPersonsAttributeIsNotUpdated() throws Exception {
        KnownMemory bob = new KnownMemory("bob", "Bob lives in Paris.", true, null);

        assertThat(say("Ana", "I moved to Berlin.", bob).operations())
                .containsExactly(new Add("Ana moved to Berlin.", true, List.of(), List.of("t1")));
    }

    @Test
    void addedDetailExtendsTheKnownMemory() throws Exception {
        KnownMemory paris = new KnownMemory("mem-1", "Ana lives in Paris.", true, null);

        assertThat(say("Ana", "I live in Paris with my two cats and my partner.", paris)
                        .operations())
                .containsExactly(new Extend(
                        "mem-1",
                        "Ana lives in Paris with Ana's two cats and Ana's partner.",
                        true,
                        List.of(),
                        List.of("t1")));
    }

    @Test
    void aLongerRetellingOfAKnownEpisodeExtendsIt() throws Exception {
        KnownMemory race = new KnownMemory("race", "Melanie ran a charity race for mental health.", false, null);

        ExtractionResult result =
                say("Melanie", "I ran a charity race for mental health with my kids and my sister.", race);

        assertThat(result.operations()).singleElement().isInstanceOf(Extend.class);
        assertThat(result.operations().get(0).knownRef()).isEqualTo("race");
    }

    @Test
    void theSameFactAgainIsADuplicateWhateverItsCaseAndPunctuation() throws Exception {
        KnownMemory known =
                new KnownMemory("mem-9", "caroline went to a LGBTQ support group on 7 May 2023!!", false, null);

        ExtractionResult result = say("Caroline", "I went to a LGBTQ support group yesterday.", known);

        assertThat(result.operations()).containsExactly(new Duplicate("mem-9", List.of("t1")));
    }

    @Test
    void aFactRepeatedWithinOneRequestIsOneAddWithBothSources() throws Exception {
        ExtractionResult result = extract(
                List.of(
                        SourceTurn.turn("t1", "Ana", "user", MAY_8, "I love hiking in the Alps."),
                        SourceTurn.turn("t2", "Ana", "user", MAY_8, "I love hiking in the alps!")),
                List.of());

        assertThat(result.operations())
                .containsExactly(new Add("Ana loves hiking in the Alps.", true, List.of(), List.of("t1", "t2")));
    }

    @Test
    void ofTwoMovesInOneRequestTheLastUpdatesAndTheFirstIsAdded() throws Exception {
        KnownMemory paris = new KnownMemory("mem-1", "Ana lives in Paris.", true, null);

        ExtractionResult result = extract(
                List.of(
                        SourceTurn.turn("t1", "Ana", "user", MAY_8, "I moved to Berlin."),
                        SourceTurn.turn("t2", "Ana", "user", MAY_8, "Then I moved to Rome.")),
                List.of(paris));

        assertThat(result.operations())
                .containsExactly(
                        new Add("Ana moved to Berlin.", true, List.of(), List.of("t1")),
                        new Update("mem-1", "Then Ana moved to Rome.", true, List.of(), List.of("t2")));
    }

    @Test
    void yesterdayResolvesAgainstTheTurnDateInTextAndEventDates() throws Exception {
        ExtractionResult result = say("Caroline", "I went to a LGBTQ support group yesterday and it was so powerful.");

        assertThat(result.operations())
                .containsExactly(new Add(
                        "Caroline went to a LGBTQ support group on 7 May 2023 and it was so powerful.",
                        false,
                        List.of(LocalDate.of(2023, 5, 7)),
                        List.of("t1")));
    }

    @Test
    void aTurnWithoutItsOwnDateUsesTheDocumentDate() throws Exception {
        ExtractionResult result = extract(
                List.of(new SourceTurn("t1", "Melanie", "user", null, "I painted that lake sunrise last year.")),
                List.of());

        assertThat(result.operations())
                .containsExactly(new Add(
                        "Melanie painted that lake sunrise in 2022.",
                        false,
                        List.of(LocalDate.of(2022, 1, 1)),
                        List.of("t1")));
    }

    @Test
    void weeksAgoResolveToTheDay() throws Exception {
        ExtractionResult result =
                say("Jon", "Lost my job as a banker two weeks ago, so I'm gonna start my own business.");

        assertThat(result.operations())
                .containsExactly(new Add(
                        "Jon lost Jon's job as a banker on 24 April 2023, so Jon is going to start Jon's own business.",
                        false,
                        List.of(LocalDate.of(2023, 4, 24)),
                        List.of("t1")));
    }

    @Test
    void traitsAreStaticAndEpisodesDynamic() throws Exception {
        ExtractionResult result =
                say("Ana", "I love hiking in the mountains. I'm allergic to peanuts. I went hiking yesterday with Bo.");

        assertThat(result.operations())
                .extracting(operation -> ((Add) operation).memory() + " static=" + ((Add) operation).isStatic())
                .containsExactly(
                        "Ana loves hiking in the mountains. static=true",
                        "Ana is allergic to peanuts. static=true",
                        "Ana went hiking on 7 May 2023 with Bo. static=false");
    }

    @Test
    void firstPersonBecomesTheSpeakersNameOrTheUser() throws Exception {
        assertThat(texts(say("Ana", "My kids love the beach and I'm learning to surf with my husband.")))
                .containsExactly("Ana's kids love the beach and Ana is learning to surf with Ana's husband.");
        assertThat(texts(extract(
                        List.of(SourceTurn.turn("t1", null, "user", MAY_8, "I have two kids and I drive a red Volvo.")),
                        List.of())))
                .containsExactly("The user has two kids and the user drives a red Volvo.");
    }

    @Test
    void attributeFactsAreAllKeptEvenBeyondTheTurnsLimit() throws Exception {
        ExtractionResult result = extract(
                List.of(SourceTurn.turn(
                        "t1",
                        null,
                        "user",
                        MAY_8,
                        "I'm Ana. I live in Paris. I work at Acme as a designer. I have two kids. I'm 34 years old."
                                + " I love jazz.")),
                List.of());

        assertThat(texts(result))
                .containsExactly(
                        "The user is Ana.",
                        "The user lives in Paris.",
                        "The user works at Acme as a designer.",
                        "The user has two kids.",
                        "The user is 34 years old.",
                        "The user loves jazz.");
        assertThat(result.operations()).hasSizeGreaterThan(Facts.MAX_PER_TURN);
    }

    @Test
    void greetingsThanksReactionsAndQuestionsAreDropped() throws Exception {
        ExtractionResult result = extract(
                List.of(
                        SourceTurn.turn("t1", "Ana", "user", MAY_8, "Hey Mel! Good to see you! How have you been?"),
                        SourceTurn.turn("t2", "Mel", "user", MAY_8, "Wow, that's cool! Thanks!"),
                        SourceTurn.turn("t3", "Ana", "user", MAY_8, "You'd be a great counselor! Let's do it!"),
                        SourceTurn.turn("t4", "Mel", "user", MAY_8, "Haha, totally. Me too 😊")),
                List.of());

        assertThat(result.operations()).isEmpty();
    }

    @Test
    void assistantAndSystemTurnsAreNotMinedForMemories() throws Exception {
        ExtractionResult result = extract(
                List.of(
                        SourceTurn.turn(
                                "s", null, "system", MAY_8, "You are a helpful travel assistant for Acme Travel."),
                        SourceTurn.turn("u", null, "user", MAY_8, "I am planning a trip to Japan in October."),
                        SourceTurn.turn(
                                "a",
                                null,
                                "assistant",
                                MAY_8,
                                "Japan in October has mild weather and autumn colours.")),
                List.of());

        assertThat(result.operations())
                .containsExactly(
                        new Add("The user is planning a trip to Japan in October.", false, List.of(), List.of("u")));
    }

    @Test
    void documentSentencesAreKeptAsWritten() throws Exception {
        ExtractionResult result = extract(
                List.of(SourceTurn.document(
                        "chunk-3",
                        "Engram stores memories in PostgreSQL and vectors in Lucene. It was first released in 2024. "
                                + "See https://engram.example/docs for details.\nThanks!")),
                List.of());

        assertThat(texts(result))
                .containsExactly(
                        "Engram stores memories in PostgreSQL and vectors in Lucene.",
                        "It was first released in 2024.",
                        "See https://engram.example/docs for details.");
        assertThat(result.operations().get(1))
                .isEqualTo(new Add(
                        "It was first released in 2024.",
                        false,
                        List.of(LocalDate.of(2024, 1, 1)),
                        List.of("chunk-3")));
    }

    @Test
    void aTranscriptDocumentIsReadSpeakerBySpeakerOnItsHeaderDate() throws Exception {
        ExtractionResult result = extract(List.of(SourceTurn.document("session-1", """
                        [10:02 am on 14 March, 2022]
                        Priya: Morning Tom! I adopted a puppy named Biscuit yesterday!
                        Tom: No way, congrats! I've got a cat myself.
                        It sleeps all day on the radiator in the kitchen.""")), List.of());

        assertThat(texts(result))
                .containsExactly(
                        "Priya adopted a puppy named Biscuit on 13 March 2022!",
                        "Tom has got a cat themselves.",
                        "According to Tom, it sleeps all day on the radiator in the kitchen.");
        assertThat(result.operations())
                .allSatisfy(op -> assertThat(op.sourceRefs()).containsExactly("session-1"));
    }

    @Test
    void labelledLinesAreNotSpeakers() throws Exception {
        ExtractionResult result = extract(
                List.of(SourceTurn.document(
                        "memo", "Note: the office moves to Oslo in May 2024.\nSummary: the rent goes up by a third.")),
                List.of());

        assertThat(texts(result))
                .containsExactly(
                        "Note: the office moves to Oslo in May 2024.", "Summary: the rent goes up by a third.");
    }

    @Test
    void aDatedSpeakerLineIsATranscriptEvenAlone() throws Exception {
        ExtractionResult result = extract(
                List.of(SourceTurn.document(
                        "turn-3", "[1:56 pm on 8 May, 2023] Caroline: I went to a LGBTQ support group yesterday.")),
                List.of());

        assertThat(texts(result)).containsExactly("Caroline went to a LGBTQ support group on 7 May 2023.");
    }

    @Test
    void aSharedImagesCaptionJoinsTheTurnsLastFactOrStandsAlone() throws Exception {
        assertThat(texts(say(
                        "Mel",
                        "I painted that lake sunrise last year. [shares an image: a photo of a painting of a sunset]")))
                .containsExactly(
                        "Mel painted that lake sunrise in 2022. Mel shared a photo of a painting of a sunset.");
        assertThat(texts(say("Mel", "Take a look! [shares an image: a photo of a guitar with a purple glow]")))
                .containsExactly("Mel shared a photo of a guitar with a purple glow.");
    }

    @Test
    void aVeryLongSentenceIsCutAtAWordBoundary() throws Exception {
        String longSentence = "Engram keeps " + "many carefully curated facts about projects, ".repeat(20) + "forever.";

        List<String> texts = texts(extract(List.of(SourceTurn.document("d", longSentence)), List.of()));

        assertThat(texts).singleElement().satisfies(text -> {
            assertThat(text.length()).isLessThanOrEqualTo(Informativeness.MAX_CHARS + 2);
            assertThat(text).startsWith("Engram keeps many").endsWith("…");
        });
    }

    @Test
    void aConversationLikeLoCoMoGivesAttributedDatedMemories() throws Exception {
        Instant june2 = Instant.parse("2022-06-02T18:30:00Z");
        List<SourceTurn> turns = List.of(
                SourceTurn.turn("d1", "Rosa", "user", june2, "Hi Sam! Long time no see. How are things?"),
                SourceTurn.turn(
                        "d2",
                        "Sam",
                        "user",
                        june2,
                        "Hey Rosa! Busy as always. I started a pottery class last week and I'm hooked!"),
                SourceTurn.turn("d3", "Rosa", "user", june2, "That's awesome! What have you made so far?"),
                SourceTurn.turn(
                        "d4",
                        "Sam",
                        "user",
                        june2,
                        "Just a couple of wonky bowls. My daughter Lily painted one of them. "
                                + "[shares an image: a photo of a blue bowl on a wooden table]"),
                SourceTurn.turn(
                        "d5",
                        "Rosa",
                        "user",
                        june2,
                        "So cute! I'm flying to Lisbon next Friday for my sister's wedding, so I'll bring you a tile."),
                SourceTurn.turn("d6", "Sam", "user", june2, "Thanks, Rosa! Have a great time!"));

        ExtractionResult result = extract(turns, List.of());

        assertThat(result.operations()).allSatisfy(op -> assertThat(op).isInstanceOf(Add.class));
        assertThat(texts(result))
                .containsExactly(
                        "Sam started a pottery class the week before 2 June 2022 and Sam is hooked!",
                        "According to Sam, just a couple of wonky bowls.",
                        "Sam's daughter Lily painted one of them. Sam shared a photo of a blue bowl on a wooden table.",
                        "Rosa is flying to Lisbon on Friday, 3 June 2022 for Rosa's sister's wedding, so Rosa will"
                                + " bring you a tile.");
        assertThat(result.operations())
                .extracting(MemoryOperation::sourceRefs)
                .containsExactly(List.of("d2"), List.of("d4"), List.of("d4"), List.of("d5"));
        assertThat(((Add) result.operations().get(3)).eventDates()).containsExactly(LocalDate.of(2022, 6, 3));
    }

    @Test
    void theSameRequestAlwaysGivesTheSameResult() throws Exception {
        List<SourceTurn> turns = List.of(
                SourceTurn.turn(
                        "1", "Ana", "user", MAY_8, "I moved to Berlin last month. My cat Miso loves the balcony."),
                SourceTurn.turn("2", "Bo", "user", MAY_8, "I work at Acme as a designer and I love jazz."));
        List<KnownMemory> known = List.of(
                new KnownMemory("k1", "Ana lives in Paris.", true, null),
                new KnownMemory("k2", "Bo works at Initech.", true, null));

        ExtractionResult first = extract(turns, known);
        ExtractionResult second =
                new OfflineExtractor().extract(new ExtractionRequest("conv-1", null, MAY_8, turns, known));

        assertThat(second).isEqualTo(first);
        assertThat(first.operations()).isNotEmpty();
    }

    @Test
    void everyResultIsValidForItsRequest() throws Exception {
        KnownMemory paris = new KnownMemory("mem-1", "Ana lives in Paris.", true, null);
        ExtractionRequest request = new ExtractionRequest(
                "conv-1",
                null,
                MAY_8,
                List.of(
                        SourceTurn.turn("a", "Ana", "user", MAY_8, "I moved to Berlin. I live in Paris."),
                        SourceTurn.turn("b", "Ana", "user", MAY_8, "I live in Paris.")),
                List.of(paris));

        ExtractionResult result = extractor.extract(request);

        assertThat(result.problems(request)).isEmpty();
        assertThat(result.operations()).contains(new Duplicate("mem-1", List.of("a", "b")));
    }
}

package dev.engram.memory.extract.offline;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SentenceSplitterTest {

    @Test
    void splitsAtTerminalPunctuationFollowedByANewSentence() {
        assertThat(SentenceSplitter.split("I went hiking. It was great! Did you go? Yes."))
                .containsExactly("I went hiking.", "It was great!", "Did you go?", "Yes.");
    }

    @Test
    void keepsTitlesInitialsAndAbbreviationsBeforeLowerCaseInsideTheSentence() {
        assertThat(SentenceSplitter.split("I met Dr. Smith and J. K. Rowling, e.g. at the fair at 5 p.m. today."))
                .containsExactly("I met Dr. Smith and J. K. Rowling, e.g. at the fair at 5 p.m. today.");
    }

    @Test
    void anAbbreviationBeforeACapitalisedWordEndsTheSentence() {
        assertThat(SentenceSplitter.split("We bought apples, pears, etc. Then we went home."))
                .containsExactly("We bought apples, pears, etc.", "Then we went home.");
    }

    @Test
    void keepsDecimalsTimesUrlsAndEmailAddressesWhole() {
        assertThat(
                        SentenceSplitter.split(
                                "I ran 2.5 km at 6:30. See https://example.com/a.b?c=1. Mail me at ana.b@mail.example.org. Bye."))
                .containsExactly(
                        "I ran 2.5 km at 6:30.",
                        "See https://example.com/a.b?c=1.",
                        "Mail me at ana.b@mail.example.org.",
                        "Bye.");
    }

    @Test
    void keepsClosingQuotesWithTheirSentence() {
        assertThat(SentenceSplitter.split("She said \"Go home.\" Then she left. He asked \"why?\" and stayed."))
                .containsExactly("She said \"Go home.\"", "Then she left.", "He asked \"why?\"", "and stayed.");
    }

    @Test
    void anEllipsisEndsASentenceOnlyBeforeACapital() {
        assertThat(SentenceSplitter.split("I was like... wow. Anyway… We left."))
                .containsExactly("I was like... wow.", "Anyway…", "We left.");
    }

    @Test
    void anEmojiBeforeACapitalisedWordEndsASentence() {
        assertThat(SentenceSplitter.split("Had so much fun today 😊 Going again tomorrow 🎉🎉"))
                .containsExactly("Had so much fun today 😊", "Going again tomorrow 🎉🎉");
    }

    @Test
    void joinsWrappedLinesButKeepsListItemsAndHeadingsApart() {
        String text = """
                Project notes
                The offline extractor runs in the Kafka consumer and
                needs no model at all.
                - first item without a period
                - second item
                1) third item""";

        assertThat(SentenceSplitter.split(text))
                .containsExactly(
                        "Project notes",
                        "The offline extractor runs in the Kafka consumer and needs no model at all.",
                        "first item without a period",
                        "second item",
                        "third item");
    }

    @Test
    void blankTextHasNoSentences() {
        assertThat(SentenceSplitter.split("  \n\n ")).isEmpty();
    }
}

package dev.engram.memory.extract.offline;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InformativenessTest {

    @Test
    void dropsGreetingsThanksReactionsAndShortAcknowledgements() {
        for (String filler : new String[] {
            "Wow, that's cool!",
            "Thanks!",
            "Hey Mel!",
            "Good to see you!",
            "That's really cool.",
            "Me too 😊",
            "Haha, totally.",
            "Sounds great, see you soon!"
        }) {
            assertThat(Informativeness.keep(filler, true)).as(filler).isNull();
        }
    }

    @Test
    void dropsQuestions() {
        assertThat(Informativeness.keep("How have you been lately with the new job?", true))
                .isNull();
    }

    @Test
    void dropsWordsAddressedToTheListenerAndAdviceInATurnButNotInADocument() {
        assertThat(Informativeness.keep("Your empathy will really help the people you work with.", true))
                .isNull();
        assertThat(Informativeness.keep("Let's keep motivating each other through life.", true))
                .isNull();
        assertThat(Informativeness.keep("Your order ships within three business days.", false))
                .isNotNull();
    }

    @Test
    void cutsLeadingInterjectionsAndEmoji() {
        assertThat(Informativeness.keep("Oh wow, Mel! I adopted a puppy named Biscuit 🐶", true))
                .isEqualTo("I adopted a puppy named Biscuit");
    }

    @Test
    void keepsShortFirstPersonFacts() {
        assertThat(Informativeness.keep("I love painting landscapes.", true)).isEqualTo("I love painting landscapes.");
        assertThat(Informativeness.keep("Been reading that book you recommended.", true))
                .isEqualTo("Been reading that book you recommended.");
    }

    @Test
    void aNameOrANumberCountsAsContent() {
        assertThat(Informativeness.keep("It's Shia LaBeouf!", true)).isEqualTo("It's Shia LaBeouf!");
        assertThat(Informativeness.keep("It sold out.", true)).isNull();
    }
}

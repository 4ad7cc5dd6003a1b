package dev.engram.memory.extract.offline;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ThirdPersonTest {

    private static String rewrite(String sentence) {
        return ThirdPerson.rewrite(sentence, "Caroline").text();
    }

    @Test
    void iBecomesTheNameAndThePresentTenseVerbAgrees() {
        assertThat(rewrite("I love painting and I watch birds."))
                .isEqualTo("Caroline loves painting and Caroline watches birds.");
        assertThat(rewrite("I really try hard.")).isEqualTo("Caroline really tries hard.");
        assertThat(rewrite("I have two kids and I do yoga."))
                .isEqualTo("Caroline has two kids and Caroline does yoga.");
        assertThat(rewrite("I don't eat meat.")).isEqualTo("Caroline doesn't eat meat.");
    }

    @Test
    void pastTensesAndModalsStayAsTheyAre() {
        assertThat(rewrite("I went home and I could rest.")).isEqualTo("Caroline went home and Caroline could rest.");
        assertThat(rewrite("I painted it.")).isEqualTo("Caroline painted it.");
    }

    @Test
    void contractionsExpand() {
        assertThat(rewrite("I'm happy, I've won, I'll go and I'd love it. I'd been there."))
                .isEqualTo("Caroline is happy, Caroline has won, Caroline will go and Caroline would love it."
                        + " Caroline had been there.");
    }

    @Test
    void meMyAndMineBecomeTheNameAndItsPossessive() {
        assertThat(rewrite("My kids made me a cake, the blue one is mine."))
                .isEqualTo("Caroline's kids made Caroline a cake, the blue one is Caroline's.");
    }

    @Test
    void aCompoundSubjectKeepsItsPluralVerb() {
        assertThat(rewrite("My wife and I have a dog.")).isEqualTo("Caroline's wife and Caroline have a dog.");
        assertThat(rewrite("I saw it, and I want more.")).isEqualTo("Caroline saw it, and Caroline wants more.");
    }

    @Test
    void aSubjectlessChatSentenceGetsTheSpeakerAsSubject() {
        assertThat(rewrite("Gonna continue my studies."))
                .isEqualTo("Caroline is going to continue Caroline's studies.");
        assertThat(rewrite("Lost my job yesterday.")).isEqualTo("Caroline lost Caroline's job yesterday.");
        assertThat(rewrite("Excited to start the new job.")).isEqualTo("Caroline is excited to start the new job.");
        assertThat(rewrite("Just got back from Rome.")).isEqualTo("Caroline just got back from Rome.");
        assertThat(ThirdPerson.rewrite("Gonna start.", "Caroline").aboutSpeaker())
                .isTrue();
    }

    @Test
    void aSentenceNotAboutTheSpeakerIsAttributed() {
        ThirdPerson.Rewrite rewrite = ThirdPerson.rewrite("The stories were so inspiring.", "Caroline");

        assertThat(rewrite.text()).isEqualTo("According to Caroline, the stories were so inspiring.");
        assertThat(rewrite.aboutSpeaker()).isFalse();
        assertThat(rewrite("We went camping.")).isEqualTo("According to Caroline, we went camping.");
        assertThat(rewrite("Taking care of it is calming."))
                .isEqualTo("According to Caroline, taking care of it is calming.");
        assertThat(rewrite("Oliver hid his bone.")).isEqualTo("According to Caroline, Oliver hid his bone.");
    }

    @Test
    void aSentenceThatNamesTheSpeakerIsLeftAsItIs() {
        assertThat(rewrite("Caroline is a fine name.")).isEqualTo("Caroline is a fine name.");
    }

    @Test
    void anUnnamedUserIsTheUser() {
        assertThat(ThirdPerson.rewrite("I like tea and my cat likes me.", null).text())
                .isEqualTo("The user likes tea and the user's cat likes the user.");
    }

    @Test
    void wordsThatOnlyStartLikeMyAreLeftAlone() {
        assertThat(rewrite("Mystery novels are great.")).isEqualTo("According to Caroline, Mystery novels are great.");
        assertThat(rewrite("I 100% agree.")).isEqualTo("Caroline 100% agree.");
    }
}

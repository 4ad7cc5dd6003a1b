package dev.engram.memory.extract.offline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class RelativeDatesTest {

    /** A Monday. */
    private static final LocalDate MAY_8 = LocalDate.of(2023, 5, 8);

    private static RelativeDates.Resolved resolve(String sentence) {
        return RelativeDates.resolve(sentence, MAY_8);
    }

    @Test
    void yesterdayTodayAndTomorrowBecomeDays() {
        RelativeDates.Resolved resolved = resolve("I went yesterday, I rest today and I fly tomorrow morning.");

        assertThat(resolved.text())
                .isEqualTo("I went on 7 May 2023, I rest on 8 May 2023 and I fly on the morning of 9 May 2023.");
        assertThat(resolved.dates()).containsExactly(LocalDate.of(2023, 5, 7), MAY_8, LocalDate.of(2023, 5, 9));
        assertThat(resolved.relative()).isTrue();
    }

    @Test
    void aSentenceStartingWithADateIsCapitalised() {
        assertThat(resolve("Yesterday I went out.").text()).isEqualTo("On 7 May 2023 I went out.");
        assertThat(resolve("Last night was fun.").text()).isEqualTo("On the night of 7 May 2023 was fun.");
    }

    @Test
    void countsAgoResolveExactlyAndVagueCountsStayVague() {
        assertThat(resolve("I started two weeks ago.").text()).isEqualTo("I started on 24 April 2023.");
        assertThat(resolve("I started 3 days ago.").dates()).containsExactly(LocalDate.of(2023, 5, 5));
        assertThat(resolve("I moved a year ago.").text()).isEqualTo("I moved in 2022.");
        assertThat(resolve("I moved 2 months ago.").text()).isEqualTo("I moved in March 2023.");
        assertThat(resolve("I met her a few days ago.").text()).isEqualTo("I met her a few days before 8 May 2023.");
    }

    @Test
    void lastAndNextPeriodsResolveAroundTheDay() {
        assertThat(resolve("I painted it last year.").text()).isEqualTo("I painted it in 2022.");
        assertThat(resolve("I painted it last year.").dates()).containsExactly(LocalDate.of(2022, 1, 1));
        assertThat(resolve("We go camping next month.").text()).isEqualTo("We go camping in June 2023.");
        assertThat(resolve("I was busy last week.").text()).isEqualTo("I was busy the week before 8 May 2023.");
        assertThat(resolve("I was busy last week.").dates()).containsExactly(LocalDate.of(2023, 5, 1));
        assertThat(resolve("I went kayaking last summer.").text()).isEqualTo("I went kayaking in summer 2022.");
    }

    @Test
    void weekdaysAndWeekendsResolveToTheirDays() {
        assertThat(resolve("I saw it last Friday.").text()).isEqualTo("I saw it on Friday, 5 May 2023.");
        assertThat(resolve("I'll see it next Friday.").dates()).containsExactly(LocalDate.of(2023, 5, 12));
        assertThat(resolve("We hike this weekend.").text()).isEqualTo("We hike on the weekend of 13 May 2023.");
        assertThat(resolve("We hiked last weekend.").dates()).containsExactly(LocalDate.of(2023, 5, 6));
    }

    @Test
    void afterAPrepositionTheRenderingDropsItsOwn() {
        assertThat(resolve("I have lived here since last year.").text()).isEqualTo("I have lived here since 2022.");
    }

    @Test
    void phrasesThatMeanSomethingElseAreLeftAlone() {
        RelativeDates.Resolved resolved =
                resolve("In the last year I grew. My last week at school was today's highlight.");

        assertThat(resolved.text()).isEqualTo("In the last year I grew. My last week at school was today's highlight.");
        assertThat(resolved.relative()).isFalse();
    }

    @Test
    void absoluteDatesStayAsWrittenAndAreCollected() {
        RelativeDates.Resolved resolved = resolve("Back in 2022 I married on 7 May 2021, or was it May 2020?");

        assertThat(resolved.text()).isEqualTo("Back in 2022 I married on 7 May 2021, or was it May 2020?");
        assertThat(resolved.dates())
                .containsExactly(LocalDate.of(2021, 5, 7), LocalDate.of(2020, 5, 1), LocalDate.of(2022, 1, 1));
        assertThat(resolved.relative()).isFalse();
    }

    @Test
    void readsTheFirstExplicitDayOfATranscriptHeader() {
        assertThat(RelativeDates.firstExplicitDay("1:56 pm on 8 May, 2023")).contains(MAY_8);
        assertThat(RelativeDates.firstExplicitDay("May 8, 2023 at noon")).contains(MAY_8);
        assertThat(RelativeDates.firstExplicitDay("2023-05-08T13:56")).contains(MAY_8);
        assertThat(RelativeDates.firstExplicitDay("shares an image: a photo")).isEmpty();
    }

    @Test
    void textWithoutDatesIsUnchanged() {
        RelativeDates.Resolved resolved = resolve("This painting is mine.");

        assertThat(resolved.text()).isEqualTo("This painting is mine.");
        assertThat(resolved.dates()).isEmpty();
    }
}

package dev.engram.memory.extract.offline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engram.memory.extract.offline.Slots.Slot;
import dev.engram.memory.extract.offline.Slots.SlotFact;
import org.junit.jupiter.api.Test;

class SlotsTest {

    @Test
    void readsSubjectSlotAndValue() {
        assertThat(Slots.parse("Ana lives in New York City with Ana's family."))
                .contains(new SlotFact("ana", Slot.RESIDENCE, "", "new york city"));
        assertThat(Slots.parse("Ana recently moved to Berlin on 7 May 2023."))
                .contains(new SlotFact("ana", Slot.RESIDENCE, "", "berlin"));
        assertThat(Slots.parse("The user works at Bank of America."))
                .contains(new SlotFact("the user", Slot.EMPLOYER, "", "bank of america"));
        assertThat(Slots.parse("Jon works as a dance teacher."))
                .contains(new SlotFact("jon", Slot.OCCUPATION, "", "dance teacher"));
        assertThat(Slots.parse("Ana's favourite colour is deep green."))
                .contains(new SlotFact("ana", Slot.FAVOURITE, "colour", "deep green"));
        assertThat(Slots.parse("Ana is 34 years old.")).contains(new SlotFact("ana", Slot.AGE, "", "34"));
        assertThat(Slots.parse("Ana has two kids.")).contains(new SlotFact("ana", Slot.CHILDREN, "", "two"));
        assertThat(Slots.parse("Ana got engaged.")).contains(new SlotFact("ana", Slot.RELATIONSHIP, "", "engaged"));
        assertThat(Slots.parse("Ana adopted a dog named Max.")).contains(new SlotFact("ana", Slot.PET, "dog", "max"));
        assertThat(Slots.parse("Then Ana moved to Rome.")).contains(new SlotFact("ana", Slot.RESIDENCE, "", "rome"));
    }

    @Test
    void onlyPetsHoldSeveralValues() {
        for (Slot slot : Slot.values()) {
            assertThat(slot.singleValued()).as(slot.name()).isEqualTo(slot != Slot.PET);
        }
    }

    @Test
    void factsOutsideTheModelHaveNoSlot() {
        assertThat(Slots.parse("Ana went hiking with Bo.")).isEmpty();
        assertThat(Slots.parse("Ana is 5 minutes away.")).isEmpty();
        assertThat(Slots.parse("According to Ana, Bo lives in Oslo.")).isEmpty();
        assertThat(Slots.parse("the stories were inspiring.")).isEmpty();
    }
}

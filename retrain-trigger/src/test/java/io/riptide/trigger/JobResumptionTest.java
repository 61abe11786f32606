package io.riptide.trigger;

import io.riptide.trigger.store.ModelRegistryStore.JobOutcome;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class JobResumptionTest {

    @Test
    void aJobThatRecordedNothingTrainsFromTheStart() {
        assertEquals(JobResumption.TRAIN, JobResumption.of(Optional.empty()));
    }

    @Test
    void aModelWithoutADecisionIsDiscardedAndTrainedAgain() {
        assertEquals(JobResumption.DISCARD_AND_TRAIN, JobResumption.of(Optional.of(new JobOutcome(3, "CANDIDATE",
                null))));
    }

    @Test
    void aRecordedDecisionIsCarriedOutNeverTrainedAgain() {
        assertEquals(JobResumption.FINISH_REJECTED, JobResumption.of(Optional.of(new JobOutcome(3, "REJECTED",
                "REJECT"))));
        assertEquals(JobResumption.PROMOTE_AND_FINISH, JobResumption.of(Optional.of(new JobOutcome(3, "CANDIDATE",
                "PROMOTE"))));
        assertEquals(JobResumption.FINISH_PROMOTED, JobResumption.of(Optional.of(new JobOutcome(3, "PRODUCTION",
                "PROMOTE"))));
        assertEquals(JobResumption.FINISH_PROMOTED, JobResumption.of(Optional.of(new JobOutcome(3, "ARCHIVED",
                "PROMOTE"))));
    }
}

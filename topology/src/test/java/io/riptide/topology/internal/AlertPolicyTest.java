package io.riptide.topology.internal;

import io.riptide.schemas.avro.RiskLevel;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.riptide.schemas.avro.RiskLevel.CRITICAL;
import static io.riptide.schemas.avro.RiskLevel.HIGH;
import static io.riptide.schemas.avro.RiskLevel.LOW;
import static io.riptide.schemas.avro.RiskLevel.MEDIUM;
import static org.junit.jupiter.api.Assertions.assertEquals;

class AlertPolicyTest {

    /** Which of the levels alert, in order. */
    private static List<Integer> alerted(RiskLevel... levels) {
        List<Integer> at = new ArrayList<>();
        RiskLevel raised = LOW;
        for (int i = 0; i < levels.length; i++) {
            if (AlertPolicy.alerts(raised, levels[i])) {
                at.add(i);
            }
            raised = AlertPolicy.next(raised, levels[i]);
        }
        return at;
    }

    @Test
    void anEpisodeAlertsWhenItStartsAndWhenItEscalatesNotWhileItLasts() {
        assertEquals(List.of(1), alerted(MEDIUM, HIGH, HIGH, MEDIUM, HIGH, HIGH));
        assertEquals(List.of(1, 3), alerted(MEDIUM, HIGH, HIGH, CRITICAL, CRITICAL, HIGH));
        assertEquals(List.of(0), alerted(CRITICAL, HIGH, CRITICAL));
    }

    @Test
    void fallingBackToLowReArmsIt() {
        assertEquals(List.of(0, 2), alerted(HIGH, LOW, HIGH));
        assertEquals(List.of(), alerted(LOW, MEDIUM, MEDIUM, LOW));
    }
}

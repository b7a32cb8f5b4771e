package io.github.jobmetrics.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jobmetrics.agent.internal.ExitStatus;
import io.github.jobmetrics.internal.model.FailureReason;
import io.github.jobmetrics.internal.model.RunEnding;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class RunOutcomeTest {
    private static final long END = 1_000L;

    @Test
    void mainReturningWithNothingElseSeenIsASuccess() {
        RunEnding e = RunOutcome.decide(END, ExitStatus.NONE, 0, false, false);
        assertTrue(e.success());
        assertEquals(OptionalInt.of(0), e.exitCode());
    }

    @Test
    void exitZeroIsASuccessAndNonZeroAFailureWithItsStatus() {
        assertTrue(RunOutcome.decide(END, ExitStatus.EXIT, 0, false, true).success());
        RunEnding e = RunOutcome.decide(END, ExitStatus.EXIT, 7, false, true);
        assertFalse(e.success());
        assertEquals(OptionalInt.of(7), e.exitCode());
        assertEquals(FailureReason.EXIT_CODE, e.reason().orElseThrow());
    }

    @Test
    void aSignalIsAFailureWith128PlusN() {
        RunEnding e = RunOutcome.decide(END, ExitStatus.SIGNAL, 143, false, true);
        assertEquals(FailureReason.SIGNAL, e.reason().orElseThrow());
        assertEquals(OptionalInt.of(143), e.exitCode());
    }

    @Test
    void mainDyingOfAnExceptionIsAFailureWithStatus1() {
        RunEnding e = RunOutcome.decide(END, ExitStatus.NONE, 0, true, false);
        assertEquals(FailureReason.UNCAUGHT_EXCEPTION, e.reason().orElseThrow());
        assertEquals(OptionalInt.of(1), e.exitCode());
    }

    @Test
    void aNonZeroExitAfterMainDiedReportsTheExit() {
        RunEnding e = RunOutcome.decide(END, ExitStatus.EXIT, 3, true, false);
        assertEquals(FailureReason.EXIT_CODE, e.reason().orElseThrow());
        assertEquals(OptionalInt.of(3), e.exitCode());
    }

    @Test
    void anExitNotSeenWhileMainStillRanIsAFailureOfUnknownStatus() {
        RunEnding e = RunOutcome.decide(END, ExitStatus.NONE, 0, false, true);
        assertFalse(e.success());
        assertEquals(OptionalInt.empty(), e.exitCode());
    }

    @Test
    void aNegativeExitIsTheStatusTheShellSees() {
        RunEnding e = RunOutcome.decide(END, ExitStatus.EXIT, -2, false, true);
        assertEquals(FailureReason.EXIT_CODE, e.reason().orElseThrow());
        assertEquals(OptionalInt.of(254), e.exitCode());
        assertTrue(RunOutcome.decide(END, ExitStatus.EXIT, 256, false, true).success());
    }
}

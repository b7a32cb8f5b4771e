package io.github.jobmetrics.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jobmetrics.internal.model.FailureReason;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SupervisorTest {
    @Test
    void graceLeavesRoomToPushWithinKubernetesThirtySeconds() {
        assertEquals(Duration.ofSeconds(18), Supervisor.graceFor(Duration.ofSeconds(10)));
        assertEquals(Duration.ofSeconds(1), Supervisor.graceFor(Duration.ofSeconds(29)));
    }

    @Test
    void startErrorsMapToNotFoundAndNotExecutable() {
        LaunchFailure missing = Supervisor.launchFailure("etl", new IOException(
                "Cannot run program \"etl\": error=2, No such file or directory"));
        assertEquals(127, missing.status());
        assertEquals("cannot run etl: No such file or directory", missing.getMessage());
        assertEquals(126, Supervisor.launchFailure("etl", new IOException(
                "Cannot run program \"etl\": error=13, Permission denied")).status());
        assertEquals(126, Supervisor.launchFailure("etl", new IOException(
                "Cannot run program \"etl\": error=8, Exec format error")).status());
    }

    @Test
    void exitStatusesBecomeEndings() {
        assertTrue(new JobExit(0, false, null).ending(1).success());
        assertEquals(FailureReason.EXIT_CODE, new JobExit(3, false, null).ending(1).reason().orElseThrow());
        assertEquals(FailureReason.SIGNAL, new JobExit(137, false, null).ending(1).reason().orElseThrow());
        assertEquals(FailureReason.SIGNAL, new JobExit(0, false, "SIGTERM").ending(1).reason().orElseThrow());
        assertEquals(FailureReason.EXIT_CODE, new JobExit(255, false, null).ending(1).reason().orElseThrow());
        JobExit timedOut = new JobExit(143, true, null);
        assertEquals(124, timedOut.runnerStatus());
        assertEquals(FailureReason.TIMEOUT, timedOut.ending(1).reason().orElseThrow());
        assertEquals(124, timedOut.ending(1).exitCode().getAsInt());
        assertFalse(new JobExit(128, false, null).killedBySignal());
    }
}

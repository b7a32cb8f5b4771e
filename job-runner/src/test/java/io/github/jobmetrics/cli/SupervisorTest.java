package io.github.jobmetrics.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jobmetrics.internal.model.FailureReason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

    @Test
    void programsAreLookedUpAsExecvpDoesSoThatMissingIs127AndNotExecutableIs126(@TempDir Path dir) throws Exception {
        Path plain = Files.writeString(dir.resolve("plain"), "#!/bin/sh\n");
        LaunchFailure missing = assertThrows(LaunchFailure.class, () -> Executables.check("no-such-x", dir.toString()));
        assertEquals(127, missing.status());
        assertEquals("cannot run no-such-x: No such file or directory", missing.getMessage());
        assertEquals(126, assertThrows(LaunchFailure.class,
                () -> Executables.check("plain", dir.toString())).status());
        assertEquals(126, assertThrows(LaunchFailure.class, () -> Executables.check(plain.toString(), null)).status());
        assertEquals(127, assertThrows(LaunchFailure.class,
                () -> Executables.check(dir.resolve("gone").toString(), null)).status());
        Executables.check("sh", dir + ":/bin:/usr/bin");
        assertTrue(Executables.find("sh", dir + ":/bin:/usr/bin").isPresent());
    }

    @Test
    void aLaterSignalCompletesOnlyWaitsStartedBeforeIt() {
        StopRequests stops = new StopRequests();
        CompletableFuture<String> first = stops.first();
        stops.receive("SIGTERM");
        assertEquals("SIGTERM", first.getNow(null));
        CompletableFuture<String> next = stops.next();
        assertFalse(next.isDone(), "the first signal is not a later one");
        stops.receive("SIGINT");
        assertEquals("SIGINT", next.getNow(null));
        assertEquals("SIGTERM", stops.first().getNow(null));
    }
}

package io.github.jobmetrics.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jobmetrics.cli.jobs.CopiesStdin;
import io.github.jobmetrics.cli.jobs.ExitWith;
import io.github.jobmetrics.internal.push.PushRequest;
import io.github.jobmetrics.internal.push.Spool;
import io.github.jobmetrics.testing.FreePort;
import io.github.jobmetrics.testing.PushgatewayProcess;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Pushgateway down for one run and up for the next: nothing is lost, nothing goes astray, nobody waits long. */
class SpoolIT {
    @TempDir Path dir;

    private List<String> spoolFiles(Path spool) throws Exception {
        if (!Files.isDirectory(spool)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(spool)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> !n.equals(".lock")).sorted().toList();
        }
    }

    @Test
    void runSpooledForOneGatewayIsDeliveredOnlyToThatGatewayWithItsStatus() throws Exception {
        Path spool = dir.resolve("spool");
        Path jar = TestJars.jobJar(dir, ExitWith.class);
        int downPort = FreePort.next();
        String down = "http://127.0.0.1:" + downPort;

        RunnerProcess first = RunnerProcess.run(dir, Map.of(), "--gateway", down, "--job", "spooled_run",
                "--push-timeout", "3s", "--spool-dir", spool.toString(), "--no-agent", "--", jar.toString(), "3");
        assertEquals(3, first.status(), "a push failure never changes the job's status: " + first.stderr());
        assertTrue(first.stderr().contains("for delivery by the next run"), first.stderr());
        assertTrue(first.elapsed().compareTo(Duration.ofSeconds(3 + 15)) < 0,
                "bounded by the push timeout plus two JVM starts: " + first.elapsed());
        assertEquals(1, spoolFiles(spool).size(), "the run waits in the spool");

        try (PushgatewayProcess other = PushgatewayProcess.start()) {
            RunnerProcess elsewhere = RunnerProcess.run(dir, Map.of(), "--gateway", other.baseUri().toString(),
                    "--job", "other_run", "--spool-dir", spool.toString(), "--no-agent", "--", jar.toString(), "0");
            assertEquals(0, elsewhere.status(), elsewhere.stderr());
            GatewayPage page = new GatewayPage(other.metricsPage());
            assertTrue(page.value("batch_job_exit_code", "spooled_run").isEmpty(),
                    "a run spooled for another gateway is not delivered here: " + page);
            assertEquals(1, page.require("batch_job_success", "other_run"));
            assertEquals(1, spoolFiles(spool).size(), "the entry still waits for its own gateway");
        }

        try (PushgatewayProcess gateway = PushgatewayProcess.startOn(downPort)) {
            RunnerProcess second = RunnerProcess.run(dir, Map.of(), "--gateway", gateway.baseUri().toString(),
                    "--job", "next_run", "--spool-dir", spool.toString(), "--no-agent", "--", jar.toString(), "0");
            assertEquals(0, second.status(), second.stderr());
            assertTrue(second.stderr().contains("delivered spooled"), second.stderr());
            GatewayPage page = new GatewayPage(gateway.metricsPage());
            assertEquals(3, page.require("batch_job_exit_code", "spooled_run"));
            assertEquals(0, page.require("batch_job_success", "spooled_run"));
            assertEquals(1, page.require("batch_job_failure_reason", "spooled_run", "reason=\"exit_code\""));
            assertEquals(1, page.require("batch_job_success", "next_run"));
            assertEquals(List.of(), spoolFiles(spool));
        }
    }

    @Test
    void runWaitsForAnotherProcessHoldingTheSpoolLockInsteadOfOvertakingTheOlderPushOfItsGroup() throws Exception {
        Path spool = dir.resolve("spool");
        Path jar = TestJars.jobJar(dir, CopiesStdin.class);
        try (PushgatewayProcess gateway = PushgatewayProcess.start()) {
            // An older run of the same group, spooled earlier: it must reach the gateway before the newer run.
            new Spool(spool, 100, Duration.ofDays(7), java.time.Clock.systemUTC(), line -> { }).save(
                    gateway.baseUri(), new PushRequest(PushRequest.Method.PUT, "/metrics/job/ordered",
                            "# TYPE older_run_marker gauge\nolder_run_marker 1\n".getBytes(StandardCharsets.UTF_8)));
            try (RunnerProcess newer = RunnerProcess.start(dir, Map.of(), List.of("--gateway",
                    gateway.baseUri().toString(), "--job", "ordered", "--push-timeout", "20s", "--spool-dir",
                    spool.toString(), "--no-agent", "--", jar.toString()))) {
                newer.awaitOutput("ready");
                try (FileChannel ch = FileChannel.open(spool.resolve(".lock"), StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE); FileLock lock = ch.lock()) {
                    // This process is the other run, delivering: the newer run ends its job and must wait.
                    newer.process().getOutputStream().close();
                    boolean ended = newer.process().waitFor(3, TimeUnit.SECONDS);
                    assertTrue(lock.isValid());
                    assertFalse(ended && newer.stderr().contains("pushed PUT"),
                            "the newer run pushed while an older push of its group waited: " + newer.stderr());
                }
                assertEquals(0, newer.awaitExit(), newer.stderr());
                String err = newer.stderr();
                assertTrue(err.contains("delivered spooled PUT /metrics/job/ordered"), err);
                assertTrue(err.indexOf("delivered spooled") < err.indexOf("pushed PUT"), err);
                GatewayPage page = new GatewayPage(gateway.metricsPage());
                assertEquals(1, page.require("batch_job_success", "ordered"), "the newer run is what stays");
                assertEquals(List.of(), spoolFiles(spool));
            }
        }
    }

    @Test
    void spoolDirectoryOtherUsersCanWriteToIsNotUsedSoPlantedEntriesAreNeverPushed() throws Exception {
        Path spool = Files.createDirectory(dir.resolve("shared-spool"));
        Files.setPosixFilePermissions(spool, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        for (String magic : List.of("jobmetrics-spool 1\n", "")) {
            // Planted as another local user would: in the format of the earlier version and as a bare body.
            Files.writeString(spool.resolve("000000000000" + (magic.isEmpty() ? 2 : 1) + "-000001-1.push"), magic
                    + "PUT /metrics/job/payroll\n\n# TYPE planted_metric gauge\nplanted_metric 666\n");
        }
        Path jar = TestJars.jobJar(dir, ExitWith.class);
        try (PushgatewayProcess gateway = PushgatewayProcess.start()) {
            RunnerProcess r = RunnerProcess.run(dir, Map.of(), "--gateway", gateway.baseUri().toString(),
                    "--job", "victim", "--spool-dir", spool.toString(), "--no-agent", "--", jar.toString(), "0");
            assertEquals(0, r.status(), r.stderr());
            GatewayPage page = new GatewayPage(gateway.metricsPage());
            assertTrue(page.value("planted_metric", "payroll").isEmpty(), page.toString());
            assertEquals(1, page.require("batch_job_success", "victim"));
            assertEquals(1, r.stderr().lines().filter(l -> l.contains("is not used")).count(), r.stderr());
            assertTrue(r.stderr().contains("spool " + spool + " is not used: other users can write to it"),
                    r.stderr());
        }
    }

    @Test
    void fullDiskLeavesNoTemporaryFileAndSaysWhyOnce() throws Exception {
        Path spool = dir.resolve("spool");
        // RLIMIT_FSIZE of 1 KiB: the JVM ignores SIGXFSZ, so the spool's write fails as on a full disk.
        List<String> cmd = new ArrayList<>(List.of("bash", "-c", "ulimit -f 1; exec \"$0\" \"$@\"",
                RunnerProcess.java(), "-XX:-UsePerfData", "-jar", RunnerProcess.runnerJar().toString(),
                "--gateway", "http://127.0.0.1:" + FreePort.next(), "--job", "full_disk", "--push-timeout", "2s",
                "--spool-dir", spool.toString(), "--no-agent", "--", "true"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), out);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("could not be spooled to " + spool + ": File too large"), out);
        assertEquals(1, out.split(java.util.regex.Pattern.quote(spool.toString()), -1).length - 1,
                "the directory is named once: " + out);
        assertEquals(List.of(), spoolFiles(spool), "no temporary file is left behind");
    }
}

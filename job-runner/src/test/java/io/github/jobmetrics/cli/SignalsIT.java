package io.github.jobmetrics.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jobmetrics.cli.jobs.WaitsUntilStopped;
import io.github.jobmetrics.testing.PushgatewayExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Jobs ended from outside: a signal to the runner, kill -9 of the job, and --timeout. */
class SignalsIT {
    @RegisterExtension
    static final PushgatewayExtension GATEWAY = new PushgatewayExtension();
    @TempDir Path dir;

    private RunnerProcess start(String job, List<String> options, String... jobArgs) throws Exception {
        List<String> args = new ArrayList<>(List.of("--gateway=" + GATEWAY.get().baseUri(), "--job=" + job,
                "--no-agent"));
        args.addAll(options);
        args.add("--");
        args.addAll(List.of(jobArgs));
        return RunnerProcess.start(dir, Map.of(), args);
    }

    /** A shell job that ignores SIGTERM, so only SIGKILL ends it. */
    private Path stubbornScript() throws Exception {
        Path script = dir.resolve("stubborn.sh");
        Files.writeString(script, "#!/bin/sh\ntrap '' TERM\necho ready\nwhile true; do sleep 1; done\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    @Test
    void sigtermToTheRunnerIsPassedToTheJobAndItsStatusIsPushedAsFailure() throws Exception {
        Path jar = TestJars.jobJar(dir, WaitsUntilStopped.class);
        try (RunnerProcess r = start("sigterm", List.of(), jar.toString())) {
            r.awaitOutput("ready");
            r.process().destroy(); // SIGTERM, as Kubernetes sends it
            assertEquals(143, r.awaitExit(), r.stderr());
            assertTrue(r.stderr().contains("SIGTERM received; passing SIGTERM to the job"), r.stderr());
            GatewayPage page = new GatewayPage(GATEWAY.get().metricsPage());
            assertEquals(143, page.require("batch_job_exit_code", "sigterm"));
            assertEquals(0, page.require("batch_job_success", "sigterm"));
            assertEquals(1, page.require("batch_job_failure_reason", "sigterm", "reason=\"signal\""));
            assertTrue(r.elapsed().compareTo(Duration.ofSeconds(30)) < 0, "within Kubernetes' grace period");
        }
    }

    @Test
    void sigintToTheRunnerIsPassedOnToo() throws Exception {
        Path jar = TestJars.jobJar(dir, WaitsUntilStopped.class);
        try (RunnerProcess r = start("sigint", List.of(), jar.toString())) {
            r.awaitOutput("ready");
            Process kill = new ProcessBuilder("kill", "-INT", String.valueOf(r.process().pid())).inheritIO().start();
            assertTrue(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0, "kill -INT ran");
            assertEquals(143, r.awaitExit(), r.stderr());
            assertTrue(r.stderr().contains("SIGINT received"), r.stderr());
            assertEquals(1, new GatewayPage(GATEWAY.get().metricsPage())
                    .require("batch_job_failure_reason", "sigint", "reason=\"signal\""));
        }
    }

    @Test
    void jobIgnoringSigtermIsKilledAfterTheGracePeriodAndTheRunnerStillPushes() throws Exception {
        // 30 s - 27 s push timeout - 2 s margin leaves the 1 s minimum grace.
        try (RunnerProcess r = start("stubborn_term", List.of("--push-timeout=27s"), stubbornScript().toString())) {
            r.awaitOutput("ready");
            ProcessHandle job = r.child();
            r.process().destroy();
            assertEquals(137, r.awaitExit(), r.stderr());
            assertTrue(r.stderr().contains("sending SIGKILL"), r.stderr());
            assertTrue(job.onExit().get(10, TimeUnit.SECONDS) != null && !job.isAlive());
            GatewayPage page = new GatewayPage(GATEWAY.get().metricsPage());
            assertEquals(137, page.require("batch_job_exit_code", "stubborn_term"));
            assertEquals(1, page.require("batch_job_failure_reason", "stubborn_term", "reason=\"signal\""));
        }
    }

    @Test
    void killMinus9OfTheJobIs137AndIsPushedAsSignal() throws Exception {
        Path jar = TestJars.jobJar(dir, WaitsUntilStopped.class);
        try (RunnerProcess r = start("kill9", List.of(), jar.toString())) {
            r.awaitOutput("ready");
            assertTrue(r.child().destroyForcibly(), "SIGKILL sent to the job");
            assertEquals(137, r.awaitExit(), r.stderr());
            GatewayPage page = new GatewayPage(GATEWAY.get().metricsPage());
            assertEquals(137, page.require("batch_job_exit_code", "kill9"));
            assertEquals(0, page.require("batch_job_success", "kill9"));
            assertEquals(1, page.require("batch_job_failure_reason", "kill9", "reason=\"signal\""));
        }
    }

    @Test
    void timeoutStopsTheJobExits124AndIsPushedAsTimeout() throws Exception {
        Path jar = TestJars.jobJar(dir, WaitsUntilStopped.class);
        try (RunnerProcess r = start("timeout", List.of("--timeout=1s"), jar.toString())) {
            assertEquals(124, r.awaitExit(), r.stderr());
            assertTrue(r.stdout().contains("ready"), "the job ran before the timeout");
            assertTrue(r.stderr().contains("--timeout 1s expired"), r.stderr());
            assertTrue(r.elapsed().compareTo(Duration.ofSeconds(20)) < 0, "took " + r.elapsed());
            GatewayPage page = new GatewayPage(GATEWAY.get().metricsPage());
            assertEquals(124, page.require("batch_job_exit_code", "timeout"));
            assertEquals(0, page.require("batch_job_success", "timeout"));
            assertEquals(1, page.require("batch_job_failure_reason", "timeout", "reason=\"timeout\""));
        }
    }

    @Test
    void timeoutKillsAJobThatIgnoresSigterm() throws Exception {
        try (RunnerProcess r = start("stubborn_timeout", List.of("--timeout=1s", "--push-timeout=27s"),
                stubbornScript().toString())) {
            r.awaitOutput("ready");
            ProcessHandle job = r.child();
            List<ProcessHandle> sleeps = job.descendants().toList();
            assertEquals(124, r.awaitExit(), r.stderr());
            assertTrue(r.stderr().contains("sending SIGKILL"), r.stderr());
            assertTrue(r.elapsed().compareTo(Duration.ofSeconds(20)) < 0, "took " + r.elapsed());
            assertFalse(job.isAlive(), "the job was killed");
            for (ProcessHandle s : sleeps) {
                s.onExit().get(10, TimeUnit.SECONDS);
            }
            assertEquals(1, new GatewayPage(GATEWAY.get().metricsPage())
                    .require("batch_job_failure_reason", "stubborn_timeout", "reason=\"timeout\""));
        }
    }
}

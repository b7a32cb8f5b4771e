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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
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

    private static void kill(String signal, long pid) throws Exception {
        Process kill = new ProcessBuilder("kill", "-s", signal, "--", String.valueOf(pid)).inheritIO().start();
        assertTrue(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0, "kill -s " + signal + " ran");
    }

    /** The job's processes, once there are {@code count}: its first process (last in the list) and its descendants. */
    private static List<ProcessHandle> jobProcesses(RunnerProcess r, int count) throws Exception {
        ProcessHandle job = r.child();
        long end = System.nanoTime() + RunnerProcess.BOUND.toNanos();
        List<ProcessHandle> all;
        do {
            all = new ArrayList<>(job.descendants().toList());
            all.add(job);
            if (all.size() >= count) {
                return all;
            }
            Thread.sleep(20);
        } while (System.nanoTime() - end < 0);
        throw new AssertionError("the job has not " + count + " processes: " + all);
    }

    /**
     * Waits, with a bound, until none of {@code processes} runs. An ended process whose parent died stays a zombie
     * until whoever inherits it reaps it, and Java counts zombies as alive; /proc tells them apart.
     */
    private static void assertAllEnd(List<ProcessHandle> processes) throws Exception {
        assertAllEnd(processes, null);
    }

    private static void assertAllEnd(List<ProcessHandle> processes, RunnerProcess r) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        List<ProcessHandle> running = processes;
        while (!(running = running.stream().filter(SignalsIT::running).toList()).isEmpty()
                && System.nanoTime() - end < 0) {
            Thread.sleep(20);
        }
        assertTrue(running.isEmpty(), "processes of the job still run: " + running
                + (r == null ? "" : "; runner's stderr: " + r.stderr()));
    }

    private static boolean running(ProcessHandle p) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(p.pid()), "stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return p.isAlive() && state != 'Z' && state != 'X';
        } catch (java.io.IOException e) {
            return false; // gone from /proc: ended and reaped
        }
    }

    /** Two sleeps, one in the background: a job of three processes. */
    private Path twoSleeps() throws Exception {
        Path script = dir.resolve("two-sleeps.sh");
        Files.writeString(script, "#!/bin/sh\nsleep 41 &\necho ready\nsleep 42\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    @Test
    void timeoutEndsEveryProcessOfTheJobNotOnlyTheFirst() throws Exception {
        try (RunnerProcess r = start("timeout_tree", List.of("--timeout=2s"), twoSleeps().toString())) {
            r.awaitOutput("ready");
            List<ProcessHandle> job = jobProcesses(r, 3);
            assertEquals(124, r.awaitExit(), r.stderr());
            assertTrue(r.elapsed().compareTo(Duration.ofSeconds(15)) < 0, "took " + r.elapsed());
            assertAllEnd(job);
            assertTrue(r.stderr().contains("sending SIGTERM to the job's process group"), r.stderr());
            assertEquals(1, new GatewayPage(GATEWAY.get().metricsPage())
                    .require("batch_job_failure_reason", "timeout_tree", "reason=\"timeout\""));
        }
    }

    @Test
    void sighupToTheRunnerEndsTheWholeJobAndTheRunIsPushedWith129() throws Exception {
        try (RunnerProcess r = start("sighup", List.of(), twoSleeps().toString())) {
            r.awaitOutput("ready");
            List<ProcessHandle> job = jobProcesses(r, 3);
            kill("HUP", r.process().pid());
            assertEquals(129, r.awaitExit(), r.stderr());
            assertAllEnd(job);
            assertTrue(r.stderr().contains("SIGHUP received; passing SIGHUP to the job's process group"), r.stderr());
            GatewayPage page = new GatewayPage(GATEWAY.get().metricsPage());
            assertEquals(129, page.require("batch_job_exit_code", "sighup"));
            assertEquals(1, page.require("batch_job_failure_reason", "sighup", "reason=\"signal\""));
        }
    }

    @ParameterizedTest
    @CsvSource({"HUP, 129", "INT, 130", "TERM, 143"})
    void eachCaughtSignalReachesTheJobAsItself(String signal, int status) throws Exception {
        Path script = dir.resolve("traps.sh");
        Files.writeString(script, "#!/bin/sh\n"
                + "trap 'echo got HUP; exit 129' HUP\ntrap 'echo got INT; exit 130' INT\n"
                + "trap 'echo got TERM; exit 143' TERM\necho ready\nsleep 46 &\nwait\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        String job = "trap_" + signal.toLowerCase(java.util.Locale.ROOT);
        // 27 s of push timeout leaves 1 s of grace: the background sleep ignores SIGINT, as sh makes it do.
        try (RunnerProcess r = start(job, List.of("--push-timeout=27s"), script.toString())) {
            r.awaitOutput("ready");
            List<ProcessHandle> processes = jobProcesses(r, 2);
            kill(signal, r.process().pid());
            assertEquals(status, r.awaitExit(), r.stderr());
            assertTrue(r.stdout().contains("got " + signal), r.stdout());
            assertAllEnd(processes);
            assertEquals(status, new GatewayPage(GATEWAY.get().metricsPage()).require("batch_job_exit_code", job));
        }
    }

    @Test
    void runnerKilledWithSigkillTakesTheJobWithIt() throws Exception {
        try (RunnerProcess r = start("runner_killed", List.of(), twoSleeps().toString())) {
            r.awaitOutput("ready");
            List<ProcessHandle> job = jobProcesses(r, 3);
            assertTrue(r.process().destroyForcibly() != null, "SIGKILL sent to the runner");
            assertEquals(137, r.awaitExit());
            assertAllEnd(job, r);
            r.awaitOutput("the runner ended while the job was running; sending SIGTERM to the job's process group "
                    + job.get(job.size() - 1).pid());
        }
    }

    @Test
    void sigkillToTheRunnersWholeProcessGroupStillEndsTheJob() throws Exception {
        // As `timeout -s KILL` does: it signals the group it leads, the runner's.
        List<String> args = List.of("--gateway=" + GATEWAY.get().baseUri(), "--job=group_killed", "--no-agent", "--",
                twoSleeps().toString());
        try (RunnerProcess r = RunnerProcess.startInOwnGroup(dir, Map.of(), args)) {
            r.awaitOutput("ready");
            List<ProcessHandle> job = jobProcesses(r, 3);
            kill("KILL", -r.process().pid());
            assertEquals(137, r.awaitExit());
            assertAllEnd(job, r);
        }
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
    void sigintToTheRunnerIsPassedOnAsSigint() throws Exception {
        Path jar = TestJars.jobJar(dir, WaitsUntilStopped.class);
        try (RunnerProcess r = start("sigint", List.of(), jar.toString())) {
            r.awaitOutput("ready");
            kill("INT", r.process().pid());
            assertEquals(130, r.awaitExit(), r.stderr());
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

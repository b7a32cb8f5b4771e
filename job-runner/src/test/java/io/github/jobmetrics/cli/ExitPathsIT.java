package io.github.jobmetrics.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jobmetrics.cli.jobs.ExitFromOtherThread;
import io.github.jobmetrics.cli.jobs.ExitWith;
import io.github.jobmetrics.cli.jobs.ThrowsUncaught;
import io.github.jobmetrics.testing.PushgatewayExtension;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every way a Java job ends by itself: the runner's exit status and what the Pushgateway holds agree. */
class ExitPathsIT {
    @RegisterExtension
    static final PushgatewayExtension GATEWAY = new PushgatewayExtension();
    @TempDir Path dir;

    private RunnerProcess run(String job, String... jobArgs) throws Exception {
        String[] args = new String[5 + jobArgs.length];
        args[0] = "--gateway=" + GATEWAY.get().baseUri();
        args[1] = "--job=" + job;
        args[2] = "--no-agent";
        args[3] = "--push-timeout=5s";
        args[4] = "--";
        System.arraycopy(jobArgs, 0, args, 5, jobArgs.length);
        return RunnerProcess.run(dir, Map.of(), args);
    }

    @Test
    void jobReturningFromMainExitsZeroAndIsPushedAsSuccess() throws Exception {
        Path jar = TestJars.jobJar(dir, ExitWith.class);
        RunnerProcess r = run("exit_zero", jar.toString(), "0");
        assertEquals(0, r.status(), r.stderr());
        assertTrue(r.stdout().contains("exit-with 0"), "the job's stdout passes through: " + r.stdout());
        GatewayPage page = new GatewayPage(GATEWAY.get().metricsPage());
        assertEquals(0, page.require("batch_job_exit_code", "exit_zero"));
        assertEquals(1, page.require("batch_job_success", "exit_zero"));
        assertTrue(page.value("batch_job_failure_reason", "exit_zero").isEmpty(), page.toString());
        assertTrue(r.stderr().contains("; pushed PUT of "), r.stderr());
        assertTrue(r.stderr().contains(GATEWAY.get().baseUri() + "/metrics/job/exit_zero"), r.stderr());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 255})
    void exitStatusOfTheJobIsTheRunnersAndIsPushed(int status) throws Exception {
        Path jar = TestJars.jobJar(dir, ExitWith.class);
        String job = "exit_" + status;
        RunnerProcess r = run(job, jar.toString(), String.valueOf(status));
        assertEquals(status, r.status(), r.stderr());
        GatewayPage page = new GatewayPage(GATEWAY.get().metricsPage());
        assertEquals(status, page.require("batch_job_exit_code", job));
        assertEquals(0, page.require("batch_job_success", job));
        assertEquals(1, page.require("batch_job_failure_reason", job, "reason=\"exit_code\""));
        assertTrue(r.stderr().contains("; pushed PUT of "), r.stderr());
    }

    @Test
    void uncaughtExceptionInMainExitsOneAndIsPushedAsFailure() throws Exception {
        Path jar = TestJars.jobJar(dir, ThrowsUncaught.class);
        RunnerProcess r = run("uncaught", jar.toString());
        assertEquals(1, r.status(), r.stderr());
        assertTrue(r.stderr().contains("test job fails on purpose"), "the job's stderr passes through");
        GatewayPage page = new GatewayPage(GATEWAY.get().metricsPage());
        assertEquals(1, page.require("batch_job_exit_code", "uncaught"));
        assertEquals(0, page.require("batch_job_success", "uncaught"));
        assertEquals(1, page.require("batch_job_failure_reason", "uncaught", "reason=\"exit_code\""));
    }

    @Test
    void systemExitFromAnotherThreadIsTheRunnersStatus() throws Exception {
        Path jar = TestJars.jobJar(dir, ExitFromOtherThread.class);
        RunnerProcess r = run("other_thread", jar.toString());
        assertEquals(7, r.status(), r.stderr());
        GatewayPage page = new GatewayPage(GATEWAY.get().metricsPage());
        assertEquals(7, page.require("batch_job_exit_code", "other_thread"));
        assertEquals(0, page.require("batch_job_success", "other_thread"));
        assertEquals(1, page.require("batch_job_failure_reason", "other_thread", "reason=\"exit_code\""));
    }

    @Test
    void mainClassOnAClasspathRunsLikeAJar() throws Exception {
        Path jar = TestJars.jar(dir, "classes.jar", null, null, ExitWith.class);
        RunnerProcess r = run("main_class", "--main-class", ExitWith.class.getName(), "--classpath",
                jar.toString(), "4");
        assertEquals(4, r.status(), r.stderr());
        assertEquals(4, new GatewayPage(GATEWAY.get().metricsPage()).require("batch_job_exit_code", "main_class"));
    }

    @Test
    void defaultJobNameIsTheJarsSimpleName() throws Exception {
        Path jar = TestJars.jar(dir, "nightly-etl.jar", ExitWith.class, null, ExitWith.class);
        RunnerProcess r = RunnerProcess.run(dir, Map.of(), "--gateway", GATEWAY.get().baseUri().toString(), "--no-agent",
                "--", jar.toString(), "0");
        assertEquals(0, r.status(), r.stderr());
        assertEquals(1, new GatewayPage(GATEWAY.get().metricsPage()).require("batch_job_success", "nightly-etl"));
    }
}

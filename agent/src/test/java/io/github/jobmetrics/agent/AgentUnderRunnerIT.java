package io.github.jobmetrics.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jobmetrics.agent.jobs.EndingJob;
import io.github.jobmetrics.agent.jobs.EtlJob;
import io.github.jobmetrics.agent.jobs.RegistryOnlyJob;
import io.prometheus.client.Collector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The agent as the runner attaches it to every Java job: no pattern, {@code JOBMETRICS_HANDOFF} set. Real JVMs with
 * the built agent jar; the class-load log shows what ran in the job's JVM.
 */
class AgentUnderRunnerIT {
    private static final String ENDING = EndingJob.class.getName();
    private static final String ETL = EtlJob.class.getName();
    private static final String REGISTRY_ONLY = RegistryOnlyJob.class.getName();

    private static Path endingJar;
    private static Path etlJar;
    private static Path registryOnlyJar;

    @TempDir
    Path tmp;

    @BeforeAll
    static void packJobs() throws Exception {
        assertTrue(Files.isRegularFile(Jvm.AGENT_JAR), "build the agent jar first: " + Jvm.AGENT_JAR);
        Path jars = Files.createTempDirectory("agent-under-runner-it");
        endingJar = JobJars.jar(jars, "ending.jar", Map.of(), EndingJob.class);
        etlJar = JobJars.jar(jars, "etl.jar", Map.of(), EtlJob.class);
        registryOnlyJar = JobJars.jar(jars, "registry-only.jar", Map.of(), RegistryOnlyJob.class);
    }

    private Jvm run(Path handoff, Path classLog, String classPath, String main, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Jvm.JAVA_17, "-Xlog:class+load:file=" + classLog,
                "-agentlib:instrument=" + Jvm.AGENT_JAR.toAbsolutePath(), "-cp", classPath, main));
        cmd.addAll(List.of(args));
        return Jvm.run(tmp, cmd, Map.of("JOBMETRICS_HANDOFF", handoff.toString()));
    }

    @Test
    void withoutPatternsAJobThatNeverJoinsTheRunLoadsNoneOfTheRunsCodeAndHandsOffItsEnding() throws Exception {
        Path handoff = tmp.resolve("handoff.prom");
        Path classLog = tmp.resolve("classes.log");
        Jvm run = run(handoff, classLog, endingJar.toString(), ENDING, "ok");
        assertEquals(0, run.status, run::toString);
        String loaded = Files.readString(classLog);
        for (String cls : List.of("io.github.jobmetrics.config.SettingsLoader ",
                "io.github.jobmetrics.internal.run.RunSession ", "io.prometheus.client.",
                "java.lang.management.ManagementFactory ", "jobmetrics-agent-start")) {
            assertFalse(loaded.contains(cls), cls + " was loaded in a job that never joined the run");
        }
        assertEquals("# TYPE jobmetrics_handoff_ending gauge\njobmetrics_handoff_ending{reason=\"\"} 0\n",
                Files.readString(handoff));
        try (var left = Files.list(tmp)) {
            assertEquals(List.of(), left.filter(p -> p.getFileName().toString().contains(".tmp-")).toList());
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"throw, uncaught_exception, 1", "exit-main 143, exit_code, 143", "exit-thread 3, exit_code, 3"})
    void withoutPatternsTheEndingHandedOffIsTheOneTheJvmSaw(String how, String reason, int status) throws Exception {
        Path handoff = tmp.resolve("handoff.prom");
        Jvm run = run(handoff, tmp.resolve("classes.log"), endingJar.toString(), ENDING, how.split(" "));
        assertEquals(status, run.status, run::toString);
        assertEquals("# TYPE jobmetrics_handoff_ending gauge\njobmetrics_handoff_ending{reason=\"" + reason + "\"} "
                + status + "\n", Files.readString(handoff));
    }

    @Test
    void withoutPatternsTheJobsDefaultRegistryIsStillHandedOff() throws Exception {
        Path handoff = tmp.resolve("handoff.prom");
        Jvm run = run(handoff, tmp.resolve("classes.log"),
                JobJars.classPath(List.of(registryOnlyJar, JobJars.locationOf(Collector.class))), REGISTRY_ONLY);
        assertEquals(0, run.status, run::toString);
        String text = Files.readString(handoff);
        assertTrue(text.contains("registry_only_job_total 7.0"), text);
        assertTrue(text.contains("jobmetrics_handoff_ending{reason=\"\",} 0.0"), text);
    }

    @Test
    void withoutPatternsJobCodeCallingTheApiJoinsTheRunAndItsRecordsAreHandedOff() throws Exception {
        Path handoff = tmp.resolve("handoff.prom");
        Jvm run = run(handoff, tmp.resolve("classes.log"),
                JobJars.classPath(List.of(etlJar, JobJars.locationOf(Collector.class))), ETL);
        assertEquals(0, run.status, run::toString);
        assertTrue(run.out.contains("joined=true"), run::toString);
        String text = Files.readString(handoff);
        assertTrue(text.contains("batch_job_records_total{stage=\"api\",} 2.0"), text);
        assertTrue(text.contains("etl_job_custom_total 42.0"), text);
        assertTrue(text.contains("jobmetrics_handoff_ending{reason=\"\",} 0.0"), text);
    }
}

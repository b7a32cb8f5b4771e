package io.github.jobmetrics.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jobmetrics.cli.jobs.Hello;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner's default path, the agent attached to a Java job without patterns: the job's JVM starts as fast as
 * the agent allows. The JVM's own logs (class-data sharing, class loading) show it, on the job's stdout.
 */
class DefaultPathStartupIT {
    @TempDir Path dir;

    private RunnerProcess run(String... jvmOptions) throws Exception {
        Path jar = TestJars.jobJar(dir, Hello.class);
        List<String> args = new java.util.ArrayList<>(List.of("--spool-dir", dir.resolve("spool").toString()));
        for (String option : jvmOptions) {
            args.add("--jvm-option=" + option);
        }
        args.addAll(List.of("--", jar.toString()));
        try (RunnerProcess r = RunnerProcess.start(dir, Map.of(), args)) {
            r.process().getOutputStream().close();
            r.awaitExit();
            return r;
        }
    }

    @Test
    void theJobsJvmKeepsTheSharedModuleGraphWithTheAgentAttached() throws Exception {
        RunnerProcess r = run("-Xlog:cds=info,class+load=info");
        assertEquals(0, r.status(), r.stderr());
        String out = r.stdout();
        assertTrue(out.contains("io.github.jobmetrics.agent.JobMetricsAgent source:"), "agent not loaded: " + out);
        // -javaagent adds java.instrument to the root modules, which turns the archived module graph off.
        assertTrue(out.contains("full module graph: enabled"), out);
        assertFalse(out.contains("full module graph: disabled"), out);
        assertTrue(out.contains("\nhello\n"), out);
    }

    @Test
    void withTheJobsModulesLimitedTheAgentIsStillAttachedAndTheJobRuns() throws Exception {
        // -agentlib:instrument would end this JVM with a fatal error: java.instrument is not in its boot layer.
        RunnerProcess r = run("--limit-modules=java.base,jdk.unsupported", "-Xlog:class+load=info");
        assertEquals(0, r.status(), r.stderr());
        String out = r.stdout();
        assertTrue(out.contains("io.github.jobmetrics.agent.JobMetricsAgent source:"), "agent not loaded: " + out);
        assertTrue(out.contains("\nhello\n"), out);
    }

    @Test
    void theCodeOfTheRunsEndIsReadyBeforeTheJobEnds() throws Exception {
        Path log = dir.resolve("runner-classes.log");
        try (RunnerProcess r = RunnerProcess.start(List.of("-Xlog:class+load=info:file=" + log), dir, Map.of(),
                List.of("--spool-dir", dir.resolve("spool").toString(), "--", "sh", "-c", "sleep 0.5"))) {
            r.process().getOutputStream().close();
            assertEquals(0, r.awaitExit(), r.stderr());
        }
        String loaded = java.nio.file.Files.readString(log);
        int jobEnded = loaded.indexOf(" io.github.jobmetrics.cli.JobExit ");
        assertTrue(jobEnded > 0, "no JobExit in the class-load log");
        for (String cls : List.of("internal.textformat.TextFormatParser", "internal.push.ExpositionCheck",
                "internal.push.Exposition", "internal.model.RunSummary")) {
            int at = loaded.indexOf(" io.github.jobmetrics." + cls + " ");
            assertTrue(at > 0 && at < jobEnded, cls + " was loaded only after the job ended");
        }
    }
}

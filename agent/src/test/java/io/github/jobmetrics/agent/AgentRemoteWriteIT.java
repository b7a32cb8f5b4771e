package io.github.jobmetrics.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jobmetrics.agent.jobs.EndingJob;
import io.github.jobmetrics.testing.FreePort;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built agent jar and its side jar job-metrics-agent-remote-write.jar (next to it in target/): which classes a
 * run loads with and without {@code remote-write}, seen in the JVM's class-load log. What the writes carry is
 * RemoteWriteEndToEndIT's (sample-jobs), against real receivers.
 */
class AgentRemoteWriteIT {
    private static final String ENDING = EndingJob.class.getName();
    private static final String SIDE_JAR = "job-metrics-agent-remote-write.jar";

    @TempDir
    Path tmp;

    /** Runs EndingJob ok under the agent with {@code settings}; returns the run and its class-load log. */
    private String[] run(String settings, Map<String, String> env) throws Exception {
        Path jar = JobJars.jar(tmp, "ending.jar", Map.of(), EndingJob.class);
        Path classLog = tmp.resolve("classes.log");
        List<String> cmd = new ArrayList<>(Jvm.javaWithAgent(Jvm.JAVA_17, settings, jar.toString(), ENDING, "ok"));
        cmd.add(1, "-Xlog:class+load=info:file=" + classLog);
        Jvm run = Jvm.run(tmp, cmd, env);
        assertEquals(0, run.status, run.toString());
        return new String[] {run.toString(), Files.readString(classLog)};
    }

    @Test
    void withoutRemoteWriteNoClassOfTheSideJarNorOfItsLibrariesIsLoaded() throws Exception {
        String[] run = run("job=rw_off,print=false", Map.of());
        assertTrue(run[0].contains("jobmetrics: job rw_off succeeded"), run[0]);
        assertEquals(List.of(), run[1].lines().filter(l -> l.contains(SIDE_JAR) || l.contains("remotewrite")
                || l.contains("org.xerial") || l.contains("RemoteWriteSideJar")).toList());
    }

    @Test
    void withRemoteWriteTheRunLoadsTheRemoteWriteClassesFromTheSideJarNextToTheAgentAndWrites() throws Exception {
        String url = "http://127.0.0.1:" + FreePort.next() + "/api/v1/write";
        String[] run = run("job=rw_on,print=false,push-at-start=false,push-timeout=1s,push-retries=0,spool-dir="
                + tmp.resolve("spool") + ",remote-write=" + url, Map.of());
        Path side = Jvm.AGENT_JAR.toAbsolutePath().resolveSibling(SIDE_JAR);
        for (String type : List.of("io.github.jobmetrics.internal.push.remotewrite.RemoteWriteSinks",
                "io.github.jobmetrics.internal.shaded.com.google.protobuf.GeneratedMessage", "org.xerial.snappy.Snappy")) {
            assertTrue(run[1].lines().anyMatch(l -> l.contains(" " + type + " source: ") && l.endsWith(side.toString())),
                    type + " from " + side + ":\n" + run[1]);
        }
        // Nothing listens there: the write was tried, and the run is kept for the next one.
        assertTrue(run[0].contains("remote write of ") && run[0].contains(" to " + url + " failed"), run[0]);
    }

    @Test
    void underARunnerTheAgentLeavesRemoteWriteToTheRunnerAndLoadsNoneOfIt() throws Exception {
        Path handoff = tmp.resolve("handoff.prom");
        // A pattern makes the run start in the job's JVM, where remote-write is then also set.
        String[] run = run("job=rw_runner,remote-write=http://127.0.0.1:1/api/v1/write,records=" + ENDING + "#main",
                Map.of("JOBMETRICS_HANDOFF", handoff.toString()));
        assertTrue(Files.isRegularFile(handoff), run[0]);
        assertEquals(List.of(), run[1].lines().filter(l -> l.contains(SIDE_JAR) || l.contains("remotewrite")
                || l.contains("org.xerial")).toList());
        assertTrue(run[0].lines().noneMatch(l -> l.contains("remote-write")), run[0]);
    }
}

package io.github.jobmetrics.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.github.jobmetrics.agent.jobs.EndingJob;
import io.github.jobmetrics.testing.SlowDripServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent's pushes against servers that count or stall them. */
class AgentPushIT {
    private static final String ENDING = EndingJob.class.getName();

    @TempDir
    Path tmp;

    @Test
    void sigtermMidRunGivesOneStartPushAndExactlyOneFinalPush() throws Exception {
        List<String> requests = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + "\n"
                    + new String(body, StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(exchange.getRequestMethod().equals("GET") ? 404 : 202, -1);
            exchange.close();
        });
        server.start();
        try {
            Path jar = JobJars.jar(tmp, "ending.jar", Map.of(), EndingJob.class);
            String gw = "http://127.0.0.1:" + server.getAddress().getPort();
            Jvm.Started started = Jvm.start(tmp, Jvm.javaWithAgent(Jvm.JAVA_17, "gateway=" + gw + ",job=once",
                    jar.toString(), ENDING, "wait"), Map.of());
            started.awaitOutput("ready", Duration.ofSeconds(30));
            started.process.destroy();
            Jvm run = started.await(Duration.ofSeconds(30));
            assertEquals(143, run.status, run::toString);
            List<String> pushes = requests.stream().filter(r -> !r.startsWith("GET")).toList();
            // The start marker, then one final push (a POST: a failed run keeps the group's last success).
            assertEquals(2, pushes.size(), () -> pushes + "\n" + run);
            assertTrue(pushes.get(0).contains("batch_job_running 1"), pushes.get(0));
            assertTrue(pushes.get(1).startsWith("POST /metrics/job/once\n"), pushes.get(1));
            assertTrue(pushes.get(1).contains("batch_job_exit_code 143"), pushes.get(1));
            assertTrue(pushes.get(1).contains("batch_job_running 0"), pushes.get(1));
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aStalledGatewayDoesNotHoldTheJvmPastThePushTimeout() throws Exception {
        try (SlowDripServer slow = SlowDripServer.start(Duration.ofSeconds(4))) {
            Path jar = JobJars.jar(tmp, "ending.jar", Map.of(), EndingJob.class);
            long start = System.nanoTime();
            Jvm run = Jvm.run(tmp, Jvm.javaWithAgent(Jvm.JAVA_17, "gateway=" + slow.uri() + ",job=stalled,"
                    + "push-timeout=1s,push-at-start=false,spool-dir=" + tmp.resolve("spool"), jar.toString(),
                    ENDING, "exit-main", "6"), Map.of());
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertEquals(6, run.status, run::toString);
            // JVM start and stop plus one bounded push: well under the 4 s a single dripped byte takes.
            assertTrue(took.compareTo(Duration.ofSeconds(4)) < 0, "took " + took + "\n" + run);
            assertTrue(run.jobmetricsLines().size() >= 1, run::toString);
        }
    }
}

package io.github.jobmetrics.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jobmetrics.testing.PushgatewayProcess;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The API sample job as a real JVM: exact figures in a real Pushgateway, and a prompt exit when pushing fails. */
class ApiEtlJobIT {
    private static PushgatewayProcess gateway;
    @TempDir Path tmp;

    @BeforeAll
    static void startGateway() throws Exception {
        gateway = PushgatewayProcess.start();
    }

    @AfterAll
    static void stopGateway() {
        gateway.close();
    }

    private record Result(int status, long millis, String err) { }

    private Result run(String gatewayUrl, String job, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", System.getProperty("jobmetricsTest.apiEtlJar")));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Map<String, String> env = pb.environment();
        env.put("JOBMETRICS_GATEWAY", gatewayUrl);
        env.put("JOBMETRICS_JOB", job);
        // 150 ms sleeps against a 100 ms threshold: a fast record (microseconds) would need a stall of 100 ms to
        // cross it, which a shared 2-core CI machine did produce against 10 ms (41 over instead of 40)
        env.put("JOBMETRICS_RECORD_SLO", "100ms,5s");
        env.put("JOBMETRICS_PUSH_TIMEOUT", "2s");
        env.put("JOBMETRICS_SPOOL_DIR", tmp.resolve("spool").toString());
        Path errFile = tmp.resolve(job + ".err");
        pb.redirectError(errFile.toFile());
        long start = System.nanoTime();
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("job did not end within 60 s");
        }
        return new Result(p.exitValue(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start),
                Files.readString(errFile, StandardCharsets.UTF_8));
    }

    private static String value(String page, String seriesPrefix) {
        return page.lines().filter(l -> l.startsWith(seriesPrefix)).map(l -> l.substring(l.lastIndexOf(' ') + 1))
                .findFirst().orElse("<missing " + seriesPrefix + ">");
    }

    @Test
    void seededRunPushesExactlyKnownFigures() throws Exception {
        Result r = run(gateway.baseUri().toString(), "sample_etl", "--rows", "1000", "--slow-ms", "150");
        assertEquals(0, r.status(), r.err());
        String page = gateway.metricsPage();
        String g = "instance=\"\",job=\"sample_etl\"";
        int malformed = SeededRows.malformedCount(1000);
        // slow rows that are also malformed never reach load: every 100th row
        int slowLoaded = SeededRows.slowCount(1000) - 1000 / 100;
        assertEquals("1000", value(page, "batch_job_records_total{" + g + ",stage=\"transform\"}"));
        assertEquals(Integer.toString(malformed),
                value(page, "batch_job_record_errors_total{error=\"NumberFormatException\"," + g + ",stage=\"transform\"}"));
        assertEquals(Integer.toString(1000 - malformed), value(page, "batch_job_records_total{" + g + ",stage=\"load\"}"));
        assertEquals(Integer.toString(slowLoaded),
                value(page, "batch_job_records_over_slo_total{" + g + ",slo=\"0.1\",stage=\"load\"}"));
        assertEquals("0", value(page, "batch_job_records_over_slo_total{" + g + ",slo=\"5\",stage=\"load\"}"));
        assertEquals("1", value(page, "batch_job_success{" + g + "}"));
        assertTrue(page.contains("etl_amount_total{country=\"DE\"," + g + "}"), "the job's own counter is pushed");
    }

    @Test
    void systemExitInsideTheRunIsPushedAsFailedAndKeepsTheExitStatus() throws Exception {
        Result r = run(gateway.baseUri().toString(), "sample_exit", "--rows", "100", "--fail", "system-exit");
        assertEquals(4, r.status(), r.err());
        assertEquals("0", value(gateway.metricsPage(), "batch_job_success{instance=\"\",job=\"sample_exit\"}"));
    }

    @Test
    void gatewayThatNeverAnswersCannotHoldTheJobPastPushTimeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Result r = run("http://127.0.0.1:" + silent.getLocalPort(), "sample_silent", "--rows", "100",
                    "--fail", "exit");
            assertEquals(3, r.status(), r.err());
            assertTrue(r.err().contains("saved to"), r.err());
            // JVM start-up and 100 rows take well under 3 s here; the push may add at most push-timeout (2 s)
            assertTrue(r.millis() < 7_000, "took " + r.millis() + " ms: " + r.err());
            try (Stream<Path> spooled = Files.list(tmp.resolve("spool"))) {
                assertEquals(1, spooled.filter(p -> p.toString().endsWith(".push")).count());
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}

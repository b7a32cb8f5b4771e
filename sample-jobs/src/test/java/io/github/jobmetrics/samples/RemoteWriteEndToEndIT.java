package io.github.jobmetrics.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jobmetrics.testing.GatewaySeries;
import io.github.jobmetrics.testing.PushgatewayProcess;
import io.github.jobmetrics.testing.RuleExpressions;
import io.github.jobmetrics.testing.VictoriaMetricsProcess;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The sample jobs written by remote write, with no Pushgateway, to a real Prometheus 2.42 receiver and a real
 * VictoriaMetrics, each started on a free loopback port: the API job twice (consecutive runs), the plain job
 * through the runner (the agent inside hands its records to the runner, which writes them), and the agent alone
 * (which appends job-metrics-agent-remote-write.jar from next to itself). The PromQL and MetricsQL answers are the
 * exact doubles of the seeded input (error ratio, SLO attainment, counts over 1 h, 1 d and 30 d) and of the runs'
 * own printed sums (mean record duration, added in time order as {@code sum_over_time} adds). Also: the agent
 * alone in a job with its own snappy-java and protobuf-java of other versions, and without its side jar.
 */
class RemoteWriteEndToEndIT {
    private static final int ROWS = 500;
    private static final int MALFORMED = SeededRows.malformedCount(ROWS);
    private static final int LOADED = ROWS - MALFORMED;
    private static final int SLOW_LOADED = SeededRows.slowCount(ROWS) - ROWS / 100;
    private static final String PLAIN = "io.github.jobmetrics.samples.PlainEtlJob";
    private static final String OWN_LIBRARIES = "io.github.jobmetrics.samples.OwnLibrariesJob";
    /** The versions sample-jobs/pom.xml copies to own-libs: older than the agent's snappy-java and protobuf. */
    private static final String OWN_SNAPPY = "snappy-java-1.1.10.5.jar";
    private static final String OWN_PROTOBUF = "protobuf-java-4.35.1.jar";
    private static final int OWN_ROWS = 200;
    private static final Pattern PRINTED = Pattern.compile(
            "^(batch_job_record_duration_seconds_total|batch_job_records_total)\\{[^}]*stage=\"load\"[^}]*\\} (\\S+)$",
            Pattern.MULTILINE);

    /** A receiver under test: how to query it at a time, and its write URL. */
    interface Receiver {
        String scalar(String query, long atMillis) throws Exception;
    }

    private static io.github.jobmetrics.testing.PrometheusProcess prometheus;
    private static VictoriaMetricsProcess vm;
    private static Path tmp;
    private static final Map<String, Receiver> RECEIVERS = new LinkedHashMap<>();
    /** Per receiver and job: the printed load-stage duration sums and record counts of its runs, in run order. */
    private static final Map<String, List<double[]>> PRINTED_RUNS = new LinkedHashMap<>();
    /** Per receiver and job: how many series its runs said they wrote (every run of a job writes the same ones). */
    private static final Map<String, Integer> WRITTEN_SERIES = new LinkedHashMap<>();
    private static final Pattern WROTE = Pattern.compile("; wrote (\\d+) series ");
    /** Per receiver: what the job with its own libraries printed, stdout then stderr, and its class-load log. */
    private static final Map<String, String[]> OWN_LIBRARIES_RUNS = new LinkedHashMap<>();
    private static long queryAt;

    @BeforeAll
    static void runTheJobs() throws Exception {
        tmp = Files.createTempDirectory("rw-e2e");
        prometheus = io.github.jobmetrics.testing.PrometheusProcess.start();
        vm = VictoriaMetricsProcess.start();
        RECEIVERS.put("prometheus", prometheus::scalar);
        RECEIVERS.put("victoria-metrics", (q, at) -> {
            vm.flush();
            return vm.scalar(q, at);
        });
        for (Map.Entry<String, URI> receiver : Map.of("prometheus", prometheus.writeUri(), "victoria-metrics",
                vm.writeUri()).entrySet()) {
            for (int i = 0; i < 2; i++) {
                keep(receiver.getKey(), "rw_api", runApi(receiver.getValue(), "rw_api"));
            }
            keep(receiver.getKey(), "rw_runner", runThroughRunner(receiver.getValue(), "rw_runner"));
            keep(receiver.getKey(), "rw_agent", runAgentAlone(receiver.getValue(), "rw_agent"));
            String[] ownLibraries = runOwnLibraries(receiver.getValue(), "rw_own_libs");
            OWN_LIBRARIES_RUNS.put(receiver.getKey(), ownLibraries);
            keepWritten(receiver.getKey(), "rw_own_libs", ownLibraries[1]);
        }
        queryAt = System.currentTimeMillis() + 1_000;
        awaitEverySeriesWritten();
    }

    @AfterAll
    static void stop() {
        if (prometheus != null) {
            prometheus.close();
        }
        if (vm != null) {
            vm.close();
        }
        if (tmp != null) {
            try (java.util.stream.Stream<Path> files = Files.walk(tmp)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (java.io.IOException ignored) {
                // a temp directory; the OS cleans it
            }
        }
    }

    /** Keeps what the run printed for the load stage: its duration sum and record count. */
    private static void keep(String receiver, String job, String stderr) {
        double[] sumAndCount = new double[2];
        int found = 0;
        Matcher m = PRINTED.matcher(stderr);
        while (m.find()) {
            sumAndCount[m.group(1).startsWith("batch_job_record_duration") ? 0 : 1] = Double.parseDouble(m.group(2));
            found++;
        }
        assertEquals(2, found, job + " printed its load stage once:\n" + stderr);
        assertTrue(stderr.contains("; wrote "), job + " was written:\n" + stderr);
        PRINTED_RUNS.computeIfAbsent(receiver + "/" + job, k -> new ArrayList<>()).add(sumAndCount);
        keepWritten(receiver, job, stderr);
    }

    private static void keepWritten(String receiver, String job, String stderr) {
        Matcher m = WROTE.matcher(stderr);
        assertTrue(m.find(), job + " said how many series it wrote:\n" + stderr);
        WRITTEN_SERIES.merge(receiver + "/" + job, Integer.parseInt(m.group(1)), Math::max);
    }

    /**
     * Waits (at most 20 s) until each receiver finds every series each job wrote: VictoriaMetrics makes a series
     * it has just registered searchable only after a moment, even after a flush.
     */
    private static void awaitEverySeriesWritten() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        for (Map.Entry<String, Integer> written : WRITTEN_SERIES.entrySet()) {
            String[] receiverAndJob = written.getKey().split("/", 2);
            String count = "count(last_over_time({job=\"" + receiverAndJob[1] + "\"}[1d])) or vector(0)";
            double found = query(receiverAndJob[0], count);
            while (found != written.getValue() && System.nanoTime() < deadline) {
                Thread.sleep(100); // polling, bounded by the deadline
                found = query(receiverAndJob[0], count);
            }
            assertEquals((double) written.getValue(), found, written.getKey() + ": series found on the receiver");
        }
    }

    private static String runApi(URI receiver, String job) throws Exception {
        return run(job, List.of("-jar", System.getProperty("jobmetricsTest.apiEtlJar"), "--rows",
                Integer.toString(ROWS), "--slow-ms", "150"), Map.of("JOBMETRICS_REMOTE_WRITE", receiver.toString(),
                "JOBMETRICS_JOB", job, "JOBMETRICS_RECORD_SLO", "100ms,5s", "JOBMETRICS_PRINT", "true",
                "JOBMETRICS_PUSH_AT_START", "false", "JOBMETRICS_SPOOL_DIR", tmp.resolve("spool").toString()));
    }

    private static String runThroughRunner(URI receiver, String job) throws Exception {
        return run(job, List.of("-jar", System.getProperty("jobmetricsTest.runnerJar"),
                "--remote-write", receiver.toString(), "--job", job, "--record-slo", "100ms,5s", "--print",
                "--spool-dir", tmp.resolve("spool").toString(), "--records-stage", "transform=" + PLAIN
                + "#transform", "--records-stage", "load=" + PLAIN + "#load", "--",
                System.getProperty("jobmetricsTest.plainEtlJar"), "--rows", Integer.toString(ROWS), "--slow-ms",
                "150"), Map.of());
    }

    private static String runAgentAlone(URI receiver, String job) throws Exception {
        return runAgentAlone(System.getProperty("jobmetricsTest.agentJar"), "remote-write=" + receiver + ",job=" + job
                + ",print=true");
    }

    /** The plain job under {@code agentJar} alone with {@code settings}, its records as the runner counts them. */
    private static String runAgentAlone(String agentJar, String settings) throws Exception {
        return run("agent-alone", List.of("-javaagent:" + agentJar + "=" + settings + ",record-slo=100ms,5s,spool-dir="
                + tmp.resolve("spool") + ",records.transform=" + PLAIN + "#transform,records.load=" + PLAIN + "#load",
                "-jar", System.getProperty("jobmetricsTest.plainEtlJar"), "--rows", Integer.toString(ROWS),
                "--slow-ms", "150"), Map.of());
    }

    /** The job with its own snappy-java and protobuf on its class path, under the agent alone; out, err, class log. */
    private static String[] runOwnLibraries(URI receiver, String job) throws Exception {
        Path libs = Path.of(System.getProperty("jobmetricsTest.ownLibs"));
        Path classLog = Files.createTempFile(tmp, job, ".classes");
        String[] outAndErr = runCapturing(job, List.of("-Xlog:class+load=info:file=" + classLog,
                "-javaagent:" + System.getProperty("jobmetricsTest.agentJar") + "=remote-write=" + receiver + ",job="
                + job + ",print=true,spool-dir=" + tmp.resolve("spool") + ",records=" + OWN_LIBRARIES + "#record",
                "-cp", String.join(java.io.File.pathSeparator, System.getProperty("jobmetricsTest.testClasses"),
                        libs.resolve(OWN_SNAPPY).toString(), libs.resolve(OWN_PROTOBUF).toString()),
                OWN_LIBRARIES, Integer.toString(OWN_ROWS)), Map.of());
        return new String[] {outAndErr[0], outAndErr[1], Files.readString(classLog, StandardCharsets.UTF_8)};
    }

    /** Runs one JVM to its end (bounded) and returns its stderr; it must exit 0. */
    private static String run(String job, List<String> javaArgs, Map<String, String> env) throws Exception {
        return runCapturing(job, javaArgs, env)[1];
    }

    /** Runs one JVM to its end (bounded) and returns its stdout and stderr; it must exit 0. */
    private static String[] runCapturing(String job, List<String> javaArgs, Map<String, String> env)
            throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(javaArgs);
        Path out = Files.createTempFile(tmp, job, ".out");
        Path err = Files.createTempFile(tmp, job, ".err");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile())
                .redirectError(err.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("JOBMETRICS_"));
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(job + " did not end within 60 s");
        }
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), job + ": " + stderr);
        System.out.println("remote-write evidence: e2e " + job + ": " + stderr.lines()
                .filter(l -> l.startsWith("jobmetrics")).reduce((a, b) -> a + " | " + b).orElse(""));
        return new String[] {Files.readString(out, StandardCharsets.UTF_8), stderr};
    }

    private static String sumOver(String name, String job, String selector, String window) {
        return "sum(sum_over_time(" + name + "{job=\"" + job + "\"," + selector + "}[" + window + "]))";
    }

    private static double query(String receiver, String query) throws Exception {
        return Double.parseDouble(RECEIVERS.get(receiver).scalar(query, queryAt));
    }

    /** The jobs written to each receiver, with their number of runs. */
    private static Map<String, Integer> runsByJob() {
        return Map.of("rw_api", 2, "rw_runner", 1, "rw_agent", 1);
    }

    @Test
    void recordAndErrorCountsOverAnHourADayAndThirtyDaysAreExactlyTheSeededOnesOnBothReceivers() throws Exception {
        for (String receiver : RECEIVERS.keySet()) {
            for (Map.Entry<String, Integer> job : runsByJob().entrySet()) {
                for (String window : List.of("1h", "1d", "30d")) {
                    String what = receiver + " " + job.getKey() + " " + window;
                    assertEquals((double) ROWS * job.getValue(), query(receiver, sumOver("batch_job_records_total",
                            job.getKey(), "stage=\"transform\"", window)), what);
                    assertEquals((double) MALFORMED * job.getValue(), query(receiver, sumOver(
                            "batch_job_record_errors_total", job.getKey(), "stage=\"transform\"", window)), what);
                    assertEquals((double) LOADED * job.getValue(), query(receiver, sumOver("batch_job_records_total",
                            job.getKey(), "stage=\"load\"", window)), what);
                }
            }
        }
    }

    @Test
    void errorRatioIsExactlyTheSeededShareOfMalformedRowsOnBothReceivers() throws Exception {
        double seeded = (double) MALFORMED / ROWS;
        for (String receiver : RECEIVERS.keySet()) {
            for (String job : runsByJob().keySet()) {
                assertEquals(seeded, query(receiver, sumOver("batch_job_record_errors_total", job,
                        "stage=\"transform\"", "1d") + " / " + sumOver("batch_job_records_total", job,
                        "stage=\"transform\"", "1d")), receiver + " " + job);
            }
        }
    }

    @Test
    void sloAttainmentIsExactlyTheSeededShareOfFastRowsOnBothReceivers() throws Exception {
        double seeded = 1 - (double) SLOW_LOADED / LOADED;
        for (String receiver : RECEIVERS.keySet()) {
            for (String job : runsByJob().keySet()) {
                assertEquals(seeded, query(receiver, "1 - " + sumOver("batch_job_records_over_slo_total", job,
                        "stage=\"load\",slo=\"0.1\"", "30d") + " / " + sumOver("batch_job_records_total", job,
                        "stage=\"load\"", "30d")), receiver + " " + job);
                assertEquals(1.0, query(receiver, "1 - " + sumOver("batch_job_records_over_slo_total", job,
                        "stage=\"load\",slo=\"5\"", "30d") + " / " + sumOver("batch_job_records_total", job,
                        "stage=\"load\"", "30d")), receiver + " " + job);
            }
        }
    }

    @Test
    void meanRecordDurationIsExactlyTheRunsPrintedSumsOverTheirCountsAddedInTimeOrder() throws Exception {
        for (String receiver : RECEIVERS.keySet()) {
            for (String job : runsByJob().keySet()) {
                double sum = 0;
                double count = 0;
                for (double[] run : PRINTED_RUNS.get(receiver + "/" + job)) {
                    sum += run[0];
                    count += run[1];
                }
                String selector = "{job=\"" + job + "\",stage=\"load\"}";
                assertEquals(sum / count, query(receiver, "sum_over_time(batch_job_record_duration_seconds_total"
                        + selector + "[1d]) / sum_over_time(batch_job_records_total" + selector + "[1d])"),
                        receiver + " " + job);
                // 20 of 490 rows slept 150 ms: the mean cannot be below that share
                assertTrue(sum / count >= SLOW_LOADED * 0.150 / LOADED, "mean " + sum / count);
            }
        }
    }

    /** One series of a recording rule of docs/prometheus/rules-remote-write.yml, evaluated as the docs ship it. */
    private static double rule(String receiver, String record, String seriesOfIt) throws Exception {
        String expr = RuleExpressions.of(PrometheusRulesIT.RULES_DIR.resolve("rules-remote-write.yml"), record);
        return query(receiver, "sum((" + expr + ") and on (job, stage" + (seriesOfIt.contains("slo=") ? ", slo" : "")
                + ") last_over_time(" + seriesOfIt + "[1d]))");
    }

    @Test
    void theRemoteWriteRecordingRulesGiveTheSeededFiguresOnBothReceivers() throws Exception {
        for (String receiver : RECEIVERS.keySet()) {
            for (String job : runsByJob().keySet()) {
                String what = receiver + " " + job;
                String transform = "batch_job_records_total{job=\"" + job + "\",stage=\"transform\"}";
                String load = "batch_job_records_total{job=\"" + job + "\",stage=\"load\"}";
                assertEquals((double) MALFORMED * runsByJob().get(job) / (ROWS * runsByJob().get(job)),
                        rule(receiver, "job_stage:batch_job_record_errors:ratio1h", transform), what);
                assertEquals(0.0, rule(receiver, "job_stage:batch_job_record_errors:ratio1h", load), what);
                for (String window : List.of("1d", "30d")) {
                    assertEquals(1 - (double) SLOW_LOADED * runsByJob().get(job) / (LOADED * runsByJob().get(job)),
                            rule(receiver, "job_stage_slo:batch_job_records_within_slo:ratio" + window,
                                    "batch_job_records_over_slo_total{job=\"" + job + "\",stage=\"load\",slo=\"0.1\"}"),
                            what + " " + window);
                }
                double sum = 0;
                double count = 0;
                for (double[] run : PRINTED_RUNS.get(receiver + "/" + job)) {
                    sum += run[0];
                    count += run[1];
                }
                assertEquals(sum / count, rule(receiver, "job_stage:batch_job_record_duration_seconds:mean1h", load),
                        what);
            }
        }
    }

    @Test
    void theRunnersRunCarriesTheRunnerModeAndTheApiRunsTheApiMode() throws Exception {
        for (String receiver : RECEIVERS.keySet()) {
            assertEquals(1.0, query(receiver, "count(last_over_time(batch_job_info{job=\"rw_runner\","
                    + "mode=\"runner\"}[1d]))"), receiver);
            assertEquals(1.0, query(receiver, "count(last_over_time(batch_job_info{job=\"rw_api\","
                    + "mode=\"api\"}[1d]))"), receiver);
            assertEquals(1.0, query(receiver, "count(last_over_time(batch_job_info{job=\"rw_agent\","
                    + "mode=\"agent\"}[1d]))"), receiver);
        }
    }

    @Test
    void aJobWithItsOwnOlderSnappyAndProtobufKeepsThemAndTheAgentAloneStillWritesItsRunToBothReceivers()
            throws Exception {
        for (Map.Entry<String, String[]> run : OWN_LIBRARIES_RUNS.entrySet()) {
            String receiver = run.getKey();
            String out = run.getValue()[0];
            String err = run.getValue()[1];
            String classes = run.getValue()[2];
            assertTrue(out.lines().anyMatch(l -> l.startsWith("snappy from ") && l.endsWith(OWN_SNAPPY)),
                    receiver + ": the job uses its own snappy-java:\n" + out);
            assertTrue(out.lines().anyMatch(l -> l.startsWith("protobuf from ") && l.endsWith(OWN_PROTOBUF)),
                    receiver + ": the job uses its own protobuf:\n" + out);
            // One Snappy in the JVM, the job's, which the agent's remote write compresses with too.
            List<String> snappyLoads = classes.lines().filter(l -> l.contains(" org.xerial.snappy.Snappy source:"))
                    .toList();
            assertEquals(1, snappyLoads.size(), classes);
            assertTrue(snappyLoads.get(0).endsWith(OWN_SNAPPY), snappyLoads.get(0));
            // The job's protobuf 4.35.1 would refuse our messages generated for 4.36.2: ours is the relocated one.
            assertTrue(classes.lines().anyMatch(l -> l.contains(" com.google.protobuf.GeneratedMessage source:")
                    && l.endsWith(OWN_PROTOBUF)), classes);
            assertTrue(classes.lines().anyMatch(l -> l.contains(
                    " io.github.jobmetrics.internal.shaded.com.google.protobuf.GeneratedMessage source:")
                    && l.endsWith("job-metrics-agent-remote-write.jar")), classes);
            assertTrue(err.contains("; wrote "), receiver + ": " + err);
            assertEquals((double) OWN_ROWS, query(receiver, "sum(sum_over_time(batch_job_records_total"
                    + "{job=\"rw_own_libs\"}[1d]))"), receiver);
        }
    }

    @Test
    void theAgentAloneWithoutItsSideJarNamesTheMissingFileInOneLineAndStillPushesTheRunToTheGateway()
            throws Exception {
        Path alone = Files.createDirectories(tmp.resolve("agent-alone"));
        Path agentJar = Files.copy(Path.of(System.getProperty("jobmetricsTest.agentJar")),
                alone.resolve("job-metrics-agent.jar"), StandardCopyOption.REPLACE_EXISTING);
        try (PushgatewayProcess gateway = PushgatewayProcess.start()) {
            String err = runAgentAlone(agentJar.toString(), "gateway=" + gateway.baseUri() + ",remote-write="
                    + prometheus.writeUri() + ",job=rw_agent_no_side_jar");
            String missing = alone.resolve("job-metrics-agent-remote-write.jar") + " is missing";
            assertEquals(1, err.lines().filter(l -> l.startsWith("jobmetrics agent: remote-write is set but "
                    + missing + "; put the job-metrics-agent-remote-write.jar built with this agent next to the"
                    + " agent jar")).count(), err);
            assertTrue(err.lines().anyMatch(l -> l.startsWith("jobmetrics: job rw_agent_no_side_jar succeeded")),
                    err);
            GatewaySeries page = new GatewaySeries(gateway.metricsPage());
            assertEquals((double) LOADED, page.value("batch_job_records_total", Map.of("instance", "", "job",
                    "rw_agent_no_side_jar", "stage", "load")), page.toString());
            assertEquals((double) MALFORMED, page.value("batch_job_record_errors_total", Map.of("instance", "",
                    "job", "rw_agent_no_side_jar", "stage", "transform", "error", "NumberFormatException")),
                    page.toString());
        }
        // Queried now: this run came after the others' query time.
        assertEquals("0", RECEIVERS.get("prometheus").scalar("count(batch_job_info{job=\"rw_agent_no_side_jar\"})"
                + " or vector(0)", System.currentTimeMillis() + 1_000));
    }
}

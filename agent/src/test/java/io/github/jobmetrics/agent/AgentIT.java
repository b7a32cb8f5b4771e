package io.github.jobmetrics.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jobmetrics.agent.jobs.BundlingJob;
import io.github.jobmetrics.agent.jobs.EndingJob;
import io.github.jobmetrics.agent.jobs.EtlJob;
import io.github.jobmetrics.agent.jobs.PreloadingAgent;
import io.github.jobmetrics.agent.jobs.ShapesJob;
import io.github.jobmetrics.testing.PushgatewayProcess;
import io.prometheus.client.Collector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import net.bytebuddy.ByteBuddy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Real JVMs with the built agent jar, pushing to a real Pushgateway. */
class AgentIT {
    private static final String ETL = EtlJob.class.getName();
    private static final String ENDING = EndingJob.class.getName();
    private static final String SHAPES = ShapesJob.class.getName();
    private static final AtomicInteger JOBS = new AtomicInteger();

    private static PushgatewayProcess gateway;
    private static Path jars;
    private static Path etlJar;
    private static Path endingJar;
    private static Path shapesJar;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startGatewayAndPackJobs() throws Exception {
        assertTrue(Files.isRegularFile(Jvm.AGENT_JAR), "build the agent jar first: " + Jvm.AGENT_JAR);
        gateway = PushgatewayProcess.start();
        jars = Files.createTempDirectory("agent-it-jobs");
        etlJar = JobJars.jar(jars, "etl.jar", Map.of(), EtlJob.class);
        endingJar = JobJars.jar(jars, "ending.jar", Map.of(), EndingJob.class);
        shapesJar = JobJars.jar(jars, "shapes.jar", Map.of(), ShapesJob.class);
    }

    @AfterAll
    static void stopGateway() {
        if (gateway != null) {
            gateway.close();
        }
    }

    /** Job jar plus the simpleclient jar the job's own code uses (the agent brings the rest). */
    private static String etlClassPath() {
        return JobJars.classPath(List.of(etlJar, JobJars.locationOf(Collector.class)));
    }

    private static String settings(String job, String more) {
        return "gateway=" + gateway.baseUri() + ",job=" + job + ",push-timeout=5s" + (more.isEmpty() ? "" : "," + more);
    }

    private static String newJob(String what) {
        return what + "_" + JOBS.incrementAndGet();
    }

    private static GatewayPage page() throws Exception {
        return new GatewayPage(gateway.metricsPage());
    }

    @ParameterizedTest(name = "on {0}")
    @MethodSource("io.github.jobmetrics.agent.Jvm#versions")
    void countsRecordsErrorsAndSloMissesExactlyForStaticInstanceAndOverloadedMethods(String version)
            throws Exception {
        String java = Jvm.java(version);
        String job = newJob("etl" + version);
        String patterns = "record-slo=100ms,10s,records=" + ETL + "#processRow,records.parse=" + ETL
                + "$Parser#parse,input=" + ETL + "#read,output=" + ETL + "#write";
        Jvm run = Jvm.run(tmp, Jvm.javaWithAgent(java, settings(job, patterns), etlClassPath(), ETL), Map.of());

        assertEquals(0, run.status, run::toString);
        assertTrue(run.out.contains("joined=true") && run.out.contains("etl done"), run::toString);
        assertEquals(1, run.jobmetricsLines().size(), run::toString);
        GatewayPage p = page();
        assertEquals(13, p.get("batch_job_records_total", "job", job, "stage", "main"), p::toString);
        assertEquals(2, p.get("batch_job_record_errors_total", "job", job, "stage", "main", "error",
                "IllegalStateException"));
        assertEquals(1, p.get("batch_job_record_errors_total", "job", job, "stage", "main", "error",
                "IllegalArgumentException"));
        assertEquals(2, p.get("batch_job_records_over_slo_total", "job", job, "stage", "main", "slo", "0.1"));
        assertEquals(0, p.get("batch_job_records_over_slo_total", "job", job, "stage", "main", "slo", "10"));
        assertEquals(5, p.get("batch_job_records_total", "job", job, "stage", "parse"));
        assertEquals(1, p.get("batch_job_records_over_slo_total", "job", job, "stage", "parse", "slo", "0.1"));
        assertEquals(4, p.get("batch_job_input_records_total", "job", job, "stage", "main"));
        assertEquals(6, p.get("batch_job_output_records_total", "job", job, "stage", "main"));
        assertTrue(p.get("batch_job_record_duration_seconds_total", "job", job, "stage", "main") >= 0.3);
        // Job code joined the agent's run through the API, and its own collector went out with the run.
        assertEquals(2, p.get("batch_job_records_total", "job", job, "stage", "api"));
        assertEquals(42, p.get("etl_job_custom_total", "job", job));
        assertEquals(1, p.get("batch_job_success", "job", job));
        assertEquals(0, p.get("batch_job_exit_code", "job", job));
        assertEquals(1, p.get("batch_job_info", "job", job, "mode", "agent"));
    }

    @ParameterizedTest(name = "on {0}")
    @MethodSource("io.github.jobmetrics.agent.Jvm#versions")
    void systemExitInMainIsAFailureWithItsStatus(String version) throws Exception {
        String java = Jvm.java(version);
        String job = newJob("exit_main" + version);
        Jvm run = Jvm.run(tmp, Jvm.javaWithAgent(java, settings(job, ""), endingJar.toString(), ENDING,
                "exit-main", "7"), Map.of());
        assertEquals(7, run.status, run::toString);
        GatewayPage p = page();
        assertEquals(7, p.get("batch_job_exit_code", "job", job), p::toString);
        assertEquals(0, p.get("batch_job_success", "job", job));
        assertEquals(1, p.get("batch_job_failure_reason", "job", job, "reason", "exit_code"));
    }

    @Test
    void aModularJobWithoutJdkUnsupportedIsStillMeasuredAndOneLineSaysSignalsAreNotSeen() throws Exception {
        // java -m resolves only what the main module requires: no jdk.unsupported, so no sun.misc.Signal.
        Path src = Files.createDirectories(tmp.resolve("src/modjob/modjob"));
        Files.writeString(src.getParent().resolve("module-info.java"), "module modjob { }\n");
        Files.writeString(src.resolve("Main.java"), "package modjob;\npublic class Main {\n"
                + "    public static void main(String[] a) { System.exit(3); }\n}\n");
        Path mods = tmp.resolve("mods/modjob");
        int compiled = javax.tools.ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", mods.toString(),
                src.getParent().resolve("module-info.java").toString(), src.resolve("Main.java").toString());
        assertEquals(0, compiled, "the module compiles");
        String job = newJob("modular");
        Jvm run = Jvm.run(tmp, List.of(Jvm.JAVA_17, "-javaagent:" + Jvm.AGENT_JAR + "=" + settings(job, ""),
                "-p", tmp.resolve("mods").toString(), "-m", "modjob/modjob.Main"), Map.of());
        assertEquals(3, run.status, run::toString);
        assertTrue(run.jobmetricsLines().stream().anyMatch(l -> l.startsWith("jobmetrics agent: signals are not seen:")
                && l.contains("--add-modules jdk.unsupported")), run::toString);
        GatewayPage p = page();
        assertEquals(3, p.get("batch_job_exit_code", "job", job), p::toString);
        assertEquals(1, p.get("batch_job_failure_reason", "job", job, "reason", "exit_code"));
    }

    @Test
    void aNegativeSystemExitIsPushedAsTheStatusTheShellSees() throws Exception {
        String job = newJob("exit_negative");
        Jvm run = Jvm.run(tmp, Jvm.javaWithAgent(Jvm.JAVA_17, settings(job, ""), endingJar.toString(), ENDING,
                "exit-main", "-2"), Map.of());
        assertEquals(254, run.status, run::toString);
        GatewayPage p = page();
        assertEquals(254, p.get("batch_job_exit_code", "job", job), p::toString);
        assertEquals(1, p.get("batch_job_failure_reason", "job", job, "reason", "exit_code"));
    }

    @Test
    void systemExitInAnotherThreadIsAFailureWithItsStatus() throws Exception {
        String job = newJob("exit_thread");
        Jvm run = Jvm.run(tmp, Jvm.javaWithAgent(Jvm.JAVA_17, settings(job, ""), endingJar.toString(), ENDING,
                "exit-thread", "3"), Map.of());
        assertEquals(3, run.status, run::toString);
        GatewayPage p = page();
        assertEquals(3, p.get("batch_job_exit_code", "job", job), p::toString);
        assertEquals(1, p.get("batch_job_failure_reason", "job", job, "reason", "exit_code"));
    }

    @Test
    void systemExitZeroIsASuccess() throws Exception {
        String job = newJob("exit_zero");
        Jvm run = Jvm.run(tmp, Jvm.javaWithAgent(Jvm.JAVA_17, settings(job, ""), endingJar.toString(), ENDING,
                "exit-main", "0"), Map.of());
        assertEquals(0, run.status, run::toString);
        GatewayPage p = page();
        assertEquals(1, p.get("batch_job_success", "job", job), p::toString);
        assertEquals(0, p.get("batch_job_exit_code", "job", job));
    }

    @Test
    void uncaughtExceptionInMainIsAFailureAndTheJdkMessageStays() throws Exception {
        String job = newJob("uncaught");
        Jvm run = Jvm.run(tmp, Jvm.javaWithAgent(Jvm.JAVA_17, settings(job, ""), endingJar.toString(), ENDING,
                "throw"), Map.of());
        assertEquals(1, run.status, run::toString);
        assertTrue(run.err.contains("Exception in thread \"main\" java.lang.IllegalStateException: main fails"),
                run::toString);
        GatewayPage p = page();
        assertEquals(1, p.get("batch_job_failure_reason", "job", job, "reason", "uncaught_exception"), p::toString);
        assertEquals(1, p.get("batch_job_exit_code", "job", job));
    }

    @Test
    void exceptionInAnotherThreadDoesNotFailTheRun() throws Exception {
        String job = newJob("worker_throws");
        Jvm run = Jvm.run(tmp, Jvm.javaWithAgent(Jvm.JAVA_17, settings(job, ""), endingJar.toString(), ENDING,
                "thread-throw"), Map.of());
        assertEquals(0, run.status, run::toString);
        assertTrue(run.err.contains("Exception in thread \"worker\""), run::toString);
        GatewayPage p = page();
        assertEquals(1, p.get("batch_job_success", "job", job), p::toString);
    }

    @ParameterizedTest(name = "on {0}")
    @MethodSource("io.github.jobmetrics.agent.Jvm#versions")
    void sigtermIsAFailureWith143AndTheJvmStillExits143(String version) throws Exception {
        String java = Jvm.java(version);
        String job = newJob("sigterm" + version);
        Jvm.Started started = Jvm.start(tmp, Jvm.javaWithAgent(java, settings(job, ""),
                endingJar.toString(), ENDING, "wait"), Map.of());
        started.awaitOutput("ready", Duration.ofSeconds(30));
        started.process.destroy(); // SIGTERM
        Jvm run = started.await(Duration.ofSeconds(30));
        assertEquals(143, run.status, run::toString);
        GatewayPage p = page();
        assertEquals(143, p.get("batch_job_exit_code", "job", job), p::toString);
        assertEquals(1, p.get("batch_job_failure_reason", "job", job, "reason", "signal"));
    }

    @Test
    void agentGivenTwiceMakesOneRun() throws Exception {
        String job = newJob("twice");
        Jvm run = Jvm.run(tmp, List.of(Jvm.JAVA_17, "-javaagent:" + Jvm.AGENT_JAR + "=" + settings(job, ""),
                "-cp", endingJar.toString(), ENDING, "exit-main", "2"),
                Map.of("JAVA_TOOL_OPTIONS", "-javaagent:" + Jvm.AGENT_JAR + "=" + settings(job, "")));
        assertEquals(2, run.status, run::toString);
        assertTrue(run.err.contains("loaded twice"), run::toString);
        assertEquals(2, page().get("batch_job_exit_code", "job", job));
    }

    @Test
    void agentFromJavaToolOptionsMeasuresTheRun() throws Exception {
        String job = newJob("tool_options");
        Jvm run = Jvm.run(tmp, List.of(Jvm.JAVA_17, "-cp", endingJar.toString(), ENDING, "exit-main", "4"),
                Map.of("JAVA_TOOL_OPTIONS", "-javaagent:" + Jvm.AGENT_JAR + "=" + settings(job, "")));
        assertEquals(4, run.status, run::toString);
        assertTrue(run.err.contains("Picked up JAVA_TOOL_OPTIONS"), run::toString);
        assertEquals(4, page().get("batch_job_exit_code", "job", job));
    }

    /** The JVM's output without its "Picked up JAVA_TOOL_OPTIONS" line. */
    private static String withoutToolOptionsBanner(Jvm run) {
        return run.out + run.err.lines().filter(l -> !l.startsWith("Picked up JAVA_TOOL_OPTIONS"))
                .map(l -> l + "\n").reduce("", String::concat);
    }

    private static Map<String, String> toolOptions(String agentArgument) {
        return Map.of("JAVA_TOOL_OPTIONS", "-javaagent:" + Jvm.AGENT_JAR + "=" + agentArgument);
    }

    @ParameterizedTest(name = "with {0}")
    @ValueSource(strings = {"a gateway", "no gateway"})
    void javaVersionWithTheAgentInJavaToolOptionsSaysAndPushesNothing(String gatewayOrNot) throws Exception {
        String job = newJob("java_version");
        String argument = gatewayOrNot.equals("a gateway") ? settings(job, "") : "job=" + job;
        List<String> cmd = List.of(Jvm.JAVA_17, "-version");
        Jvm plain = Jvm.run(tmp, cmd, Map.of());
        Jvm run = Jvm.run(tmp, cmd, toolOptions(argument));
        assertEquals(0, run.status, run::toString);
        assertTrue(run.err.contains("Picked up JAVA_TOOL_OPTIONS"), run::toString);
        assertEquals(plain.out + plain.err, withoutToolOptionsBanner(run));
        assertFalse(gateway.metricsPage().contains("job=\"" + job + "\""), "java -version pushed a run");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"jps", "javac -version", "keytool -help", "jcmd -l"})
    void jdkToolsWithTheAgentInJavaToolOptionsRunAsWithoutItAndPushNothing(String tool) throws Exception {
        String job = newJob("jdk_tool");
        List<String> cmd = new java.util.ArrayList<>(List.of(tool.split(" ")));
        cmd.set(0, Path.of(Jvm.JAVA_17).resolveSibling(cmd.get(0)).toString());
        Jvm run = Jvm.run(tmp, cmd, toolOptions(settings(job, "")));
        assertEquals(0, run.status, run::toString);
        assertTrue(run.err.contains("Picked up JAVA_TOOL_OPTIONS"), run::toString);
        // Only stderr: the agent writes nothing else, and jps or jcmd -l list other JVMs (this build's) on stdout.
        assertEquals(List.of(), run.err.lines().filter(l -> !l.startsWith("Picked up JAVA_TOOL_OPTIONS"))
                .filter(l -> l.contains("jobmetrics") || l.contains("batch_job") || l.contains("cannot start"))
                .toList(), run::toString);
        assertFalse(gateway.metricsPage().contains("job=\"" + job + "\""), tool + " pushed a run");
    }

    @Test
    void aSingleFileSourceProgramIsAJobAndIsMeasured() throws Exception {
        Path source = Files.writeString(tmp.resolve("Nightly.java"),
                "class Nightly { public static void main(String[] a) { System.exit(6); } }\n");
        Jvm run = Jvm.run(tmp, List.of(Jvm.JAVA_17, source.toString()),
                toolOptions("gateway=" + gateway.baseUri() + ",push-timeout=5s"));
        assertEquals(6, run.status, run::toString);
        assertEquals(6, page().get("batch_job_exit_code", "job", "Nightly"), run::toString);
    }

    @Test
    void jobMainLetsOnlyTheNamedJvmOwnTheRun() throws Exception {
        String job = newJob("job_main");
        Map<String, String> options = toolOptions(settings(job, "job-main=ending.jar"));
        Path jar = JobJars.jar(tmp, "ending.jar", Map.of("Main-Class", ENDING), EndingJob.class);
        Jvm theJob = Jvm.run(tmp, List.of(Jvm.JAVA_17, "-jar", jar.toString(), "exit-main", "5"), options);
        assertEquals(5, theJob.status, theJob::toString);
        assertEquals(5, page().get("batch_job_exit_code", "job", job), theJob::toString);

        // Another application JVM in the same container, started after the job: it runs unmeasured and silent.
        Path otherJar = JobJars.jar(tmp, "other.jar", Map.of("Main-Class", ENDING), EndingJob.class);
        Jvm other = Jvm.run(tmp, List.of(Jvm.JAVA_17, "-jar", otherJar.toString(), "ok"), options);
        assertEquals(0, other.status, other::toString);
        assertEquals("ok", other.out.strip(), other::toString);
        assertFalse(withoutToolOptionsBanner(other).contains("jobmetrics"), other::toString);
        GatewayPage p = page();
        assertEquals(5, p.get("batch_job_exit_code", "job", job), p::toString);
        assertEquals(0, p.get("batch_job_success", "job", job), p::toString);
    }

    @Test
    void jobBundlingItsOwnByteBuddyAndSimpleclientRunsAndIsMeasured() throws Exception {
        String job = newJob("bundling");
        Path jar = JobJars.jar(tmp, "bundling.jar", Map.of(), BundlingJob.class);
        String cp = JobJars.classPath(List.of(jar, JobJars.locationOf(ByteBuddy.class),
                JobJars.locationOf(Collector.class)));
        Jvm run = Jvm.run(tmp, Jvm.javaWithAgent(Jvm.JAVA_17, settings(job, "records=" + BundlingJob.class.getName()
                + "#step"), cp, BundlingJob.class.getName()), Map.of());
        assertEquals(0, run.status, run::toString);
        assertTrue(run.out.contains("made by the job") && run.out.contains("bundled done"), run::toString);
        GatewayPage p = page();
        assertEquals(3, p.get("batch_job_records_total", "job", job, "stage", "main"), p::toString);
        assertEquals(7, p.get("bundling_job_items", "job", job));
    }

    @Test
    void badArgumentPrintsOneLineAndTheJobRunsUnmeasured() throws Exception {
        Jvm run = Jvm.run(tmp, Jvm.javaWithAgent(Jvm.JAVA_17, "gateway=" + gateway.baseUri() + ",push-timeuot=5s",
                endingJar.toString(), ENDING, "ok"), Map.of());
        assertEquals(0, run.status, run::toString);
        assertEquals("ok", run.out.strip());
        assertEquals(1, run.jobmetricsLines().size(), run::toString);
        assertTrue(run.err.contains("push-timeuot") && run.err.contains("not measured"), run::toString);
        assertEquals(1, run.err.lines().count(), run::toString);
    }

    @Test
    void aSecretGivenAsAnAgentArgumentIsRefusedWithoutShowingIt() throws Exception {
        Jvm run = Jvm.run(tmp, Jvm.javaWithAgent(Jvm.JAVA_17, "gateway=" + gateway.baseUri()
                + ",bearer-token=s3cr3t-t0ken", endingJar.toString(), ENDING, "ok"), Map.of());
        assertEquals(0, run.status, run::toString);
        assertEquals("ok", run.out.strip());
        assertEquals(1, run.err.lines().count(), run::toString);
        assertTrue(run.err.contains("bearer-token") && !run.err.contains("s3cr3t-t0ken"), run::toString);
    }

    @Test
    void strictMakesABadArgumentFatal() throws Exception {
        Jvm run = Jvm.run(tmp, Jvm.javaWithAgent(Jvm.JAVA_17, "strict=true,push-timeuot=5s", endingJar.toString(),
                ENDING, "ok"), Map.of());
        assertNotEquals(0, run.status, run::toString);
        assertFalse(run.out.contains("ok"), run::toString);
    }

    @ParameterizedTest(name = "on {0}")
    @MethodSource("io.github.jobmetrics.agent.Jvm#versions")
    void strictWithABadSettingEndsTheJvmWithOneLineAndStatus78NotAnAssertionDump(String version) throws Exception {
        Jvm run = Jvm.run(tmp, Jvm.javaWithAgent(Jvm.java(version), "strict=true,record-slo=fast",
                endingJar.toString(), ENDING, "ok"), Map.of());
        assertEquals(JobMetricsAgent.CONFIG_STATUS, run.status, run::toString);
        assertFalse(run.out.contains("ok"), run::toString);
        assertEquals(List.of("jobmetrics agent (strict=true): record-slo: \"fast\" (agent argument record-slo) is not a"
                + " duration; use 250ms, 10s, 5m, 2h, 1d or ISO-8601 such as PT10S; the JVM ends with status 78"),
                run.err.lines().filter(l -> !l.isBlank()).toList(), run::toString);
    }

    @Test
    void strictMakesAPatternThatMatchesNothingAFailureWithReasonConfig() throws Exception {
        String job = newJob("strictunmatched");
        Jvm run = Jvm.run(tmp, Jvm.javaWithAgent(Jvm.JAVA_17, settings(job, "strict=true,records=" + SHAPES
                + "$Step#apply;" + SHAPES + "$Step#aply"), shapesJar.toString(), SHAPES), Map.of());
        assertEquals(0, run.status, run::toString);
        assertTrue(run.err.contains(SHAPES + "$Step#aply (class has no such method: none in ")
                && run.err.contains("; strict=true: the run is a failure (reason config)"), run::toString);
        GatewayPage p = page();
        assertEquals(0, p.get("batch_job_success", "job", job), p::toString);
        assertEquals(1, p.get("batch_job_failure_reason", "job", job, "reason", "config"), p::toString);
        assertEquals(6, p.get("batch_job_records_total", "job", job, "stage", "main"), p::toString);
    }

    @Test
    void recordSloWithASemicolonIsMeasuredWithBothThresholds() throws Exception {
        String job = newJob("slosemicolon");
        Jvm run = Jvm.run(tmp, Jvm.javaWithAgent(Jvm.JAVA_17, settings(job, "record-slo=100ms;10s,records=" + ETL
                + "#processRow"), etlClassPath(), ETL), Map.of());
        assertEquals(0, run.status, run::toString);
        GatewayPage p = page();
        assertEquals(2, p.get("batch_job_records_over_slo_total", "job", job, "stage", "main", "slo", "0.1"));
        assertEquals(0, p.get("batch_job_records_over_slo_total", "job", job, "stage", "main", "slo", "10"));
    }

    @Test
    void underTheRunnerTheHandoffFileIsWrittenAndNothingIsPushed() throws Exception {
        String job = newJob("handoff");
        Path textfile = tmp.resolve("metrics.prom");
        Jvm run = Jvm.run(tmp, Jvm.javaWithAgent(Jvm.JAVA_17, settings(job, "records=" + ETL + "#processRow"),
                etlClassPath(), ETL), Map.of("JOBMETRICS_HANDOFF", textfile.toString()));
        assertEquals(0, run.status, run::toString);
        String text = Files.readString(textfile);
        assertTrue(text.contains("batch_job_records_total{stage=\"main\",} 13.0"), text);
        assertTrue(text.contains("etl_job_custom_total 42.0"), text);
        assertFalse(gateway.metricsPage().contains("job=\"" + job + "\""), "pushed although handed off");
    }

    @Test
    void patternThatMatchesNothingIsReportedInOneLine() throws Exception {
        String job = newJob("unmatched");
        Jvm run = Jvm.run(tmp, Jvm.javaWithAgent(Jvm.JAVA_17, settings(job, "records=" + ENDING + "#nothing;"
                + "com.acme.Missing#run"), endingJar.toString(), ENDING, "ok"), Map.of());
        assertEquals(0, run.status, run::toString);
        List<String> lines = run.jobmetricsLines().stream().filter(l -> l.contains("matched nothing")).toList();
        assertEquals(1, lines.size(), run::toString);
        assertTrue(lines.get(0).contains(ENDING + "#nothing (class has no such method: none in " + ENDING + ")")
                && lines.get(0).contains("com.acme.Missing#run (class never loaded, nor any class extending or"
                + " implementing it)"), lines.get(0));
    }

    @ParameterizedTest(name = "on {0}")
    @MethodSource("io.github.jobmetrics.agent.Jvm#versions")
    void aPatternByInterfaceAbstractClassOrJdkInterfaceCountsEveryImplementationOncePerOutermostCall(
            String version) throws Exception {
        String job = newJob("shapes" + version);
        String patterns = "records.steps=" + SHAPES + "$Step#apply,records.checks=" + SHAPES + "$Check#process,"
                + "records.one=" + SHAPES + "$Check#process(java.lang.String),"
                + "records.fn=java.util.function.Function#apply";
        Jvm run = Jvm.run(tmp, Jvm.javaWithAgent(Jvm.java(version), settings(job, patterns), shapesJar.toString(),
                SHAPES), Map.of());

        assertEquals(0, run.status, run::toString);
        assertTrue(run.out.contains("shapes done"), run::toString);
        assertEquals(1, run.jobmetricsLines().size(), run::toString);
        GatewayPage p = page();
        assertEquals(6, p.get("batch_job_records_total", "job", job, "stage", "steps"), p::toString);
        assertEquals(1, p.get("batch_job_record_errors_total", "job", job, "stage", "steps", "error",
                "IllegalStateException"), p::toString);
        assertEquals(4, p.get("batch_job_records_total", "job", job, "stage", "checks"), p::toString);
        assertEquals(6, p.get("batch_job_records_total", "job", job, "stage", "one"), p::toString);
        assertEquals(4, p.get("batch_job_records_total", "job", job, "stage", "fn"), p::toString);
    }

    @ParameterizedTest(name = "on {0}")
    @MethodSource("io.github.jobmetrics.agent.Jvm#versions")
    void discoverPrintsTheMostCalledMethodsOfThePackageAsPatternsWithCallsThrowsAndTime(String version)
            throws Exception {
        String job = newJob("discover" + version);
        Jvm run = Jvm.run(tmp, Jvm.javaWithAgent(Jvm.java(version), settings(job, "discover="
                + ShapesJob.class.getPackageName()), shapesJar.toString(), SHAPES), Map.of());

        assertEquals(0, run.status, run::toString);
        assertTrue(run.out.contains("shapes done"), run::toString);
        List<String> lines = run.err.lines().toList();
        int heading = lines.indexOf(lines.stream().filter(l -> l.startsWith("jobmetrics agent: discover="
                + ShapesJob.class.getPackageName() + ": ")).findFirst().orElseThrow(() -> new AssertionError(run)));
        assertTrue(lines.get(heading).endsWith("methods called; the most called:"), run::toString);
        // calls, threw, total ms, pattern; the time varies, so rows are compared without it.
        List<String> rows = lines.subList(heading + 1, lines.size()).stream().map(l -> l.strip().split(" +"))
                .filter(a -> a.length == 4 && a[3].startsWith("records=")).map(a -> a[0] + " " + a[1] + " " + a[3])
                .toList();
        // Every call counts here, nested ones included: LengthCheck#process runs for 2 calls, LoudCheck's super
        // call and the 3 calls of Check#process(String,int).
        for (String expected : List.of("6 0 records=" + SHAPES + "$LengthCheck#process",
                "1 0 records=" + SHAPES + "$Check#process", "4 0 records=" + SHAPES + "$Shout#apply",
                "3 0 records=" + SHAPES + "$Trim#apply", "2 1 records=" + SHAPES + "$Upper#apply",
                "1 0 records=" + SHAPES + "$Plugin#apply", "1 0 records=" + SHAPES + "#main")) {
            assertTrue(rows.contains(expected), expected + " in " + rows + "\n" + run);
        }
        assertEquals(1, page().get("batch_job_success", "job", job));
    }

    @Test
    void countNestedCallsCountsEveryCallOfThePatternInsideAnother() throws Exception {
        String job = newJob("shapesnested");
        String patterns = "count-nested-calls=true,records.checks=" + SHAPES + "$Check#process";
        Jvm run = Jvm.run(tmp, Jvm.javaWithAgent(Jvm.JAVA_17, settings(job, patterns), shapesJar.toString(), SHAPES),
                Map.of());

        assertEquals(0, run.status, run::toString);
        // 2 LengthCheck, LoudCheck and its super call, process(String,int) and the 3 calls it makes.
        assertEquals(8, page().get("batch_job_records_total", "job", job, "stage", "checks"));
    }

    @ParameterizedTest(name = "on {0}")
    @MethodSource("io.github.jobmetrics.agent.Jvm#versions")
    void aPatternThatMatchesNothingNamesTheClassesSeenAndTheOverloadsThatWouldMatch(String version)
            throws Exception {
        String job = newJob("shapesunmatched" + version);
        String patterns = "records=" + SHAPES + "$Check#proces;" + SHAPES + "$Check#process(int);"
                + "java.util.function.Function#andThen;java.sql.Statement#execute;java.util.RandomAccess#get;"
                + "com.acme.ShapesJob$Trim#apply";
        Jvm run = Jvm.run(tmp, Jvm.javaWithAgent(Jvm.java(version), settings(job, patterns), shapesJar.toString(),
                SHAPES), Map.of());

        assertEquals(0, run.status, run::toString);
        List<String> lines = run.jobmetricsLines().stream().filter(l -> l.contains("matched nothing")).toList();
        assertEquals(1, lines.size(), run::toString);
        String line = lines.get(0);
        assertTrue(line.contains(SHAPES + "$Check#proces (class has no such method: none in " + SHAPES + "$Check, "
                + SHAPES + "$LengthCheck, " + SHAPES + "$LoudCheck)"), line);
        assertTrue(line.contains(SHAPES + "$Check#process(int) (class has no such method: none in " + SHAPES
                + "$Check, " + SHAPES + "$LengthCheck, " + SHAPES + "$LoudCheck; with other parameters:"
                + " (java.lang.String,int), (java.lang.String))"), line);
        assertTrue(line.contains("java.util.function.Function#andThen (class has no such method: none in " + SHAPES
                + "$Shout)"), line);
        assertTrue(line.contains("java.sql.Statement#execute (class never loaded, nor any class extending or"
                + " implementing it)"), line);
        assertTrue(line.contains("java.util.RandomAccess#get (java.util.RandomAccess was loaded, but no class of"
                + " the job extending or implementing it; the JDK's own classes are not counted)"), line);
        assertTrue(line.contains("com.acme.ShapesJob$Trim#apply (class never loaded, nor any class extending or"
                + " implementing it; loaded with that name in another package: " + SHAPES + "$Trim)"), line);
    }

    @Test
    void classLoadedBeforeTheAgentIsInstrumentedBeforeMain() throws Exception {
        String job = newJob("preloaded");
        Path pre = JobJars.jar(tmp, "preload.jar", Map.of("Premain-Class", PreloadingAgent.class.getName()),
                PreloadingAgent.class);
        List<String> cmd = List.of(Jvm.JAVA_17, "-javaagent:" + pre + "=" + ETL,
                "-javaagent:" + Jvm.AGENT_JAR + "=" + settings(job, "records=" + ETL + "#processRow"),
                "-cp", etlClassPath(), ETL);
        Jvm run = Jvm.run(tmp, cmd, Map.of());
        assertEquals(0, run.status, run::toString);
        assertEquals(13, page().get("batch_job_records_total", "job", job, "stage", "main"));
    }
}

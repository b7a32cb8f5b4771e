package io.github.jobmetrics.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jobmetrics.config.SettingKey;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RunnerCommandLineTest {
    private static Invocation parse(String... args) throws UsageException {
        return RunnerCommandLine.parse(args, new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8)).orElseThrow();
    }

    @ParameterizedTest
    @EnumSource(SettingKey.class)
    void everySettingIsAnOption(SettingKey key) {
        assertTrue(PicocliParser.command().getCommandSpec().optionsMap().containsKey(key.option()),
                key.option());
    }

    @Test
    void optionsBecomeSettingsByKeyInTheOrderGiven() throws Exception {
        Invocation i = parse("--gateway", "http://gw:9091", "--push-timeout=5s", "--grouping-key", "team=a/b",
                "--grouping-key", "dc=x", "--records-stage", "load=a.B#c", "--tls-trust-store", "t.p12",
                "--accumulate", "--push-at-start=false", "--", "app.jar");
        assertEquals(Map.of("gateway", "http://gw:9091", "push-timeout", "5s", "grouping.team", "a/b",
                "grouping.dc", "x", "records.load", "a.B#c", "tls.trust-store", "t.p12", "accumulate", "true",
                "push-at-start", "false"), i.explicitSettings());
        assertEquals(List.of("grouping.team", "grouping.dc"), i.explicitSettings().keySet().stream()
                .filter(k -> k.startsWith("grouping.")).toList());
    }

    @Test
    void noAgentIsAgentFalse() throws Exception {
        assertEquals("false", parse("--no-agent", "app.jar").explicitSettings().get("agent"));
        assertEquals("false", parse("--agent=false", "app.jar").explicitSettings().get("agent"));
        assertThrows(UsageException.class, () -> parse("--no-agent", "--agent", "app.jar"));
    }

    @Test
    void jarJobTakesEverythingAfterItAsItsArguments() throws Exception {
        JobSpec job = parse("--jvm-option", "-Xmx64m", "app.jar", "--gateway", "x", "@file", "--").job();
        assertEquals(JobSpec.Kind.JAR, job.kind());
        assertEquals("app.jar", job.target());
        assertEquals(List.of("--gateway", "x", "@file", "--"), job.args());
        assertEquals(List.of("-Xmx64m"), parse("--jvm-option", "-Xmx64m", "app.jar").jvmOptions());
        assertTrue(parse("--jvm-option", "-Xmx64m", "app.jar", "--gateway", "x").explicitSettings().isEmpty());
    }

    @Test
    void mainClassAndClasspathWorkBeforeOrAfterTheDoubleDash() throws Exception {
        for (Invocation i : List.of(parse("--", "--main-class", "com.acme.Etl", "--classpath", "lib/*", "x"),
                parse("--main-class=com.acme.Etl", "-cp", "lib/*", "--", "x"),
                parse("--", "-cp", "lib/*", "--main-class=com.acme.Etl", "x"))) {
            JobSpec job = i.job();
            assertEquals(JobSpec.Kind.MAIN_CLASS, job.kind());
            assertEquals("com.acme.Etl", job.target());
            assertEquals("lib/*", job.classpath());
            assertEquals(List.of("x"), job.args());
        }
        assertThrows(UsageException.class, () -> parse("--", "--main-class", "com.acme.Etl"));
        assertThrows(UsageException.class, () -> parse("--", "--classpath", "lib"));
    }

    @Test
    void anyOtherProgramIsACommand() throws Exception {
        JobSpec job = parse("--", "python3", "etl.py", "--date", "x").job();
        assertEquals(JobSpec.Kind.COMMAND, job.kind());
        assertEquals("python3", job.target());
        assertEquals(List.of("etl.py", "--date", "x"), job.args());
        assertNull(parse("--", "python3").agentJar());
    }

    @Test
    void unknownOptionIsNamedWithAPointerToHelp() {
        UsageException e = assertThrows(UsageException.class, () -> parse("--push-timout=3s", "--", "true"));
        assertEquals("unknown option --push-timout; did you mean --push-timeout?; see 'java -jar job-runner.jar"
                + " --help'", e.getMessage());
    }

    @Test
    void secretOptionIsRefusedWithoutItsValue() {
        UsageException e = assertThrows(UsageException.class,
                () -> parse("--bearer-token=s3cr3t", "--", "true"));
        assertFalse(e.getMessage().contains("s3cr3t"), e.getMessage());
        assertTrue(e.getMessage().contains("--bearer-token-file FILE or the environment variable"
                + " JOBMETRICS_BEARER_TOKEN"), e.getMessage());
    }

    @Test
    void missingJobAndBadPairsAreUsageErrors() {
        assertTrue(assertThrows(UsageException.class, () -> parse("--gateway", "http://x"))
                .getMessage().startsWith("no job given"));
        assertTrue(assertThrows(UsageException.class, () -> parse("--grouping-key", "team", "--", "true"))
                .getMessage().contains("--grouping-key: \"team\" is not label=value"));
        assertTrue(assertThrows(UsageException.class, () -> parse("--gateway"))
                .getMessage().contains("'--gateway'"));
    }
}

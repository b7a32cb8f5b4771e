package io.github.jobmetrics.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/prometheus/rules.yml (Pushgateway, scraped) and rules-remote-write.yml (runs written by remote write) are
 * valid, their promtool unit tests pass and cover every rule, and the remote-write set keeps the names of the
 * first, leaving out only what remote write cannot express.
 */
class PrometheusRulesIT {
    static final Path RULES_DIR = Path.of("..", "docs", "prometheus").toAbsolutePath().normalize();

    @TempDir Path tmp;

    private record Outcome(int status, String output) { }

    private Outcome promtool(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("promtool"));
        cmd.addAll(List.of(args));
        Path out = tmp.resolve("promtool.out");
        Process p = new ProcessBuilder(cmd).directory(RULES_DIR.toFile()).redirectErrorStream(true)
                .redirectOutput(out.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            throw new AssertionError("promtool " + String.join(" ", args) + " did not end within 60 s: "
                    + Files.readString(out, StandardCharsets.UTF_8));
        }
        return new Outcome(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    }

    @Test
    void rulesPassPromtoolCheck() throws Exception {
        Outcome o = promtool("check", "rules", "rules.yml");
        assertEquals(0, o.status(), "promtool check rules rules.yml failed:\n" + o.output());
        assertTrue(o.output().contains("SUCCESS"), o.output());
    }

    @Test
    void remoteWriteRulesPassPromtoolCheck() throws Exception {
        Outcome o = promtool("check", "rules", "rules-remote-write.yml");
        assertEquals(0, o.status(), "promtool check rules rules-remote-write.yml failed:\n" + o.output());
        assertTrue(o.output().contains("SUCCESS"), o.output());
    }

    @Test
    void scrapeConfigPassesPromtoolCheckWithHonorLabels() throws Exception {
        Outcome o = promtool("check", "config", "scrape-config.yml");
        assertEquals(0, o.status(), "promtool check config scrape-config.yml failed:\n" + o.output());
        assertTrue(Files.readString(RULES_DIR.resolve("scrape-config.yml"), StandardCharsets.UTF_8)
                .contains("honor_labels: true"), "the Pushgateway must be scraped with honor_labels: true");
    }

    @Test
    void ruleUnitTestsPass() throws Exception {
        Outcome o = promtool("test", "rules", "rules_test.yml", "rules_test_30d.yml");
        assertEquals(0, o.status(), "promtool test rules failed:\n" + o.output());
    }

    @Test
    void remoteWriteRuleUnitTestsOnSparsePerRunSamplesPass() throws Exception {
        Outcome o = promtool("test", "rules", "rules_remote_write_test.yml", "rules_remote_write_test_30d.yml");
        assertEquals(0, o.status(), "promtool test rules (remote-write shape) failed:\n" + o.output());
    }

    @Test
    void everyRuleInRulesYmlHasAUnitTest() throws Exception {
        assertEquals(List.of(), untested("rules.yml", "rules_test.yml", "rules_test_30d.yml"),
                "rules without a test in rules_test*.yml");
    }

    @Test
    void everyRuleInTheRemoteWriteRulesHasAUnitTest() throws Exception {
        assertEquals(List.of(), untested("rules-remote-write.yml", "rules_remote_write_test.yml",
                "rules_remote_write_test_30d.yml"), "rules without a test in rules_remote_write_test*.yml");
    }

    @Test
    void theRemoteWriteRulesKeepTheNamesOfRulesYmlAndLeaveOutOnlyWhatRemoteWriteCannotExpress() throws Exception {
        List<String> scraped = ruleNames("rules.yml");
        List<String> remoteWrite = ruleNames("rules-remote-write.yml");
        List<String> invented = new ArrayList<>(remoteWrite);
        invented.removeAll(scraped);
        assertEquals(List.of(), invented, "rules-remote-write.yml names rules that rules.yml does not have");
        List<String> leftOut = new ArrayList<>(scraped);
        leftOut.removeAll(remoteWrite);
        // Documented in the header of rules-remote-write.yml: what a Pushgateway group holds now has no
        // remote-write equivalent. (BatchJobStuckRunning has one: the start sample.)
        assertEquals(List.of("job_stage:batch_job_record_duration_seconds:mean",
                "job_stage:batch_job_record_errors:ratio", "job_stage_slo:batch_job_records_within_slo:ratio"),
                leftOut, "rules of rules.yml missing from rules-remote-write.yml");
    }

    private static List<String> ruleNames(String rulesFile) throws IOException {
        String rules = Files.readString(RULES_DIR.resolve(rulesFile), StandardCharsets.UTF_8);
        List<String> names = new ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("(?m)^\\s*- (?:record|alert): (\\S+)").matcher(rules);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    private static List<String> untested(String rulesFile, String... testFiles) throws IOException {
        StringBuilder tests = new StringBuilder();
        for (String testFile : testFiles) {
            tests.append(Files.readString(RULES_DIR.resolve(testFile), StandardCharsets.UTF_8));
        }
        List<String> untested = new ArrayList<>();
        for (String name : ruleNames(rulesFile)) {
            if (!name.startsWith("jobmetrics:") && !tests.toString().contains(name)) {
                untested.add(name);
            }
        }
        return untested;
    }
}

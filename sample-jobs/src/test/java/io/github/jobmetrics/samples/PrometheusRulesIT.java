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

/** docs/prometheus/rules.yml is valid, and its promtool unit tests (rules_test*.yml) pass and cover every rule. */
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
    void everyRuleInRulesYmlHasAUnitTest() throws Exception {
        String rules = Files.readString(RULES_DIR.resolve("rules.yml"), StandardCharsets.UTF_8);
        String tests = Files.readString(RULES_DIR.resolve("rules_test.yml"), StandardCharsets.UTF_8)
                + Files.readString(RULES_DIR.resolve("rules_test_30d.yml"), StandardCharsets.UTF_8);
        List<String> untested = new ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("(?m)^\\s*- (?:record|alert): (\\S+)").matcher(rules);
        while (m.find()) {
            String name = m.group(1);
            if (!name.startsWith("jobmetrics:") && !tests.contains(name)) {
                untested.add(name);
            }
        }
        assertEquals(List.of(), untested, "rules without a test in rules_test*.yml");
    }
}

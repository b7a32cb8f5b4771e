package io.github.jobmetrics.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.github.jobmetrics.internal.model.MetricNames;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every metric the dashboard, the rules and the docs name is in the contract ({@link MetricNames#all()}); every
 * recorded series they use is recorded in rules.yml.
 */
class DashboardMetricsTest {
    private static final Path DOCS = Path.of("..", "docs");
    // A metric name, not the middle part of a recorded name such as job_stage:batch_job_record_errors:ratio.
    private static final Pattern METRIC = Pattern.compile("(?<![A-Za-z0-9_:])batch_job_[A-Za-z0-9_]+(?![A-Za-z0-9_:])");
    private static final Pattern RECORDED = Pattern.compile("(?<![A-Za-z0-9_:])[a-z_]+:[A-Za-z0-9_]+:[A-Za-z0-9_]+");
    private static final Pattern RECORD_RULE = Pattern.compile("(?m)^\\s*- record: (\\S+)");

    private static Set<String> all(Pattern p, String text) {
        Set<String> found = new TreeSet<>();
        Matcher m = p.matcher(text);
        while (m.find()) {
            found.add(m.group(m.groupCount()));
        }
        return found;
    }

    private static String read(String file) throws IOException {
        return Files.readString(DOCS.resolve(file), StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @ValueSource(strings = {"grafana/jobmetrics-dashboard.json", "prometheus/rules.yml",
        "prometheus/rules_test.yml", "prometheus/rules_test_30d.yml", "metrics.md", "how-it-works.md",
        "kubernetes.md", "migration.md"})
    void everyBatchJobMetricQueriedIsInTheContract(String file) throws IOException {
        Set<String> used = all(METRIC, read(file));
        assertFalse(used.isEmpty(), file + " queries no batch_job_ metric: is the pattern still right?");
        used.removeAll(new MetricNames(MetricNames.DEFAULT_PREFIX).all());
        assertEquals(Set.of(), used, file + " queries metrics that MetricNames.all() does not have");
    }

    @ParameterizedTest
    @ValueSource(strings = {"grafana/jobmetrics-dashboard.json", "prometheus/rules.yml", "metrics.md",
        "quickstart.md"})
    void everyRecordedSeriesQueriedIsRecordedInRulesYml(String file) throws IOException {
        Set<String> used = all(RECORDED, read(file));
        used.removeAll(all(RECORD_RULE, read("prometheus/rules.yml")));
        assertEquals(Set.of(), used, file + " queries recorded series that rules.yml does not record");
    }
}

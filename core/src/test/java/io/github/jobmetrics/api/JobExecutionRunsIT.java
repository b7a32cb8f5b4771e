package io.github.jobmetrics.api;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jobmetrics.config.Settings;
import io.github.jobmetrics.config.SettingsLoader;
import io.github.jobmetrics.testing.PushgatewayExtension;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class JobExecutionRunsIT {
    @RegisterExtension
    static final PushgatewayExtension GATEWAY = new PushgatewayExtension();
    @TempDir Path tmp;

    private Settings settings(String job, String region) throws Exception {
        Map<String, String> explicit = new LinkedHashMap<>();
        explicit.put("job", job);
        explicit.put("grouping.region", region);
        explicit.put("gateway", GATEWAY.get().baseUri().toString());
        explicit.put("push-at-start", "false");
        explicit.put("spool-dir", tmp.resolve("spool").toString());
        return SettingsLoader.load(explicit, "test", new Properties(), Map.of());
    }

    @Test
    void twoExecutionsOpenAtOnceArePushedEachToItsOwnGroup() throws Exception {
        JobRun first = JobMetrics.startExecution(settings("exec_job", "eu"));
        JobRun second = JobMetrics.startExecution(settings("exec_job", "us"));
        assertFalse(first.joined());
        assertFalse(second.joined());
        Stage a = first.stage("load");
        a.success(a.begin());
        a.success(a.begin());
        Stage b = second.stage("load");
        b.success(b.begin());
        second.close();
        first.close();
        String page = GATEWAY.get().metricsPage();
        assertTrue(page.contains(
                "batch_job_records_total{instance=\"\",job=\"exec_job\",region=\"eu\",stage=\"load\"} 2"), page);
        assertTrue(page.contains(
                "batch_job_records_total{instance=\"\",job=\"exec_job\",region=\"us\",stage=\"load\"} 1"), page);
    }

    @Test
    void anExecutionJoinsTheRunThisJvmAlreadyHasAndLeavesThePushToIt() throws Exception {
        try (JobRun jvmRun = JobMetrics.startOrJoin(settings("owner_job", "all"))) {
            assertFalse(jvmRun.joined());
            try (JobRun execution = JobMetrics.startExecution(settings("inner_job", "x"))) {
                assertTrue(execution.joined());
                Stage s = execution.stage("inner");
                s.success(s.begin());
            }
            assertFalse(GATEWAY.get().metricsPage().contains("owner_job"), "a joined execution does not push");
        }
        String page = GATEWAY.get().metricsPage();
        assertTrue(page.contains(
                "batch_job_records_total{instance=\"\",job=\"owner_job\",region=\"all\",stage=\"inner\"} 1"), page);
        assertFalse(page.contains("inner_job"), page);
    }
}

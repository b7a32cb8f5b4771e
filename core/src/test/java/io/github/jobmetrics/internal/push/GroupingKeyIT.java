package io.github.jobmetrics.internal.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jobmetrics.config.Settings;
import io.github.jobmetrics.config.SettingsLoader;
import io.github.jobmetrics.internal.model.RunEnding;
import io.github.jobmetrics.internal.model.RunRegistry;
import io.github.jobmetrics.testing.PushgatewayExtension;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Grouping keys as settings give them, pushed to a real Pushgateway and read back. */
class GroupingKeyIT {
    @RegisterExtension
    static final PushgatewayExtension GATEWAY = new PushgatewayExtension();
    @TempDir Path spoolDir;
    private final List<String> err = new ArrayList<>();

    private PushReport pushFinal(Settings settings, long lastSuccessSeconds) {
        URI gateway = settings.gateway().orElseThrow();
        GroupingKey group = GroupingKey.of(settings.jobOr("unnamed"), settings.groupingKey());
        PushEngine engine = PushEngine.builder()
                .gateway(gateway, new HttpPusher(gateway, Optional::empty, null))
                .group(group)
                .pushTimeout(Duration.ofSeconds(3))
                .spool(Spool.withDefaults(spoolDir, err::add))
                .err(err::add)
                .build();
        return engine.pushFinal(RunRegistry.builder().build()
                .collect(RunEnding.success(lastSuccessSeconds * 1000)), true);
    }

    @Test
    void emptyGroupingValueFromTheSettingsRoundTripsThroughThePushgateway() throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("gateway", GATEWAY.get().baseUri() + "/");
        options.put("job", "empty_value_job");
        options.put("grouping.team", "");
        options.put("grouping.env", "prod");
        Settings settings = SettingsLoader.load(options, "option", new Properties(), Map.of());

        PushReport first = pushFinal(settings, 1000);
        assertEquals(PushReport.Outcome.PUSHED, first.outcome(), first.line() + err);
        assertTrue(first.line().contains("/metrics/job/empty_value_job/team@base64/=/env/prod"), first.line());
        assertFalse(first.line().contains("//metrics"), first.line());
        String groups = GATEWAY.get().apiMetrics();
        assertTrue(groups.contains("\"labels\":{\"env\":\"prod\",\"job\":\"empty_value_job\",\"team\":\"\"}"),
                groups);

        PushReport second = pushFinal(settings, 2000);
        assertEquals(PushReport.Outcome.PUSHED, second.outcome(), second.line() + err);
        String page = GATEWAY.get().metricsPage();
        assertTrue(page.contains("batch_job_last_success_timestamp_seconds{env=\"prod\",instance=\"\","
                + "job=\"empty_value_job\",team=\"\"} 2000"), page);
        assertFalse(page.contains("} 1000\n"), "the second PUT replaced the same group: " + page);
    }
}

package io.github.jobmetrics.internal.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockserver.model.HttpRequest.request;
import static org.mockserver.model.HttpResponse.response;

import io.github.jobmetrics.internal.model.FailureReason;
import io.github.jobmetrics.internal.model.MetricNames;
import io.github.jobmetrics.internal.model.RunEnding;
import io.github.jobmetrics.internal.model.RunRegistry;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mockserver.configuration.Configuration;
import org.mockserver.integration.ClientAndServer;
import org.mockserver.verify.VerificationTimes;

/**
 * A failed run whose group cannot be read (a proxy that allows pushes but not {@code GET /metrics}) still keeps
 * the last success, by falling back to a POST, and says so; what a real Pushgateway cannot be made to do.
 */
class GroupUnreadableIT {
    private static final MetricNames NAMES = new MetricNames(MetricNames.DEFAULT_PREFIX);
    private static ClientAndServer mock;
    @TempDir Path spoolDir;

    @BeforeAll
    static void startMock() {
        mock = ClientAndServer.startClientAndServer(
                Configuration.configuration().localBoundIP("127.0.0.1").logLevel("WARN"), 0);
    }

    @AfterAll
    static void stopMock() {
        mock.stop();
    }

    @Test
    void failedRunFallsBackToPostWhenTheGroupCannotBeReadAndSaysSo() {
        mock.when(request().withMethod("GET").withPath("/metrics")).respond(response().withStatusCode(403)
                .withBody("reading is not allowed here"));
        mock.when(request().withMethod("POST")).respond(response().withStatusCode(200));
        URI target = URI.create("http://127.0.0.1:" + mock.getPort());
        List<String> err = new ArrayList<>();
        PushReport report = PushEngine.builder()
                .gateway(target, new HttpPusher(target, Optional::empty, null))
                .group(GroupingKey.of("unreadable", Map.of()))
                .pushTimeout(Duration.ofSeconds(3))
                .spool(Spool.withDefaults(spoolDir, err::add))
                .keepLastSuccess(NAMES.lastSuccess())
                .err(err::add)
                .build()
                .pushFinal(RunRegistry.builder().build().collect(RunEnding.failure(1_000, FailureReason.EXIT_CODE, 2)),
                        false);

        assertEquals(PushReport.Outcome.PUSHED, report.outcome(), report.line() + err);
        assertTrue(report.line().contains("pushed POST of"), report.line());
        assertTrue(err.stream().anyMatch(l -> l.contains("cannot read the group's current state")
                && l.contains("pushed with POST to keep its last success")), err.toString());
        mock.verify(request().withMethod("POST").withPath("/metrics/job/unreadable"), VerificationTimes.exactly(1));
        mock.verify(request().withMethod("PUT"), VerificationTimes.exactly(0));
    }
}

package io.github.jobmetrics.internal.push.remotewrite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jobmetrics.internal.model.RunEnding;
import io.github.jobmetrics.internal.model.RunRegistry;
import io.github.jobmetrics.internal.push.GroupingKey;
import io.github.jobmetrics.internal.push.PushReport;
import io.github.jobmetrics.internal.push.remotewrite.prompb.WriteRequest;
import io.github.jobmetrics.config.SettingsLoader;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xerial.snappy.Snappy;

/**
 * What a real receiver cannot be made to do on demand (5xx, 429, a 400 with a body), against a scripted loopback
 * endpoint: the same delivery rules as the Pushgateway path, and the remote-write and tenant headers on each request.
 */
class RemoteWriteFaultsIT {
    private static final long END = 1_764_480_000_000L;
    private static final String TOKEN = "t0ken-never-shown";
    private final ScriptedReceiver receiver;

    RemoteWriteFaultsIT() throws Exception {
        receiver = new ScriptedReceiver();
    }

    @AfterEach
    void stop() {
        receiver.close();
    }

    private PushReport deliver() {
        URI url = receiver.writeUri();
        RemoteWritePusher pusher = new RemoteWritePusher(url, Map.of("X-Scope-OrgID", "tenant-a"),
                () -> Optional.of("Bearer " + TOKEN), null);
        RemoteWriteSink sink = new RemoteWriteSink(url, pusher, GroupingKey.of("rw_job", Map.of()),
                Duration.ofSeconds(5), 3);
        RunRegistry registry = RunRegistry.builder().startEpochMillis(END - 60_000).build();
        registry.stage("main").recordSuccess(1_000_000);
        return sink.deliver(registry.collect(RunEnding.success(END)), END);
    }

    @Test
    void aServerErrorIsRetriedAndTheNextAttemptDeliversWithTheRemoteWriteAndTenantHeaders() throws Exception {
        receiver.then(503, "ingester restarting", null);

        PushReport report = deliver();

        assertEquals(PushReport.Outcome.PUSHED, report.outcome(), report.line());
        assertEquals(2, receiver.received().size());
        for (ScriptedReceiver.Received r : receiver.received()) {
            assertEquals("snappy", r.headers().getFirst("Content-Encoding"));
            assertEquals("application/x-protobuf", r.headers().getFirst("Content-Type"));
            assertEquals("0.1.0", r.headers().getFirst("X-Prometheus-Remote-Write-Version"));
            assertEquals("tenant-a", r.headers().getFirst("X-Scope-OrgID"));
            assertEquals("Bearer " + TOKEN, r.headers().getFirst("Authorization"));
        }
        WriteRequest body = WriteRequest.parseFrom(Snappy.uncompress(receiver.received().get(1).body()));
        assertTrue(body.getTimeseriesCount() > 0, "the run's series arrive: " + body);
        assertTrue(body.getTimeseriesList().stream().allMatch(ts -> ts.getSamples(0).getTimestamp() == END));
    }

    @Test
    void aClientErrorIsNotRetriedAndItsBodyIsShownOnOneLineWithoutTheCredentialItEchoes() {
        receiver.then(400, "out of order sample\nfor series x; sent Bearer " + TOKEN, null);

        PushReport report = deliver();

        assertEquals(PushReport.Outcome.LOST, report.outcome(), report.line());
        assertTrue(report.line().contains("answered 400: out of order sample for series x; sent <credential>"),
                report.line());
        assertTrue(report.line().contains("(1 attempt in"), report.line());
        assertFalse(report.line().contains("\n"), report.line());
        assertFalse(report.line().contains(TOKEN), report.line());
        assertEquals(1, receiver.received().size());
    }

    @Test
    void tooManyRequestsIsRetriedAfterTheAskedPause() {
        receiver.then(429, "slow down", "1");

        long started = System.nanoTime();
        PushReport report = deliver();
        long tookMillis = (System.nanoTime() - started) / 1_000_000;

        assertEquals(PushReport.Outcome.PUSHED, report.outcome(), report.line());
        assertEquals(2, receiver.received().size());
        assertTrue(tookMillis >= 1000 && tookMillis < 5000, "waited the 1 s asked, took " + tookMillis + " ms");
    }

    @Test
    void aSinkMadeFromSettingsWritesToTheConfiguredUrlWithTheConfiguredHeaders() throws Exception {
        RemoteWriteSink sink = RemoteWriteSinks.create(SettingsLoader.load(Map.of("remote-write",
                receiver.writeUri().toString(), "remote-write.headers", "THANOS-TENANT=team-b", "push-retries", "0"),
                "option", new Properties(), Map.of()), GroupingKey.of("rw_job", Map.of()), line -> { }).orElseThrow();
        RunRegistry registry = RunRegistry.builder().startEpochMillis(END - 60_000).build();

        PushReport report = sink.deliver(registry.collect(RunEnding.success(END)), END);

        assertEquals(PushReport.Outcome.PUSHED, report.outcome(), report.line());
        assertEquals(1, receiver.received().size());
        assertEquals("team-b", receiver.received().get(0).headers().getFirst("THANOS-TENANT"));
    }
}

package io.github.jobmetrics.internal.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which spooled entries go, which wait and which are moved aside, against a scripted gateway. */
class SpoolDeliveryTest {
    private static final URI GATEWAY = URI.create("http://127.0.0.1:9091");
    @TempDir Path dir;
    private final List<String> err = new ArrayList<>();
    private final List<String> sent = new ArrayList<>();
    /** Status per group path; a group not listed is accepted. Zero means no answer at all. */
    private final Map<String, Integer> answers = new HashMap<>();

    private final Pusher gateway = new Pusher() {
        @Override
        public void send(PushRequest request, Duration timeout) throws PushFailure {
            int status = answers.getOrDefault(request.groupPath(), 200);
            if (status == 0) {
                throw PushFailure.connection("connection refused", null);
            }
            if (status >= 300) {
                throw PushFailure.http(status, "Pushgateway answered " + status, null);
            }
            String samples = new String(request.body(), StandardCharsets.UTF_8).lines()
                    .filter(l -> !l.startsWith("#")).reduce((x, y) -> x + "," + y).orElse("");
            sent.add(request.groupPath() + " " + samples);
        }

        @Override
        public String readMetrics(Duration timeout) {
            return "";
        }

        @Override
        public void abort() {
        }
    };

    private Spool spool() {
        return Spool.withDefaults(dir, err::add);
    }

    private void save(URI target, String group, String body) throws Exception {
        spool().save(target, new PushRequest(PushRequest.Method.PUT, group,
                ("# TYPE " + body.split(" ")[0] + " gauge\n" + body + "\n").getBytes(StandardCharsets.UTF_8)));
    }

    private String deliver(String ownGroup) {
        return new SpoolDelivery(spool(), GATEWAY, new GroupCarryOver(null, null), err::add).deliver(new RetryingClient(gateway, 0, () -> 0),
                Deadline.after(Duration.ofSeconds(5)), ownGroup);
    }

    private List<String> files(String suffix) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(suffix)).toList();
        }
    }

    @Test
    void entriesForAnotherGatewayAreLeftAloneAndDoNotHoldBackThisOne() throws Exception {
        save(URI.create("http://127.0.0.1:1"), "/metrics/job/a", "a 1");
        assertNull(deliver("/metrics/job/a"));
        assertEquals(List.of(), sent);
        assertEquals(1, files(Spool.SUFFIX).size());
    }

    @Test
    void entriesForAnotherGatewayStillAgeOutWhenOnlyThisGatewayIsUsed() throws Exception {
        new Spool(dir, 100, Duration.ofDays(7), java.time.Clock.fixed(java.time.Instant.parse("2020-01-01T00:00:00Z"),
                java.time.ZoneOffset.UTC), err::add).save(URI.create("http://127.0.0.1:1"), new PushRequest(
                        PushRequest.Method.PUT, "/metrics/job/a", "a 1\n".getBytes(StandardCharsets.UTF_8)));
        assertNull(deliver("/metrics/job/a"));
        assertEquals(List.of(), files(Spool.SUFFIX));
        assertTrue(err.stream().anyMatch(l -> l.contains("removed 1 spooled")), err.toString());
    }

    @Test
    void redirectedEntryIsMovedAsideAsRejectedNamingItsAnswerAndLaterRunsGoAhead() throws Exception {
        answers.put("/metrics/job/a", 301);
        save(GATEWAY, "/metrics/job/a", "a 1");
        save(GATEWAY, "/metrics/job/b", "b 1");
        assertNull(deliver("/metrics/job/a"));
        assertEquals(List.of("/metrics/job/b b 1"), sent);
        assertEquals(1, files(Spool.REJECTED_SUFFIX).size());
        assertTrue(err.stream().anyMatch(l -> l.contains("answered 301") && l.contains(".rejected")), err.toString());
        assertNull(deliver("/metrics/job/a"), "nothing blocks the next run either");
    }

    @Test
    void credentialsRefusalKeepsTheEntryHoldsItsGroupOnlyAndNamesTheEntryAndAnswer() throws Exception {
        answers.put("/metrics/job/a", 401);
        save(GATEWAY, "/metrics/job/a", "a 1");
        save(GATEWAY, "/metrics/job/a", "a 2");
        save(GATEWAY, "/metrics/job/b", "b 1");
        String held = deliver("/metrics/job/a");
        assertNotNull(held, "a newer push of group a must not overtake its older entries");
        assertTrue(held.contains("answered 401") && held.contains(".push (written "), held);
        assertEquals(List.of("/metrics/job/b b 1"), sent, "other groups go ahead");
        assertEquals(2, files(Spool.SUFFIX).size(), "nothing of group a is lost");
        assertEquals(List.of(), files(Spool.REJECTED_SUFFIX));
        assertNull(deliver("/metrics/job/c"), "a run of another group pushes at once");
    }

    @Test
    void lastingServerErrorHoldsOnlyItsOwnGroup() throws Exception {
        answers.put("/metrics/job/a", 500);
        save(GATEWAY, "/metrics/job/a", "a 1");
        save(GATEWAY, "/metrics/job/b", "b 1");
        assertNull(deliver("/metrics/job/b"));
        assertEquals(List.of("/metrics/job/b b 1"), sent);
        String held = deliver("/metrics/job/a");
        assertTrue(held != null && held.contains("answered 500"), String.valueOf(held));
    }

    @Test
    void gatewayThatDoesNotAnswerStopsTheDeliveryAndKeepsEverything() throws Exception {
        answers.put("/metrics/job/a", 0);
        save(GATEWAY, "/metrics/job/a", "a 1");
        save(GATEWAY, "/metrics/job/b", "b 1");
        String held = deliver("/metrics/job/b");
        assertTrue(held != null && held.contains("connection refused"), String.valueOf(held));
        assertEquals(List.of(), sent);
        assertEquals(2, files(Spool.SUFFIX).size());
    }

    @Test
    void spooledBodyGoesThroughTheChecksOfAFreshPush() throws Exception {
        spool().save(GATEWAY, new PushRequest(PushRequest.Method.PUT, "/metrics/job/a",
                ("# TYPE pushgateway_build_info gauge\npushgateway_build_info 1\n"
                        + "# TYPE other_job_metric gauge\nother_job_metric{job=\"victim\"} 666\n"
                        + "# TYPE kept gauge\nkept 1\n").getBytes(StandardCharsets.UTF_8)));
        assertNull(deliver("/metrics/job/a"));
        assertEquals(List.of("/metrics/job/a kept 1.0"), sent);
        assertTrue(err.stream().anyMatch(l -> l.contains("pushgateway_build_info is not pushed")), err.toString());
        assertTrue(err.stream().anyMatch(l -> l.contains("other_job_metric is not pushed")), err.toString());
    }

    @Test
    void spooledBodyThatIsNotExpositionTextIsMovedAsideNotSent() throws Exception {
        spool().save(GATEWAY, new PushRequest(PushRequest.Method.PUT, "/metrics/job/a",
                "this is { not metrics\n".getBytes(StandardCharsets.UTF_8)));
        assertNull(deliver("/metrics/job/a"));
        assertEquals(List.of(), sent);
        assertEquals(1, files(Spool.UNREADABLE_SUFFIX).size());
    }

    @Test
    void groupPathsReadBackIntoTheirGroupingKeys() {
        GroupingKey key = GroupingKey.of("etl", Map.of("env", "a b"));
        assertEquals(key, GroupingKey.fromPath(key.path()));
        assertEquals(GroupingKey.of("x", Map.of("empty", "")), GroupingKey.fromPath("/metrics/job/x/empty@base64/="));
        assertFalse(GroupingKey.fromPath("/metrics/job@base64/L3Nl").job().isEmpty());
    }
}

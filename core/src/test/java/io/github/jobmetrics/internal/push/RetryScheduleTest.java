package io.github.jobmetrics.internal.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The retry schedule and {@code Retry-After}, on a clock of the test's own: no test here waits for real time. */
class RetryScheduleTest {
    private static final PushRequest REQUEST = new PushRequest(PushRequest.Method.PUT, "/metrics/job/j", new byte[0]);

    /** Time moves only when the client waits. */
    private static final class FakeTicker implements Ticker {
        long now = 1_000_000_000L;
        final List<Duration> sleeps = new ArrayList<>();

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public void sleep(Duration duration) {
            sleeps.add(duration);
            now += duration.toNanos();
        }
    }

    /** Answers each attempt with the next scripted failure, then succeeds. */
    private static final class ScriptedPusher implements Pusher {
        final Deque<PushFailure> failures = new ArrayDeque<>();
        int attempts;

        ScriptedPusher(PushFailure... failures) {
            this.failures.addAll(List.of(failures));
        }

        @Override
        public void send(PushRequest request, Duration timeout) throws PushFailure {
            attempts++;
            PushFailure next = failures.poll();
            if (next != null) {
                throw next;
            }
        }

        @Override
        public String readMetrics(Duration timeout) {
            return "";
        }

        @Override
        public void abort() {
        }
    }

    private static PushFailure unavailable() {
        return PushFailure.http(503, "answered 503", null);
    }

    private final FakeTicker ticker = new FakeTicker();

    private RetryingClient client(ScriptedPusher pusher, int retries) {
        return new RetryingClient(pusher, retries, () -> 0.5, ticker);
    }

    private static List<Duration> millis(long... values) {
        List<Duration> out = new ArrayList<>();
        for (long v : values) {
            out.add(Duration.ofMillis(v));
        }
        return out;
    }

    @Test
    void retriesBackOffExponentiallyWithEqualJitter() throws Exception {
        ScriptedPusher pusher = new ScriptedPusher(unavailable(), unavailable(), unavailable());
        client(pusher, 3).push(REQUEST, Deadline.after(Duration.ofSeconds(10), ticker));
        assertEquals(4, pusher.attempts);
        // steps of 200, 400 and 800 ms; equal jitter waits half the step plus jitter times the other half
        assertEquals(millis(150, 300, 600), ticker.sleeps);
    }

    @Test
    void backoffStopsGrowingAtFiveSeconds() {
        ScriptedPusher pusher = new ScriptedPusher(unavailable(), unavailable(), unavailable(), unavailable(),
                unavailable(), unavailable(), unavailable());
        assertThrows(PushFailure.class, () -> client(pusher, 6).push(REQUEST,
                Deadline.after(Duration.ofMinutes(1), ticker)));
        assertEquals(7, pusher.attempts);
        assertEquals(millis(150, 300, 600, 1200, 2400, 3750), ticker.sleeps);
    }

    @Test
    void retryAfterThatFitsTheDeadlineIsWaitedInsteadOfTheBackoff() throws Exception {
        ScriptedPusher pusher = new ScriptedPusher(PushFailure.http(429, "answered 429", Duration.ofSeconds(2)));
        client(pusher, 3).push(REQUEST, Deadline.after(Duration.ofSeconds(10), ticker));
        assertEquals(millis(2000), ticker.sleeps);
        assertEquals(2, pusher.attempts);
    }

    @Test
    void retryAfterBeyondTheDeadlineGivesUpAtOnceAndSaysWhy() {
        ScriptedPusher pusher = new ScriptedPusher(PushFailure.http(429, "answered 429", Duration.ofSeconds(60)));
        PushFailure f = assertThrows(PushFailure.class, () -> client(pusher, 3).push(REQUEST,
                Deadline.after(Duration.ofSeconds(10), ticker)));
        assertTrue(f.getMessage().contains("Retry-After 60s is beyond the push-timeout"), f.getMessage());
        assertEquals(List.of(), ticker.sleeps);
        assertEquals(1, pusher.attempts);
    }

    @Test
    void noWaitIsStartedThatWouldEndPastTheDeadline() {
        ScriptedPusher pusher = new ScriptedPusher(unavailable(), unavailable(), unavailable(), unavailable());
        PushFailure f = assertThrows(PushFailure.class, () -> client(pusher, 5).push(REQUEST,
                Deadline.after(Duration.ofSeconds(1), ticker)));
        // 150 + 300 ms waited; the next 600 ms would end after the 1 s deadline
        assertEquals(millis(150, 300), ticker.sleeps);
        assertTrue(f.getMessage().contains("no time left within push-timeout 1000 ms"), f.getMessage());
        assertTrue(f.getMessage().contains("(3 attempts in 450 ms)"), f.getMessage());
    }

    @Test
    void refusalsThatWillNotChangeAreNotRetried() {
        ScriptedPusher pusher = new ScriptedPusher(PushFailure.http(400, "answered 400", null));
        assertThrows(PushFailure.class, () -> client(pusher, 3).push(REQUEST,
                Deadline.after(Duration.ofSeconds(10), ticker)));
        assertEquals(1, pusher.attempts);
        assertEquals(List.of(), ticker.sleeps);
    }

    @Test
    void retryAfterAsAnHttpDateCountsFromTheGivenNow() {
        ZonedDateTime now = ZonedDateTime.of(2026, 11, 30, 12, 0, 0, 0, ZoneOffset.UTC);
        assertEquals(Duration.ofSeconds(90), HttpPusher.retryAfter("Mon, 30 Nov 2026 12:01:30 GMT", now));
        assertEquals(Duration.ZERO, HttpPusher.retryAfter("Mon, 30 Nov 2026 11:59:00 GMT", now));
        assertEquals(Duration.ofSeconds(7), HttpPusher.retryAfter(" 7 ", now));
        assertEquals(null, HttpPusher.retryAfter("soon", now));
    }
}

package io.github.jobmetrics.internal.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockserver.model.HttpRequest.request;
import static org.mockserver.model.HttpResponse.response;

import io.github.jobmetrics.internal.model.RunEnding;
import io.github.jobmetrics.internal.model.RunRegistry;
import io.github.jobmetrics.testing.FreePort;
import io.github.jobmetrics.testing.SlowDripServer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mockserver.configuration.Configuration;
import org.mockserver.integration.ClientAndServer;
import org.mockserver.matchers.Times;
import org.mockserver.model.Delay;
import org.mockserver.verify.VerificationTimes;

/**
 * Every way a Pushgateway can fail, against MockServer (bound to loopback): each push ends within
 * push-timeout + 0.5 s, with the right one-line error, and is spooled.
 */
class PushFaultsIT {
    private static final Duration PUSH_TIMEOUT = Duration.ofSeconds(2);
    private static final long BOUND_MILLIS = PUSH_TIMEOUT.toMillis() + 500;
    private static final String SECRET = "s3cr3t-never-shown";

    private static ClientAndServer mock;
    @TempDir Path spoolDir;
    private final List<String> err = new ArrayList<>();

    @BeforeAll
    static void startMock() {
        mock = ClientAndServer.startClientAndServer(
                Configuration.configuration().localBoundIP("127.0.0.1").logLevel("WARN"), 0);
    }

    @AfterAll
    static void stopMock() {
        mock.stop();
    }

    @BeforeEach
    void reset() {
        mock.reset();
    }

    private static final String BASIC = "Basic " + Base64.getEncoder().encodeToString(("user:" + SECRET).getBytes());

    private PushReport push(URI target) {
        return push(target, BASIC);
    }

    private PushReport push(URI target, String authorization) {
        PushEngine engine = PushEngine.builder()
                .gateway(target, new HttpPusher(target, () -> Optional.of(authorization), null))
                .group(GroupingKey.of("fault_job", Map.of()))
                .pushTimeout(PUSH_TIMEOUT)
                .retries(3)
                .spool(Spool.withDefaults(spoolDir, err::add))
                .err(err::add)
                .build();
        RunRegistry r = RunRegistry.builder().build();
        long start = System.nanoTime();
        PushReport report = engine.pushFinal(r.collect(RunEnding.success(1_000)), true);
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        System.out.println("fault case took " + took + " ms: " + report.line());
        assertTrue(took <= BOUND_MILLIS, "took " + took + " ms, more than push-timeout + 0.5 s: " + report.line());
        String credential = authorization.substring(authorization.indexOf(' ') + 1);
        for (String secret : List.of(SECRET, credential, credential.lines().findFirst().orElse(credential))) {
            assertFalse(report.line().contains(secret), report.line());
            err.forEach(line -> assertFalse(line.contains(secret), line));
        }
        assertFalse(report.line().contains("\n"), "one line: " + report.line());
        return report;
    }

    private URI mockUri() {
        return URI.create("http://127.0.0.1:" + mock.getLocalPort());
    }

    @Test
    void connectionRefusedIsRetriedThenSpooled() {
        PushReport r = push(URI.create("http://127.0.0.1:" + FreePort.next()));
        assertEquals(PushReport.Outcome.SPOOLED, r.outcome(), r.line());
        assertTrue(r.line().contains("ConnectException"), r.line());
        assertTrue(r.line().contains("attempts"), r.line());
    }

    @Test
    void answerSlowerThanTheDeadlineIsAbandoned() {
        mock.when(request().withMethod("PUT")).respond(response().withStatusCode(200)
                .withDelay(Delay.seconds(10)));
        PushReport r = push(mockUri());
        assertEquals(PushReport.Outcome.SPOOLED, r.outcome(), r.line());
    }

    @Test
    void serverDrippingOneByteAtATimeIsAbandonedAtTheDeadline() throws Exception {
        try (SlowDripServer drip = SlowDripServer.start(Duration.ofMillis(400))) {
            PushReport r = push(drip.uri());
            assertEquals(PushReport.Outcome.SPOOLED, r.outcome(), r.line());
            assertTrue(r.line().contains("push-timeout"), r.line());
        }
    }

    @Test
    void serverErrorIsRetriedUntilItSucceeds() {
        mock.when(request().withMethod("PUT"), Times.once()).respond(response().withStatusCode(500)
                .withBody("boom"));
        mock.when(request().withMethod("PUT")).respond(response().withStatusCode(200));
        PushReport r = push(mockUri());
        assertEquals(PushReport.Outcome.PUSHED, r.outcome(), r.line());
        mock.verify(request().withMethod("PUT").withPath("/metrics/job/fault_job"), VerificationTimes.exactly(2));
    }

    @Test
    void badRequestIsNotRetriedAndShowsTheGatewaysText() {
        mock.when(request().withMethod("PUT")).respond(response().withStatusCode(400)
                .withBody("pushed metrics are invalid or inconsistent with existing metrics: collected metric x"));
        PushReport r = push(mockUri());
        assertEquals(PushReport.Outcome.SPOOLED, r.outcome(), r.line());
        assertTrue(r.line().contains("answered 400"), r.line());
        assertTrue(r.line().contains("inconsistent with existing metrics"), r.line());
        mock.verify(request().withMethod("PUT"), VerificationTimes.exactly(1));
    }

    @Test
    void unauthorizedIsNotRetriedAndNeverShowsTheCredentials() {
        mock.when(request().withMethod("PUT")).respond(response().withStatusCode(401).withBody("Unauthorized"));
        PushReport r = push(mockUri());
        assertTrue(r.line().contains("answered 401"), r.line());
        mock.verify(request().withMethod("PUT").withHeader("Authorization", "Basic .*"),
                VerificationTimes.exactly(1));
    }

    @Test
    void tooManyRequestsHonoursRetryAfterWithinTheDeadline() {
        mock.when(request().withMethod("PUT"), Times.once()).respond(response().withStatusCode(429)
                .withHeader("Retry-After", "1"));
        mock.when(request().withMethod("PUT")).respond(response().withStatusCode(202));
        long start = System.nanoTime();
        PushReport r = push(mockUri());
        assertEquals(PushReport.Outcome.PUSHED, r.outcome(), r.line());
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(950), "waited for Retry-After");
    }

    @Test
    void retryAfterBeyondTheDeadlineGivesUpAtOnce() {
        mock.when(request().withMethod("PUT")).respond(response().withStatusCode(429)
                .withHeader("Retry-After", "60"));
        PushReport r = push(mockUri());
        assertEquals(PushReport.Outcome.SPOOLED, r.outcome(), r.line());
        assertTrue(r.line().contains("Retry-After 60s is beyond the push-timeout"), r.line());
        mock.verify(request().withMethod("PUT"), VerificationTimes.exactly(1));
    }

    @Test
    void redirectIsAFailureAndIsNotFollowed() {
        mock.when(request().withMethod("PUT").withPath("/metrics/job/fault_job")).respond(response()
                .withStatusCode(301).withHeader("Location", "/metrics/job/other"));
        PushReport r = push(mockUri());
        assertEquals(PushReport.Outcome.SPOOLED, r.outcome(), r.line());
        mock.verify(request().withPath("/metrics/job/other"), VerificationTimes.exactly(0));
    }

    /** A one-connection loopback server that reads the request and answers {@code answer} (possibly nothing). */
    private static URI answering(byte[] answer, List<AutoCloseable> toClose) throws Exception {
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        toClose.add(server);
        Thread t = new Thread(() -> {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!server.isClosed() && System.nanoTime() < end) {
                try (Socket s = server.accept()) {
                    s.setSoTimeout(2_000);
                    s.getInputStream().read(new byte[65536]);
                    s.getOutputStream().write(answer);
                } catch (Exception e) {
                    // the client gave up, or the test closed the server
                }
            }
        }, "answering");
        t.setDaemon(true);
        t.start();
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    @Test
    void serverThatClosesWithoutAnAnswerIsSaidSoInsteadOfAnsweredMinusOne() throws Exception {
        List<AutoCloseable> open = new ArrayList<>();
        try {
            PushReport r = push(answering(new byte[0], open));
            assertEquals(PushReport.Outcome.SPOOLED, r.outcome(), r.line());
            assertTrue(r.line().contains("the server closed the connection without an HTTP answer"), r.line());
            assertFalse(r.line().contains("answered -1"), r.line());
        } finally {
            for (AutoCloseable c : open) {
                c.close();
            }
        }
    }

    @Test
    void serverThatAnswersSomethingOtherThanHttpIsSaidSoInsteadOfAnsweredMinusOne() throws Exception {
        List<AutoCloseable> open = new ArrayList<>();
        try {
            PushReport r = push(answering("SSH-2.0-OpenSSH_9.6\r\n\r\n".getBytes(StandardCharsets.US_ASCII), open));
            assertEquals(PushReport.Outcome.SPOOLED, r.outcome(), r.line());
            assertTrue(r.line().contains("not an HTTP answer") || r.line().contains("without an HTTP answer"),
                    r.line());
            assertFalse(r.line().contains("answered -1"), r.line());
        } finally {
            for (AutoCloseable c : open) {
                c.close();
            }
        }
    }

    @Test
    void bearerTokenWithALineBreakIsNeverSentAndNeverShown() {
        PushReport r = push(mockUri(), "Bearer tok-" + SECRET + "\nsecond-line-" + SECRET);
        assertEquals(PushReport.Outcome.SPOOLED, r.outcome(), r.line());
        assertTrue(r.line().contains("cannot send credentials"), r.line());
        mock.verify(request().withMethod("PUT"), VerificationTimes.exactly(0));
    }

    @Test
    void gatewayEchoingTheCredentialInItsErrorTextIsRedacted() {
        String token = "tok-" + SECRET;
        mock.when(request().withMethod("PUT")).respond(response().withStatusCode(400)
                .withBody("invalid bearer token " + token));
        PushReport r = push(mockUri(), "Bearer " + token);
        assertTrue(r.line().contains("answered 400") && r.line().contains("<credential>"), r.line());
    }
}

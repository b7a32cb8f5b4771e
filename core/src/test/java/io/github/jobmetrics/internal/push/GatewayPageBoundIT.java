package io.github.jobmetrics.internal.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jobmetrics.internal.model.MetricNames;
import io.github.jobmetrics.internal.model.RunEnding;
import io.github.jobmetrics.internal.model.RunRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading the gateway's page for {@code accumulate} is bounded in size and time, whatever the server sends. */
class GatewayPageBoundIT {
    private static final MetricNames NAMES = new MetricNames(MetricNames.DEFAULT_PREFIX);
    @TempDir Path spoolDir;

    @Test
    void endlessMetricsPageIsCutAtTheBoundAndTheRunIsStillPushedWithinItsDeadline() throws Exception {
        List<String> err = new ArrayList<>();
        try (EndlessPageServer server = EndlessPageServer.start()) {
            PushEngine engine = PushEngine.builder()
                    .gateway(server.uri(), new HttpPusher(server.uri(), Optional::empty, null))
                    .group(GroupingKey.of("endless_page", Map.of()))
                    .pushTimeout(Duration.ofSeconds(5))
                    .spool(Spool.withDefaults(spoolDir, err::add))
                    .keepLastSuccess(NAMES.lastSuccess())
                    .accumulate(NAMES.counterLabels())
                    .err(err::add)
                    .build();
            long started = System.nanoTime();
            PushReport report = engine.pushFinal(RunRegistry.builder().build().collect(RunEnding.success(1_000)),
                    true);
            long millis = (System.nanoTime() - started) / 1_000_000;

            assertEquals(PushReport.Outcome.PUSHED, report.outcome(), report.line() + err);
            assertTrue(millis < 5_500, "took " + millis + " ms");
            assertTrue(err.stream().anyMatch(l -> l.contains("larger than 32 MiB")), err.toString());
            // what the server wrote includes what the kernel buffers on loopback, a few MiB
            assertTrue(server.pagesBytes() <= HttpPusher.MAX_PAGE_BYTES + (16 << 20),
                    "read " + server.pagesBytes() + " bytes of the page");
            assertEquals(1, server.pushes(), "the run itself still went out");
        }
    }

    /**
     * A loopback server whose {@code /metrics} page never ends (at most 60 s or 2 GiB), and which accepts pushes.
     */
    private static final class EndlessPageServer implements AutoCloseable {
        private final ServerSocket server;
        private final AtomicInteger pushes = new AtomicInteger();
        private volatile long pageBytes;

        private EndlessPageServer(ServerSocket server) {
            this.server = server;
            Thread t = new Thread(this::serve, "endless-page");
            t.setDaemon(true);
            t.start();
        }

        static EndlessPageServer start() throws IOException {
            return new EndlessPageServer(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
        }

        URI uri() {
            return URI.create("http://127.0.0.1:" + server.getLocalPort());
        }

        int pushes() {
            return pushes.get();
        }

        long pagesBytes() {
            return pageBytes;
        }

        private void serve() {
            long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!server.isClosed() && System.nanoTime() < end) {
                try (Socket s = server.accept()) {
                    s.setSoTimeout(5_000);
                    String head = readHead(s.getInputStream());
                    OutputStream out = s.getOutputStream();
                    if (head.startsWith("GET ")) {
                        out.write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n"
                                .getBytes(StandardCharsets.US_ASCII));
                        byte[] chunk = new byte[64 * 1024];
                        Arrays.fill(chunk, (byte) '#');
                        for (long sent = 0; sent < (2L << 30) && System.nanoTime() < end; sent += chunk.length) {
                            out.write(chunk);
                            pageBytes = sent + chunk.length;
                        }
                    } else {
                        int length = Integer.parseInt(head.replaceAll("(?s).*Content-Length: (\\d+).*", "$1"));
                        s.getInputStream().readNBytes(length);
                        pushes.incrementAndGet();
                        out.write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                                .getBytes(StandardCharsets.US_ASCII));
                    }
                } catch (IOException | RuntimeException e) {
                    // the client stopped reading, or we were closed
                }
            }
        }

        private static String readHead(InputStream in) throws IOException {
            StringBuilder sb = new StringBuilder();
            int c;
            while (sb.length() < 16_384 && (c = in.read()) >= 0) {
                sb.append((char) c);
                if (sb.length() >= 4 && sb.substring(sb.length() - 4).equals("\r\n\r\n")) {
                    break;
                }
            }
            return sb.toString();
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}

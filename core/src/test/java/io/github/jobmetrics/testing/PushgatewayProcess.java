package io.github.jobmetrics.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real Pushgateway (Debian's {@code prometheus-pushgateway}) on a free loopback port, started and stopped by
 * the test that uses it.
 */
public final class PushgatewayProcess implements AutoCloseable {
    private static final String BINARY = "prometheus-pushgateway";

    private final Process process;
    private final int port;
    private final Path log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private PushgatewayProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts one and waits (at most 15 s) until it answers {@code /-/ready}. */
    public static PushgatewayProcess start() throws IOException, InterruptedException {
        return start(3, -1);
    }

    /** Starts one on {@code port} (one a test used while it was down), waiting as {@link #start()} does. */
    public static PushgatewayProcess startOn(int port) throws IOException, InterruptedException {
        return start(1, port);
    }

    private static PushgatewayProcess start(int attempts, int fixedPort) throws IOException, InterruptedException {
        IOException last = null;
        for (int attempt = 0; attempt < attempts; attempt++) {
            int port = fixedPort > 0 ? fixedPort : FreePort.next();
            Path log = Files.createTempFile("pushgateway", ".log");
            // Debian's build persists to /var/lib/prometheus/pushgateway.data by default, shared by every
            // instance on the machine: an empty value keeps each test's gateway in memory and to itself.
            Process p = new ProcessBuilder(List.of(BINARY, "--web.listen-address=127.0.0.1:" + port,
                    "--persistence.file="))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            PushgatewayProcess gw = new PushgatewayProcess(p, port, log);
            if (gw.awaitReady(Duration.ofSeconds(15))) {
                return gw;
            }
            last = new IOException("pushgateway did not become ready on port " + port + ": "
                    + Files.readString(log));
            gw.close();
        }
        throw last;
    }

    private boolean awaitReady(Duration max) throws InterruptedException {
        return ReadyProbe.await(http, process, uri("/-/ready"), max);
    }

    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public int port() {
        return port;
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** The gateway's {@code /metrics} page. */
    public String metricsPage() throws IOException, InterruptedException {
        return get("/metrics");
    }

    /** The gateway's {@code /api/v1/metrics} JSON. */
    public String apiMetrics() throws IOException, InterruptedException {
        return get("/api/v1/metrics");
    }

    public String get(String path) throws IOException, InterruptedException {
        return LoopbackServers.get(http, uri(path));
    }

    @Override
    public void close() {
        LoopbackServers.stop(process, log);
    }
}

package io.github.jobmetrics.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

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
        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            int port = FreePort.next();
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
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(5))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("GET " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            Files.deleteIfExists(log);
        } catch (IOException ignored) {
            // a temp file; the OS cleans it
        }
    }
}

package io.github.jobmetrics.testing;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A real Prometheus on a free loopback port with its own temporary storage, scraping one Pushgateway every
 * second with {@code honor_labels: true} and evaluating the given rule files every second. Started and stopped
 * by the test that uses it. The remote-write receiver is {@link PrometheusProcess}.
 */
public final class ScrapingPrometheus implements AutoCloseable {
    private static final String BINARY = "prometheus";

    private final Process process;
    private final int port;
    private final Path dir;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private ScrapingPrometheus(Process process, int port, Path dir) {
        this.process = process;
        this.port = port;
        this.dir = dir;
    }

    /** Starts one scraping {@code pushgateway} and waits (at most 30 s) until it answers {@code /-/ready}. */
    public static ScrapingPrometheus start(URI pushgateway, List<Path> ruleFiles)
            throws IOException, InterruptedException {
        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            int port = FreePort.next();
            Path dir = Files.createTempDirectory("prometheus");
            Path config = dir.resolve("prometheus.yml");
            Files.writeString(config, config(pushgateway, ruleFiles), StandardCharsets.UTF_8);
            Path log = dir.resolve("prometheus.log");
            // Debian's build has a default storage path shared by the machine: always our own temp directory.
            Process p = new ProcessBuilder(List.of(BINARY, "--config.file=" + config,
                    "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            ScrapingPrometheus prom = new ScrapingPrometheus(p, port, dir);
            if (prom.awaitReady(Duration.ofSeconds(30))) {
                return prom;
            }
            last = new IOException("prometheus did not become ready on port " + port + ": " + prom.log());
            prom.close();
        }
        throw last;
    }

    private static String config(URI pushgateway, List<Path> ruleFiles) {
        String rules = ruleFiles.stream().map(r -> "  - '" + r.toAbsolutePath().normalize() + "'")
                .collect(Collectors.joining("\n"));
        return "global:\n"
                + "  scrape_interval: 1s\n"
                + "  scrape_timeout: 1s\n"
                + "  evaluation_interval: 1s\n"
                + "rule_files:\n" + rules + "\n"
                + "scrape_configs:\n"
                + "  - job_name: pushgateway\n"
                + "    honor_labels: true\n"
                + "    static_configs:\n"
                + "      - targets: ['" + pushgateway.getHost() + ":" + pushgateway.getPort() + "']\n";
    }

    private boolean awaitReady(Duration max) throws InterruptedException {
        return ReadyProbe.await(http, process, uri("/-/ready"), max);
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** The JSON answer of {@code /api/v1/query} for {@code promql}, evaluated now. */
    public String query(String promql) throws IOException, InterruptedException {
        return get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    }

    /** The JSON answer of {@code /api/v1/alerts}. */
    public String alerts() throws IOException, InterruptedException {
        return get("/api/v1/alerts");
    }

    public String get(String path) throws IOException, InterruptedException {
        return LoopbackServers.get(http, uri(path));
    }

    /** Prometheus' own log so far, for failure messages. */
    public String log() {
        try {
            return Files.readString(dir.resolve("prometheus.log"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "<no log: " + e + ">";
        }
    }

    @Override
    public void close() {
        LoopbackServers.stop(process, dir);
    }
}

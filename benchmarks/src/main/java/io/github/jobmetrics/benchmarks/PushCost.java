package io.github.jobmetrics.benchmarks;

import io.github.jobmetrics.internal.push.Exposition;
import io.github.jobmetrics.internal.push.GroupingKey;
import io.github.jobmetrics.internal.push.HttpPusher;
import io.github.jobmetrics.internal.push.PushEngine;
import io.github.jobmetrics.internal.push.PushReport;
import io.github.jobmetrics.internal.push.Spool;
import io.prometheus.client.Collector;
import io.prometheus.client.Collector.MetricFamilySamples;
import io.prometheus.client.Collector.MetricFamilySamples.Sample;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.exporter.pushgateway.PushGateway;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Time to push N series to a real Pushgateway: a plain {@link HttpClient} PUT of the ready body (the floor),
 * jobmetrics' {@link PushEngine} (checks, encoding, push), and prometheus-metrics-exporter-pushgateway 1.x. Prints
 * one tab-separated line per size: series, floor ms, jobmetrics ms, 1.x ms (medians).
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.github.jobmetrics.benchmarks.PushCost http://127.0.0.1:PORT reps
 * sizes...}
 */
public final class PushCost {
    private PushCost() {
    }

    public static void main(String[] args) throws Exception {
        URI gateway = URI.create(args[0]);
        int reps = Integer.parseInt(args[1]);
        int[] sizes = Arrays.stream(args, 2, args.length).mapToInt(Integer::parseInt).toArray();
        HttpClient http = HttpClient.newHttpClient();
        System.out.println("series\tfloor_ms\tjobmetrics_ms\tprometheus_metrics_1x_ms");
        for (int n : sizes) {
            List<MetricFamilySamples> families = families(n);
            byte[] body = Exposition.bytes(families);
            PushEngine engine = PushEngine.builder()
                    .gateway(gateway, new HttpPusher(gateway, Optional::empty, null))
                    .group(GroupingKey.of("bench_jobmetrics", Map.of()))
                    .pushTimeout(Duration.ofSeconds(60))
                    .spool(Spool.withDefaults(Files.createTempDirectory("bench-spool"), line -> { }))
                    .build();
            PrometheusRegistry registry = new PrometheusRegistry();
            Gauge gauge = Gauge.builder().name("bench_value").help("h").labelNames("i").register(registry);
            for (int i = 0; i < n; i++) {
                gauge.labelValues(Integer.toString(i)).set(i);
            }
            PushGateway peer = PushGateway.builder().address(gateway.getHost() + ":" + gateway.getPort())
                    .job("bench_peer").registry(registry).build();

            long[] floor = new long[reps];
            long[] ours = new long[reps];
            long[] theirs = new long[reps];
            for (int r = -2; r < reps; r++) {
                // two warm-up rounds, then interleaved measurements so drift hits all three alike
                long a = System.nanoTime();
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(
                        URI.create(gateway + "/metrics/job/bench_floor"))
                        .header("Content-Type", "text/plain; version=0.0.4")
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                        HttpResponse.BodyHandlers.discarding());
                long b = System.nanoTime();
                PushReport report = engine.pushFinal(families, true);
                long c = System.nanoTime();
                peer.push();
                long d = System.nanoTime();
                if (response.statusCode() / 100 != 2 || report.outcome() != PushReport.Outcome.PUSHED) {
                    throw new IllegalStateException("push failed: " + response.statusCode() + " / " + report.line());
                }
                if (r >= 0) {
                    floor[r] = b - a;
                    ours[r] = c - b;
                    theirs[r] = d - c;
                }
            }
            System.out.printf("%d\t%.2f\t%.2f\t%.2f%n", n, median(floor), median(ours), median(theirs));
        }
    }

    private static List<MetricFamilySamples> families(int n) {
        List<Sample> samples = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            samples.add(new Sample("bench_value", List.of("i"), List.of(Integer.toString(i)), i));
        }
        return List.of(new MetricFamilySamples("bench_value", Collector.Type.GAUGE, "h", samples));
    }

    private static double median(long[] nanos) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        double m = s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2.0;
        return m / 1e6;
    }
}

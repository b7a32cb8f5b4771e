package io.github.jobmetrics.benchmarks;

import io.github.jobmetrics.internal.push.GroupingKey;
import io.github.jobmetrics.internal.push.HttpPusher;
import io.github.jobmetrics.internal.push.PushEngine;
import io.github.jobmetrics.internal.push.PushReport;
import io.github.jobmetrics.internal.push.Spool;
import io.github.jobmetrics.internal.push.remotewrite.RemoteWritePusher;
import io.github.jobmetrics.internal.push.remotewrite.RemoteWriteSink;
import io.prometheus.client.Collector;
import io.prometheus.client.Collector.MetricFamilySamples;
import io.prometheus.client.Collector.MetricFamilySamples.Sample;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * A fleet of distinct jobs, each delivering one run of {@code series} series, through jobmetrics' own delivery
 * code ({@link PushEngine} on {@link HttpPusher} for a Pushgateway, {@link RemoteWriteSink} on
 * {@link RemoteWritePusher} for a remote-write receiver), with a bounded thread pool. For a gateway the jobs go in
 * steps up to each checkpoint, and after each step one {@code GET /metrics} is timed (median of 3) and its size
 * noted. Prints tab-separated lines: {@code step <from> <to> <runs/s>}, {@code runs <n> <seconds> <runs/s>} and
 * {@code scrape <groups> <bytes> <ms>}.
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.github.jobmetrics.benchmarks.FleetSimulation gateway|remote-write
 * URL series threads checkpoint...} (the last checkpoint is the number of jobs).
 */
public final class FleetSimulation {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private FleetSimulation() {
    }

    public static void main(String[] args) throws Exception {
        boolean gateway = args[0].equals("gateway");
        URI url = URI.create(args[1]);
        int series = Integer.parseInt(args[2]);
        int threads = Integer.parseInt(args[3]);
        int[] checkpoints = Arrays.stream(args, 4, args.length).mapToInt(Integer::parseInt).toArray();
        Path spoolDir = Files.createTempDirectory("fleet-spool");
        Spool spool = Spool.withDefaults(spoolDir, line -> { });
        HttpPusher gatewayPusher = gateway ? new HttpPusher(url, Optional::empty, null) : null;
        RemoteWritePusher receiverPusher = gateway ? null : new RemoteWritePusher(url, Map.of(), Optional::empty, null);
        HttpClient http = HttpClient.newHttpClient();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            int done = 0;
            long pushNanos = 0;
            for (int checkpoint : checkpoints) {
                List<Future<PushReport>> runs = new ArrayList<>();
                long start = System.nanoTime();
                for (int j = done; j < checkpoint; j++) {
                    String job = "fleet_job_" + j;
                    List<MetricFamilySamples> families = families(job, series);
                    runs.add(pool.submit(() -> gateway
                            ? PushEngine.builder().gateway(url, gatewayPusher).group(GroupingKey.of(job, Map.of()))
                                    .pushTimeout(TIMEOUT).spool(spool).build().pushFinal(families, true)
                            : new RemoteWriteSink(url, receiverPusher, GroupingKey.of(job, Map.of()), TIMEOUT, 2)
                                    .deliver(families, System.currentTimeMillis())));
                }
                for (Future<PushReport> run : runs) {
                    PushReport report = run.get(60, TimeUnit.SECONDS);
                    if (report.outcome() != PushReport.Outcome.PUSHED) {
                        throw new IllegalStateException("not delivered: " + report.line());
                    }
                }
                long stepNanos = System.nanoTime() - start;
                pushNanos += stepNanos;
                System.out.printf("step\t%d\t%d\t%.0f%n", done, checkpoint, (checkpoint - done) / (stepNanos / 1e9));
                done = checkpoint;
                if (gateway) {
                    scrape(http, url, done);
                }
            }
            double seconds = pushNanos / 1e9;
            System.out.printf("runs\t%d\t%.2f\t%.0f%n", done, seconds, done / seconds);
        } finally {
            pool.shutdownNow();
        }
    }

    /** One timed scrape of the gateway's whole page, as Prometheus would do it; the median of three. */
    private static void scrape(HttpClient http, URI gateway, int groups) throws Exception {
        long[] nanos = new long[3];
        long bytes = 0;
        for (int i = 0; i < nanos.length; i++) {
            long a = System.nanoTime();
            HttpResponse<byte[]> page = http.send(HttpRequest.newBuilder(URI.create(gateway + "/metrics"))
                    .timeout(TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            nanos[i] = System.nanoTime() - a;
            if (page.statusCode() != 200) {
                throw new IllegalStateException("GET /metrics answered " + page.statusCode());
            }
            bytes = page.body().length;
        }
        Arrays.sort(nanos);
        System.out.printf("scrape\t%d\t%d\t%.1f%n", groups, bytes, nanos[1] / 1e6);
    }

    /** A run's families as a job of {@code series} series would report them: a few run gauges, the rest steps. */
    private static List<MetricFamilySamples> families(String job, int series) {
        List<MetricFamilySamples> families = new ArrayList<>();
        families.add(gauge("job_last_success_timestamp_seconds", List.of(), List.of(),
                System.currentTimeMillis() / 1e3));
        families.add(gauge("job_duration_seconds", List.of(), List.of(), 12.5));
        List<Sample> steps = new ArrayList<>();
        for (int i = 0; i < series - 2; i++) {
            steps.add(new Sample("job_records_total", List.of("step"), List.of("step_" + i), 1000 + i));
        }
        families.add(new MetricFamilySamples("job_records", Collector.Type.COUNTER, "records per step", steps));
        return families;
    }

    private static MetricFamilySamples gauge(String name, List<String> labels, List<String> values, double value) {
        return new MetricFamilySamples(name, Collector.Type.GAUGE, "h",
                List.of(new Sample(name, labels, values, value)));
    }
}

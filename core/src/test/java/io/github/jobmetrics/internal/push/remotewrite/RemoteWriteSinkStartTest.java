package io.github.jobmetrics.internal.push.remotewrite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jobmetrics.internal.model.RunEnding;
import io.github.jobmetrics.internal.model.RunRegistry;
import io.github.jobmetrics.internal.push.GroupingKey;
import io.github.jobmetrics.internal.push.PushFailure;
import io.github.jobmetrics.internal.push.PushRequest;
import io.github.jobmetrics.internal.push.Pusher;
import io.github.jobmetrics.internal.push.remotewrite.prompb.Label;
import io.github.jobmetrics.internal.push.remotewrite.prompb.TimeSeries;
import io.github.jobmetrics.internal.push.remotewrite.prompb.WriteRequest;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.xerial.snappy.Snappy;

class RemoteWriteSinkStartTest {
    private static final URI URL = URI.create("http://127.0.0.1:9/api/v1/write");
    private static final GroupingKey GROUP = GroupingKey.of("etl", Map.of("instance", "a"));
    private static final long START = 1_764_480_000_000L;

    /** Keeps every request it is given and answers 2xx. */
    private static final class Recording implements Pusher {
        final List<byte[]> bodies = new CopyOnWriteArrayList<>();

        @Override
        public void send(PushRequest request, Duration timeout) {
            bodies.add(request.body());
        }

        @Override
        public String readMetrics(Duration timeout) throws PushFailure {
            throw PushFailure.permanent("not a gateway");
        }

        @Override
        public void abort() {
        }
    }

    private static RunRegistry registry() {
        return RunRegistry.builder().startEpochMillis(START).jobSlo(Duration.ofMinutes(10)).build();
    }

    /** Each series of the request: its sorted labels and its one sample's value and time. */
    private static Map<Map<String, String>, double[]> series(byte[] body) throws Exception {
        Map<Map<String, String>, double[]> out = new LinkedHashMap<>();
        for (TimeSeries ts : WriteRequest.parseFrom(Snappy.uncompress(body)).getTimeseriesList()) {
            Map<String, String> labels = new TreeMap<>(ts.getLabelsList().stream()
                    .collect(Collectors.toMap(Label::getName, Label::getValue)));
            out.put(labels, new double[] {ts.getSamples(0).getValue(), ts.getSamples(0).getTimestamp()});
        }
        return out;
    }

    private static Map<String, String> labels(String name) {
        return new TreeMap<>(Map.of("__name__", name, "job", "etl", "instance", "a"));
    }

    @Test
    void theStartSampleIsRunningOneTheStartTimeAndTheObjectiveOnTheSameSeriesAsTheFinalWrite() throws Exception {
        Recording finalPusher = new Recording();
        Recording startPusher = new Recording();
        RemoteWriteSink sink = new RemoteWriteSink(URL, finalPusher, GROUP, Duration.ofSeconds(5), 0, null,
                line -> { }, startPusher);
        sink.writeStartAsync(registry().collectStartWithObjective(), START);
        sink.deliver(registry().collect(RunEnding.success(START + 60_000)), START + 60_000);

        assertEquals(1, startPusher.bodies.size(), "the start sample goes through its own pusher");
        Map<Map<String, String>, double[]> start = series(startPusher.bodies.get(0));
        assertEquals(3, start.size(), start.keySet().toString());
        assertEquals(List.of(1.0, (double) START), values(start, "batch_job_running"));
        assertEquals(List.of(START / 1000.0, (double) START), values(start, "batch_job_start_timestamp_seconds"));
        assertEquals(List.of(600.0, (double) START), values(start, "batch_job_duration_slo_seconds"));

        Map<Map<String, String>, double[]> end = series(finalPusher.bodies.get(0));
        assertTrue(end.keySet().containsAll(start.keySet()), "the final write has every series of the start");
        assertEquals(List.of(0.0, (double) (START + 60_000)), values(end, "batch_job_running"));
    }

    @Test
    void aRunEndingInTheMillisecondItStartedIsWrittenOneMillisecondAfterItsStartSample() throws Exception {
        Recording finalPusher = new Recording();
        RemoteWriteSink sink = new RemoteWriteSink(URL, finalPusher, GROUP, Duration.ofSeconds(5), 0, null,
                line -> { }, new Recording());
        sink.writeStartAsync(registry().collectStartWithObjective(), START);
        sink.deliver(registry().collect(RunEnding.success(START)), START);
        for (double[] sample : series(finalPusher.bodies.get(0)).values()) {
            assertEquals(START + 1, (long) sample[1]);
        }
    }

    @Test
    void withoutAPusherOfItsOwnNoStartSampleIsWrittenAndTheEndKeepsItsTime() throws Exception {
        Recording pusher = new Recording();
        RemoteWriteSink sink = new RemoteWriteSink(URL, pusher, GROUP, Duration.ofSeconds(5), 0);
        sink.writeStartAsync(registry().collectStartWithObjective(), START);
        sink.deliver(registry().collect(RunEnding.success(START)), START);
        assertEquals(1, pusher.bodies.size());
        assertEquals(List.of(0.0, (double) START), values(series(pusher.bodies.get(0)), "batch_job_running"));
    }

    private static List<Double> values(Map<Map<String, String>, double[]> series, String name) {
        double[] sample = series.get(labels(name));
        List<Double> out = new ArrayList<>();
        if (sample != null) {
            out.add(sample[0]);
            out.add(sample[1]);
        }
        return out;
    }
}

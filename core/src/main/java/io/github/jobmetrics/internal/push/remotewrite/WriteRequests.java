package io.github.jobmetrics.internal.push.remotewrite;

import static java.util.Objects.requireNonNull;

import io.github.jobmetrics.internal.push.GroupingKey;
import io.github.jobmetrics.internal.push.remotewrite.prompb.Label;
import io.github.jobmetrics.internal.push.remotewrite.prompb.Sample;
import io.github.jobmetrics.internal.push.remotewrite.prompb.TimeSeries;
import io.github.jobmetrics.internal.push.remotewrite.prompb.WriteRequest;
import io.prometheus.client.Collector.MetricFamilySamples;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.xerial.snappy.Snappy;

/**
 * Turns a run's families into one remote-write 1.0 {@link WriteRequest}: one series per sample, labelled with the
 * sample's own labels, {@code __name__} and the run's grouping labels ({@code job} first among them), sorted by
 * name as receivers require; every sample at the one timestamp of the run, so a run is one point in time for
 * {@code sum_over_time} (see docs/remote-write.md).
 */
public final class WriteRequests {
    static final String NAME_LABEL = "__name__";

    private WriteRequests() {
    }

    /** The request for {@code families} of the run of {@code group} that ended at {@code timestampMillis}. */
    public static WriteRequest of(List<MetricFamilySamples> families, GroupingKey group, long timestampMillis) {
        requireNonNull(families, "families must not be null");
        requireNonNull(group, "group must not be null");
        Map<String, String> grouping = group.allLabels();
        WriteRequest.Builder request = WriteRequest.newBuilder();
        for (MetricFamilySamples family : families) {
            for (MetricFamilySamples.Sample s : family.samples) {
                // A TreeMap sorts by name in String order, which is the byte order receivers check for ASCII names.
                Map<String, String> labels = new TreeMap<>();
                for (int i = 0; i < s.labelNames.size(); i++) {
                    labels.put(s.labelNames.get(i), s.labelValues.get(i));
                }
                // The grouping labels win over a sample's own, as they do on a Pushgateway group.
                labels.putAll(grouping);
                labels.put(NAME_LABEL, s.name);
                TimeSeries.Builder series = request.addTimeseriesBuilder();
                labels.forEach((name, value) -> series.addLabels(Label.newBuilder().setName(name).setValue(value)));
                series.addSamples(Sample.newBuilder().setValue(s.value).setTimestamp(timestampMillis));
            }
        }
        return request.build();
    }

    /** The request as sent: protobuf, snappy block compressed (not the framed stream format). */
    public static byte[] compressed(WriteRequest request) {
        try {
            return Snappy.compress(request.toByteArray());
        } catch (IOException e) {
            // Snappy.compress(byte[]) declares IOException but fails only when its native library cannot load.
            throw new UncheckedIOException("snappy compression failed: " + e.getMessage(), e);
        }
    }
}

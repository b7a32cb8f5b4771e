package io.github.jobmetrics.push;

import io.prometheus.client.Collector.MetricFamilySamples;
import io.prometheus.client.exporter.common.TextFormat;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;

/** Writes families in the text format 0.0.4 that the Pushgateway reads. */
public final class Exposition {
    private Exposition() {
    }

    public static String text(List<MetricFamilySamples> families) {
        StringWriter w = new StringWriter();
        try {
            TextFormat.write004(w, Collections.enumeration(families));
        } catch (IOException e) {
            throw new UncheckedIOException("a StringWriter does not fail", e);
        }
        return w.toString();
    }

    public static byte[] bytes(List<MetricFamilySamples> families) {
        return text(families).getBytes(StandardCharsets.UTF_8);
    }

    /** Number of series, for the one-line report. */
    public static int seriesCount(List<MetricFamilySamples> families) {
        return families.stream().mapToInt(f -> f.samples.size()).sum();
    }
}

package io.github.jobmetrics.internal.push;

import io.prometheus.client.Collector.MetricFamilySamples;
import io.prometheus.client.exporter.common.TextFormat;
import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
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
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        try (Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 65536)) {
            TextFormat.write004(w, Collections.enumeration(families));
        } catch (IOException e) {
            throw new UncheckedIOException("a ByteArrayOutputStream does not fail", e);
        }
        return out.toByteArray();
    }

    /** Number of series, for the one-line report. */
    public static int seriesCount(List<MetricFamilySamples> families) {
        return families.stream().mapToInt(f -> f.samples.size()).sum();
    }
}

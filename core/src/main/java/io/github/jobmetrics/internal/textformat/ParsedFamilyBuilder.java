package io.github.jobmetrics.internal.textformat;

import io.prometheus.client.Collector;
import io.prometheus.client.Collector.MetricFamilySamples;
import io.prometheus.client.Collector.MetricFamilySamples.Sample;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One family while it is being read: its metadata, which sample names it accepts, and its samples.
 *
 * <p>The simpleclient family name is derived from the name on the TYPE line so that simpleclient's
 * {@code TextFormat.write004} writes the same TYPE line again: a counter declared as {@code x_total} is family
 * {@code x}. A counter declared without {@code _total} cannot be represented as a simpleclient counter without
 * renaming its samples (the {@code MetricFamilySamples} constructor appends {@code _total}), so it is kept as an
 * UNKNOWN family under its exact name. The same happens to a counter {@code x_total} when a family {@code x}
 * already exists (Go clients expose gauge {@code go_memstats_alloc_bytes} next to counter
 * {@code go_memstats_alloc_bytes_total}): valid text, but the two cannot share a simpleclient family name.
 */
final class ParsedFamilyBuilder {

    private static final String TOTAL = "_total";

    private final String metadataName;
    private final int firstLine;
    private String familyName;
    private Collector.Type type;
    private int typeLine;
    private String help;
    private int helpLine;
    private int firstSampleLine;
    private final List<Sample> samples = new ArrayList<>();

    ParsedFamilyBuilder(String metadataName, int firstLine) {
        this.metadataName = metadataName;
        this.familyName = metadataName;
        this.firstLine = firstLine;
    }

    String metadataName() {
        return metadataName;
    }

    String familyName() {
        return familyName;
    }

    int firstLine() {
        return firstLine;
    }

    boolean hasType() {
        return type != null;
    }

    int typeLine() {
        return typeLine;
    }

    boolean hasHelp() {
        return help != null;
    }

    int helpLine() {
        return helpLine;
    }

    boolean hasSamples() {
        return !samples.isEmpty();
    }

    int firstSampleLine() {
        return firstSampleLine;
    }

    void help(String text, int line) {
        help = text;
        helpLine = line;
    }

    void type(Collector.Type declared, int line) {
        typeLine = line;
        boolean totalCounter = declared == Collector.Type.COUNTER && metadataName.endsWith(TOTAL)
                && metadataName.length() > TOTAL.length();
        if (totalCounter) {
            familyName = metadataName.substring(0, metadataName.length() - TOTAL.length());
            type = declared;
        } else {
            type = declared == Collector.Type.COUNTER ? Collector.Type.UNKNOWN : declared;
        }
    }

    /** Keeps the exact declared name, as UNKNOWN, when the counter's family name is taken by another family. */
    void keepExactName() {
        familyName = metadataName;
        type = Collector.Type.UNKNOWN;
    }

    void add(Sample sample, int line) {
        if (samples.isEmpty()) {
            firstSampleLine = line;
        }
        samples.add(sample);
    }

    /** Returns whether a sample called {@code sampleName} belongs to this family. */
    boolean accepts(String sampleName) {
        if (type == null) {
            return sampleName.equals(metadataName);
        }
        return switch (type) {
            case COUNTER -> sampleName.equals(metadataName) || isSuffixed(sampleName, "_created");
            case SUMMARY -> sampleName.equals(familyName) || isSuffixed(sampleName, "_count")
                    || isSuffixed(sampleName, "_sum") || isSuffixed(sampleName, "_created");
            case HISTOGRAM -> isSuffixed(sampleName, "_bucket") || isSuffixed(sampleName, "_count")
                    || isSuffixed(sampleName, "_sum") || isSuffixed(sampleName, "_created");
            default -> sampleName.equals(metadataName);
        };
    }

    /** Describes the sample names this family accepts, for error messages. */
    String acceptedNames() {
        String base = Snippet.quote(familyName);
        if (type == null) {
            return "this family holds only samples named " + base;
        }
        return switch (type) {
            case COUNTER -> "counter " + base + " holds samples " + base + " + _total or _created";
            case SUMMARY -> "summary " + base + " holds samples " + base + " and its _count, _sum, _created";
            case HISTOGRAM -> "histogram " + base + " holds samples " + base + " + _bucket, _count, _sum, _created";
            default -> "this family holds only samples named " + base;
        };
    }

    /** Returns whether this is a summary quantile sample, which must carry a {@code quantile} label. */
    boolean needsQuantile(String sampleName) {
        return type == Collector.Type.SUMMARY && sampleName.equals(familyName);
    }

    /** Returns whether this is a histogram bucket sample, which must carry an {@code le} label. */
    boolean needsLe(String sampleName) {
        return type == Collector.Type.HISTOGRAM && isSuffixed(sampleName, "_bucket");
    }

    MetricFamilySamples build() {
        return new MetricFamilySamples(familyName, type == null ? Collector.Type.UNKNOWN : type,
                help == null ? "" : help, Collections.unmodifiableList(samples));
    }

    private boolean isSuffixed(String sampleName, String suffix) {
        return sampleName.length() == familyName.length() + suffix.length() && sampleName.startsWith(familyName)
                && sampleName.endsWith(suffix);
    }
}

package io.github.jobmetrics.internal.textformat;

import io.prometheus.client.Collector.MetricFamilySamples;
import io.prometheus.client.Collector.MetricFamilySamples.Sample;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Groups metadata lines and samples into families, enforcing that each family is declared at most once, before
 * its samples, and that its lines are contiguous: the rules under which Prometheus and the Pushgateway accept an
 * exposition.
 */
final class FamilyAssembler {

    private static final String CONTIGUOUS = "a family's HELP, TYPE and samples must be contiguous";
    private static final String[] SUFFIXES = {"_total", "_created", "_count", "_sum", "_bucket"};

    private final List<ParsedFamilyBuilder> families = new ArrayList<>();
    private final Map<String, ParsedFamilyBuilder> byMetadataName = new HashMap<>();
    private final Map<String, ParsedFamilyBuilder> byFamilyName = new HashMap<>();
    private final Map<String, ParsedFamilyBuilder> bySampleName = new HashMap<>();
    private ParsedFamilyBuilder current;

    void metadata(Metadata metadata, int line) throws TextFormatException {
        String keyword = metadata.type() == null ? "HELP" : "TYPE";
        ParsedFamilyBuilder family = familyForMetadata(metadata.name(), keyword, line);
        if (metadata.type() == null) {
            if (family.hasHelp()) {
                throw new TextFormatException(line,
                        "second HELP for " + Snippet.quote(metadata.name()) + " (first on line "
                        + family.helpLine() + ")", "a family has at most one HELP line");
            }
            family.help(metadata.help(), line);
            return;
        }
        if (family.hasType()) {
            throw new TextFormatException(line, "second TYPE for " + Snippet.quote(metadata.name()) + " (first on line "
                    + family.typeLine() + ")", "a family has at most one TYPE line");
        }
        if (family.hasSamples()) {
            throw typeAfterSamples(metadata.name(), family.firstSampleLine(), line);
        }
        byFamilyName.remove(family.familyName());
        family.type(metadata.type(), line);
        ParsedFamilyBuilder taken = byFamilyName.get(family.familyName());
        if (taken != null && taken != family) {
            family.keepExactName();
        }
        claimFamilyName(family, line);
    }

    void sample(Sample sample, int line) throws TextFormatException {
        String name = sample.name;
        ParsedFamilyBuilder owner = bySampleName.get(name);
        if (owner != null && owner != current) {
            throw notContiguous(name, owner.firstLine(), line);
        }
        if (current == null || !current.accepts(name)) {
            ParsedFamilyBuilder claimant = claimant(name);
            if (claimant != null) {
                throw notContiguous(name, claimant.firstLine(), line);
            }
            ParsedFamilyBuilder clash = byFamilyName.containsKey(name) ? byFamilyName.get(name)
                    : byMetadataName.get(name);
            if (clash != null) {
                throw new TextFormatException(line,
                        "sample " + Snippet.quote(name) + " does not fit the family declared on"
                        + " line " + clash.firstLine(), clash.acceptedNames());
            }
            current = register(new ParsedFamilyBuilder(name, line), line);
        }
        checkSpecialLabel(sample, line);
        current.add(sample, line);
        bySampleName.putIfAbsent(name, current);
    }

    List<MetricFamilySamples> finish() {
        List<MetricFamilySamples> result = new ArrayList<>(families.size());
        for (ParsedFamilyBuilder family : families) {
            result.add(family.build());
        }
        return result;
    }

    private ParsedFamilyBuilder familyForMetadata(String name, String keyword, int line) throws TextFormatException {
        if (current != null && current.metadataName().equals(name)) {
            return current;
        }
        ParsedFamilyBuilder earlier = byMetadataName.get(name);
        if (earlier != null) {
            if (keyword.equals("TYPE") && earlier.hasType()) {
                throw new TextFormatException(line, "second TYPE for " + Snippet.quote(name) + " (first on line "
                        + earlier.typeLine() + ")", "a family has at most one TYPE line");
            }
            if (keyword.equals("HELP") && earlier.hasHelp()) {
                throw new TextFormatException(line, "second HELP for " + Snippet.quote(name) + " (first on line "
                        + earlier.helpLine() + ")", "a family has at most one HELP line");
            }
            throw notContiguous(name, earlier.firstLine(), line);
        }
        ParsedFamilyBuilder owner = bySampleName.get(name);
        if (owner != null) {
            if (keyword.equals("TYPE")) {
                throw typeAfterSamples(name, owner.firstSampleLine(), line);
            }
            throw new TextFormatException(line, "HELP for " + Snippet.quote(name) + " names samples of the family"
                    + " declared on line " + owner.firstLine(), owner.acceptedNames());
        }
        current = register(new ParsedFamilyBuilder(name, line), line);
        return current;
    }

    private ParsedFamilyBuilder register(ParsedFamilyBuilder family, int line) throws TextFormatException {
        byMetadataName.put(family.metadataName(), family);
        claimFamilyName(family, line);
        families.add(family);
        return family;
    }

    private void claimFamilyName(ParsedFamilyBuilder family, int line) throws TextFormatException {
        ParsedFamilyBuilder other = byFamilyName.putIfAbsent(family.familyName(), family);
        if (other != null && other != family) {
            throw new TextFormatException(line, "family name " + Snippet.quote(family.familyName())
                    + " is already used by the family declared on line " + other.firstLine(),
                    "family names are unique (a counter x_total is family x)");
        }
    }

    /** Returns an earlier family whose shape claims {@code sampleName}, if any. */
    private ParsedFamilyBuilder claimant(String sampleName) {
        ParsedFamilyBuilder exact = byFamilyName.get(sampleName);
        if (exact != null && exact.accepts(sampleName)) {
            return exact;
        }
        for (String suffix : SUFFIXES) {
            if (sampleName.endsWith(suffix)) {
                ParsedFamilyBuilder base =
                        byFamilyName.get(sampleName.substring(0, sampleName.length() - suffix.length()));
                if (base != null && base.accepts(sampleName)) {
                    return base;
                }
            }
        }
        return null;
    }

    private void checkSpecialLabel(Sample sample, int line) throws TextFormatException {
        String label = current.needsQuantile(sample.name) ? "quantile" : current.needsLe(sample.name) ? "le" : null;
        if (label == null) {
            return;
        }
        int index = sample.labelNames.indexOf(label);
        if (index < 0) {
            throw new TextFormatException(line, "sample " + Snippet.quote(sample.name) + " has no " + label + " label",
                    label + "=\"<float>\" is required on "
                            + (label.equals("le") ? "histogram buckets" : "summary quantiles"));
        }
        if (GoFloat.parse(sample.labelValues.get(index)) == null) {
            throw new TextFormatException(line, label + " value " + Snippet.quote(sample.labelValues.get(index))
                    + " is not a float", GoFloat.ACCEPTED);
        }
    }

    private static TextFormatException notContiguous(String name, int familyLine, int line) {
        return new TextFormatException(line, Snippet.quote(name) + " belongs to the family begun on line " + familyLine
                + ", which another family has since interrupted", CONTIGUOUS);
    }

    private static TextFormatException typeAfterSamples(String name, int sampleLine, int line) {
        return new TextFormatException(line, "TYPE for " + Snippet.quote(name) + " comes after its samples (line "
                + sampleLine + ")", "TYPE lines precede the samples of their family");
    }
}

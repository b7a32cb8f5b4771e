package io.github.jobmetrics.internal.textformat;

import static java.util.Objects.requireNonNull;

import io.prometheus.client.Collector;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.util.List;

/**
 * A strict reader of the Prometheus text exposition format 0.0.4, for job-written metric files, the disk spool and
 * a Pushgateway's {@code /metrics} page.
 *
 * <p>Input is refused with a {@link TextFormatException} naming the line when Prometheus or the Pushgateway would
 * refuse it, and also when it is too big to read safely: lines over {@link #MAX_LINE_CHARS} characters, inputs over
 * {@link #MAX_INPUT_CHARS} characters or over {@link #MAX_SAMPLES} samples.
 *
 * <p><b>Families.</b> Results are simpleclient {@link Collector.MetricFamilySamples}, named so that
 * {@code TextFormat.write004} reproduces its input: for any simpleclient registry, writing, parsing and writing
 * again yields the same text. Concretely:
 * <ul>
 *   <li>{@code # TYPE x_total counter} is the COUNTER family {@code x}, holding samples {@code x_total} and
 *       {@code x_created} (simpleclient itself names counters without {@code _total}).</li>
 *   <li>{@code # TYPE x counter}, a counter whose name lacks {@code _total}, becomes an UNKNOWN family {@code x}:
 *       simpleclient's constructor would rename a COUNTER's sample {@code x} to {@code x_total}, changing the
 *       series; keeping the exact name matters more than the type.</li>
 *   <li>A summary {@code x} holds {@code x{quantile=..}}, {@code x_count}, {@code x_sum}, {@code x_created}; a
 *       histogram {@code x} holds {@code x_bucket{le=..}}, {@code x_count}, {@code x_sum}, {@code x_created}. A
 *       gauge or untyped {@code x} holds only {@code x}. "untyped" is {@code Collector.Type.UNKNOWN}.</li>
 *   <li>write004 moves {@code _created} samples into separate {@code x_created} gauge families at the end; those
 *       come back as GAUGE families named {@code x_created}, and INFO and STATE_SET families come back as the
 *       GAUGE families write004 made of them.</li>
 *   <li>Samples without a TYPE line become an UNKNOWN family named after the sample; consecutive samples of one
 *       name share it. A missing HELP is the empty string. Families with no samples are kept.</li>
 * </ul>
 *
 * <p>Label values and HELP text come back unescaped. Labels keep their written order.
 */
public final class TextFormatParser {

    /** Longest line accepted, in characters, not counting its {@code \n}. */
    public static final int MAX_LINE_CHARS = 1 << 20;

    /** Longest input accepted, in characters including line ends. */
    public static final long MAX_INPUT_CHARS = 64L << 20;

    /** Most samples accepted; a tiny sample costs far more heap as objects than as text. */
    public static final int MAX_SAMPLES = 1_000_000;

    private TextFormatParser() {
    }

    /**
     * Parses a whole exposition; strict.
     *
     * <p>{@code in} is read to its end but not closed. Invalid UTF-8 is only detected if the reader's decoder
     * reports it (as {@code Files.newBufferedReader} does; {@code new InputStreamReader(in, UTF_8)} silently
     * replaces it), so prefer {@link #parse(InputStream)} for bytes.
     *
     * @throws TextFormatException if the input is not a valid, bounded exposition
     * @throws java.io.UncheckedIOException if reading {@code in} fails; that is not a format problem
     */
    public static List<Collector.MetricFamilySamples> parse(Reader in) throws TextFormatException {
        requireNonNull(in, "in must not be null");
        LineReader lines = new LineReader(in, MAX_LINE_CHARS, MAX_INPUT_CHARS);
        SampleLineParser samples = new SampleLineParser();
        FamilyAssembler families = new FamilyAssembler();
        int sampleCount = 0;
        for (String line = lines.next(); line != null; line = lines.next()) {
            int lineNumber = lines.lineNumber();
            int first = Names.skipBlanks(line, 0);
            if (first == line.length()) {
                continue;
            }
            if (line.charAt(first) == '#') {
                Metadata metadata = CommentLineParser.parse(line, lineNumber);
                if (metadata != null) {
                    families.metadata(metadata, lineNumber);
                }
                continue;
            }
            if (++sampleCount > MAX_SAMPLES) {
                throw new TextFormatException(lineNumber, "more than " + MAX_SAMPLES + " samples",
                        "split it into smaller expositions");
            }
            families.sample(samples.parse(line, lineNumber), lineNumber);
        }
        return families.finish();
    }

    /**
     * Parses a whole exposition; strict.
     *
     * @throws TextFormatException if the text is not a valid, bounded exposition
     */
    public static List<Collector.MetricFamilySamples> parse(String text) throws TextFormatException {
        requireNonNull(text, "text must not be null");
        return parse(new StringReader(text));
    }

    /**
     * Parses a whole exposition from UTF-8 bytes, refusing invalid UTF-8; strict. {@code in} is not closed.
     *
     * @throws TextFormatException if the bytes are not a valid, bounded exposition
     * @throws java.io.UncheckedIOException if reading {@code in} fails; that is not a format problem
     */
    public static List<Collector.MetricFamilySamples> parse(InputStream in) throws TextFormatException {
        requireNonNull(in, "in must not be null");
        return parse(new StrictUtf8Reader(in));
    }
}

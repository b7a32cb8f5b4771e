package io.github.jobmetrics.internal.textformat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.client.Collector;
import io.prometheus.client.Collector.MetricFamilySamples;
import java.io.ByteArrayInputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class TextFormatParserRejectsTest {

    private static final String GOOD = "# HELP ok A fine gauge.\n# TYPE ok gauge\nok 1\n";

    @Test
    void badMetricNameIsRejectedWithItsLine() {
        assertRejected(GOOD + "9lives 1\n", 4, "bad metric name \"9lives\"");
        assertRejected(GOOD + "bad-name 1\n", 4, "bad metric name \"bad-name\"");
        assertRejected("# TYPE 9x gauge\n", 1, "bad metric name");
    }

    @Test
    void badLabelNameIsRejected() {
        assertRejected(GOOD + "m{job=\"a\",9x=\"b\"} 1\n", 4, "bad label name \"9x\"");
        assertRejected("m{a:b=\"c\"} 1\n", 1, "bad label name");
        assertRejected("m{__name__=\"c\"} 1\n", 1, "reserved");
    }

    @Test
    void duplicateLabelNameInOneSampleIsRejected() {
        assertRejected(GOOD + "m{a=\"1\",b=\"2\",a=\"3\"} 1\n", 4, "duplicate label name \"a\"");
    }

    @Test
    void unterminatedLabelValueIsRejected() {
        assertRejected(GOOD + "m{a=\"open} 1\n", 4, "unterminated value of label \"a\"");
        assertRejected("m{a=\"ends in backslash\\", 1, "unterminated");
    }

    @Test
    void badEscapeInLabelValueIsRejected() {
        assertRejected(GOOD + "m{a=\"tab\\there\"} 1\n", 4, "bad escape \"\\\\t\"");
    }

    @Test
    void badEscapeInHelpIsRejected() {
        assertRejected("# HELP m quote \\\" is not an escape here\n", 1, "bad escape");
        assertRejected("# HELP m trailing \\\n", 1, "lone backslash");
    }

    @Test
    void valueThatIsNotAFloatIsRejected() {
        assertRejected(GOOD + "m 1.2.3\n", 4, "value \"1.2.3\" is not a float");
        assertRejected("m 1d\n", 1, "is not a float");
        assertRejected("m Infinityx\n", 1, "is not a float");
        assertRejected("m 1e999\n", 1, "is not a float");
        assertRejected("m 1_000\n", 1, "is not a float");
        assertRejected("m{a=\"b\"}\n", 1, "has no value");
    }

    @Test
    void goStyleFloatsAreAccepted() throws Exception {
        List<MetricFamilySamples> families = TextFormatParser.parse(
                "a 1\nb -2.5e-3\nc .5\nd 5.\ne 0x1p-2\nf +Inf\ng -inf\nh NaN\ni Infinity\nj 1E+2\n");

        double[] expected = {1, -2.5e-3, 0.5, 5, 0.25, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN,
                Double.POSITIVE_INFINITY, 100};
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], families.get(i).samples.get(0).value, families.get(i).name);
        }
    }

    @Test
    void timestampThatIsNotAnInt64IsRejected() {
        assertRejected(GOOD + "m 1 1.5\n", 4, "timestamp \"1.5\" is not an int64");
        assertRejected("m 1 9223372036854775808\n", 1, "is not an int64");
    }

    @Test
    void trailingGarbageIsRejected() {
        assertRejected(GOOD + "m 1 1700000000000 extra\n", 4, "unexpected \"extra\" after the timestamp");
        assertRejected("m{a=\"b\"x} 1\n", 1, "expected ',' or '}'");
    }

    @Test
    void typeWithUnknownTypeIsRejected() {
        assertRejected(GOOD + "# TYPE m countr\n", 4, "unknown type \"countr\"");
        assertRejected("# TYPE m\n", 1, "has no type");
    }

    @Test
    void secondTypeForAFamilyIsRejected() {
        assertRejected(GOOD + "# TYPE ok counter\n", 4, "second TYPE for \"ok\" (first on line 2)");
        assertRejected(GOOD + "# TYPE other gauge\n# TYPE ok gauge\n", 5, "second TYPE");
    }

    @Test
    void secondHelpForAFamilyIsRejected() {
        assertRejected(GOOD + "# HELP ok again\n", 4, "second HELP for \"ok\" (first on line 1)");
    }

    @Test
    void typeAfterItsSamplesIsRejected() {
        assertRejected("m 1\n# TYPE m gauge\n", 2, "TYPE for \"m\" comes after its samples (line 1)");
    }

    @Test
    void familyWhoseSamplesAreNotContiguousIsRejected() {
        assertRejected("a 1\nb 1\na 2\n", 3, "\"a\" belongs to the family begun on line 1");
        assertRejected("# TYPE s summary\ns_sum 1\nb 1\ns_count 2\n", 4, "belongs to the family begun on line 1");
    }

    @Test
    void sampleThatDoesNotFitItsTypedFamilyIsRejected() {
        assertRejected("# TYPE h histogram\nh 1\n", 2, "does not fit the family declared on line 1");
    }

    @Test
    void histogramBucketWithoutLeIsRejected() {
        assertRejected("# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_bucket 2\n", 3, "has no le label");
        assertRejected("# TYPE s summary\ns{quantile=\"high\"} 1\n", 2, "quantile value \"high\" is not a float");
    }

    @Test
    void carriageReturnIsRejected() {
        assertRejected("a 1\r\nb 2\r\n", 1, "carriage return");
        assertRejected(GOOD + "m{a=\"x\ry\"} 1\n", 4, "carriage return");
    }

    @Test
    void nulCharacterIsRejected() {
        assertRejected(GOOD + "m{a=\"x\0y\"} 1\n", 4, "NUL character");
    }

    @Test
    void invalidUtf8IsRejectedOnItsLine() {
        byte[] head = (GOOD + "m{a=\"").getBytes(StandardCharsets.UTF_8);
        byte[] bytes = new byte[head.length + 6];
        System.arraycopy(head, 0, bytes, 0, head.length);
        bytes[head.length] = (byte) 0xC3;
        bytes[head.length + 1] = (byte) 0x28;
        System.arraycopy("\"} 1\n".getBytes(StandardCharsets.UTF_8), 0, bytes, head.length + 1, 5);

        TextFormatException e = assertThrows(TextFormatException.class,
                () -> TextFormatParser.parse(new ByteArrayInputStream(bytes)));

        assertEquals(4, e.lineNumber());
        assertOneLine(e);
        assertTrue(e.getMessage().contains("not valid UTF-8"), e.getMessage());
    }

    @Test
    void validUtf8BytesParse() throws Exception {
        byte[] bytes = "m{a=\"Grüße \uD83D\uDE80\"} 1\n".getBytes(StandardCharsets.UTF_8);

        List<MetricFamilySamples> families = TextFormatParser.parse(new ByteArrayInputStream(bytes));

        assertEquals("Grüße \uD83D\uDE80", families.get(0).samples.get(0).labelValues.get(0));
    }

    @Test
    void unpairedSurrogateIsRejected() {
        assertRejected(GOOD + "m{a=\"\uD83D\"} 1\n", 4, "unpaired UTF-16 surrogate");
    }

    @Test
    void hugeLineIsRejectedWithAShortMessage() {
        String huge = "m{a=\"" + "x".repeat(TextFormatParser.MAX_LINE_CHARS) + "\"} 1\n";

        TextFormatException e = assertRejected(GOOD + huge, 4, "line is longer than 1048576 characters");

        assertTrue(e.getMessage().length() < 200, e.getMessage());
    }

    @Test
    void hugeLabelValueIsQuotedOnlyBriefly() {
        TextFormatException e = assertRejected("m{a=\"x\"} 1 2 " + "y".repeat(10_000) + "\n", 1, "after the timestamp");

        assertTrue(e.getMessage().length() < 200, e.getMessage());
    }

    @Test
    void inputOverTheTotalLimitIsRejected() {
        String commentLine = "# " + "c".repeat(1021) + "\n";
        long lines = TextFormatParser.MAX_INPUT_CHARS / commentLine.length() + 2;
        Reader endless = new RepeatingReader(commentLine, lines);

        TextFormatException e = assertThrows(TextFormatException.class, () -> TextFormatParser.parse(endless));

        assertEquals(TextFormatParser.MAX_INPUT_CHARS / commentLine.length() + 1, e.lineNumber());
        assertTrue(e.getMessage().contains("input is longer than 67108864 characters"), e.getMessage());
    }

    @Test
    void moreSamplesThanTheLimitAreRejected() {
        Reader many = new RepeatingReader("a 1\n", TextFormatParser.MAX_SAMPLES + 1L);

        TextFormatException e = assertThrows(TextFormatException.class, () -> TextFormatParser.parse(many));

        assertEquals(TextFormatParser.MAX_SAMPLES + 1, e.lineNumber());
    }

    @Test
    void blankLinesCommentsAndLooseBlanksAreAccepted() throws Exception {
        List<MetricFamilySamples> families = TextFormatParser.parse(
                "\n# just a comment\n   \n#TYPE\tm gauge\n  m { a = \"1\" , b=\"2\", } 3\t1700000000000  \n\n");

        assertEquals(1, families.size());
        assertEquals(Collector.Type.GAUGE, families.get(0).type);
        assertEquals(List.of("a", "b"), families.get(0).samples.get(0).labelNames);
        assertEquals(1700000000000L, families.get(0).samples.get(0).timestampMs);
    }

    @Test
    void samplesWithoutTypeBecomeUnknownFamiliesGroupedByName() throws Exception {
        List<MetricFamilySamples> families = TextFormatParser.parse("a{x=\"1\"} 1\na{x=\"2\"} 2\na_count 3\n");

        assertEquals(2, families.size());
        assertEquals("a", families.get(0).name);
        assertEquals(Collector.Type.UNKNOWN, families.get(0).type);
        assertEquals(2, families.get(0).samples.size());
        assertEquals("a_count", families.get(1).name);
        assertEquals("", families.get(0).help);
    }

    @Test
    void counterTypedWithoutTotalIsKeptUnderItsExactNameAsUnknown() throws Exception {
        List<MetricFamilySamples> families = TextFormatParser.parse("# TYPE legacy counter\nlegacy 7\n");

        assertEquals("legacy", families.get(0).name);
        assertEquals(Collector.Type.UNKNOWN, families.get(0).type);
        assertEquals("legacy", families.get(0).samples.get(0).name);
    }

    @Test
    void createdSampleJoinsItsTypedCounter() throws Exception {
        List<MetricFamilySamples> families =
                TextFormatParser.parse("# TYPE c_total counter\nc_total 1\nc_created 1.7e9\n");

        assertEquals(1, families.size());
        assertEquals(2, families.get(0).samples.size());
    }

    private static TextFormatException assertRejected(String text, int line, String messagePart) {
        TextFormatException e = assertThrows(TextFormatException.class, () -> TextFormatParser.parse(text));
        assertEquals(line, e.lineNumber(), e.getMessage());
        assertTrue(e.getMessage().startsWith("line " + line + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(messagePart), e.getMessage());
        assertOneLine(e);
        return e;
    }

    private static void assertOneLine(TextFormatException e) {
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertFalse(e.getMessage().contains("\r"), e.getMessage());
        assertTrue(e.getMessage().contains("; "), e.getMessage());
    }

    /** Serves {@code line} {@code times} times without holding the whole input in memory. */
    private static final class RepeatingReader extends Reader {
        private final String line;
        private long remaining;
        private int offset;

        RepeatingReader(String line, long times) {
            this.line = line;
            this.remaining = times;
        }

        @Override
        public int read(char[] target, int off, int len) {
            if (remaining == 0) {
                return -1;
            }
            int n = Math.min(len, line.length() - offset);
            line.getChars(offset, offset + n, target, off);
            offset += n;
            if (offset == line.length()) {
                offset = 0;
                remaining--;
            }
            return n;
        }

        @Override
        public void close() {
        }
    }
}

package io.github.jobmetrics.internal.textformat;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Random;
import org.junit.jupiter.api.Test;

class TextFormatParserFuzzTest {

    private static final String VALID = """
            # HELP jobs_done_total Jobs done.
            # TYPE jobs_done_total counter
            jobs_done_total{job="nightly",result="ok"} 3.0
            jobs_done_total{job="hourly",result="a \\"quoted\\" \\\\ value\\n"} 1.0 1700000000000
            # HELP job_seconds Job duration.
            # TYPE job_seconds summary
            job_seconds{quantile="0.5"} 0.25
            job_seconds_count 4.0
            job_seconds_sum 1.5
            # TYPE batch_size histogram
            batch_size_bucket{le="1.0"} 0.0
            batch_size_bucket{le="+Inf"} 2.0
            batch_size_count 2.0
            batch_size_sum 505.0
            # just a comment
            untyped_thing NaN
            # HELP jobs_done_created Jobs done.
            # TYPE jobs_done_created gauge
            jobs_done_created{job="nightly",result="ok"} 1.7E9
            """;

    private static final String ALPHABET = "{}=\",\\ \t\n#_:aZ09.-+eExpInfNa\r\0\uD83D\uDE80ü";

    @Test
    void randomMutationsOfAValidExpositionEitherParseOrFailWithTextFormatException() throws Exception {
        TextFormatParser.parse(VALID);
        Random random = new Random(20240601L);
        for (int iteration = 0; iteration < 2_000; iteration++) {
            String mutated = mutate(VALID, random, 1 + random.nextInt(6));
            try {
                TextFormatParser.parse(mutated);
            } catch (TextFormatException e) {
                assertFalse(e.getMessage().contains("\n"), e.getMessage());
                assertTrue(e.lineNumber() >= 1 && e.lineNumber() <= mutated.split("\n", -1).length, e.getMessage());
            } catch (RuntimeException e) {
                fail("iteration " + iteration + " threw " + e + " for input:\n" + mutated, e);
            }
        }
    }

    @Test
    void randomGarbageEitherParsesOrFailsWithTextFormatException() {
        Random random = new Random(7L);
        for (int iteration = 0; iteration < 2_000; iteration++) {
            StringBuilder garbage = new StringBuilder();
            int length = random.nextInt(200);
            for (int i = 0; i < length; i++) {
                garbage.append(random.nextInt(4) == 0 ? (char) random.nextInt(0x10000)
                        : ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
            try {
                TextFormatParser.parse(garbage.toString());
            } catch (TextFormatException e) {
                assertFalse(e.getMessage().contains("\n"), e.getMessage());
            } catch (RuntimeException e) {
                fail("iteration " + iteration + " threw " + e, e);
            }
        }
    }

    private static String mutate(String text, Random random, int mutations) {
        StringBuilder out = new StringBuilder(text);
        for (int i = 0; i < mutations; i++) {
            int at = random.nextInt(out.length() + 1);
            switch (random.nextInt(5)) {
                case 0 -> out.insert(at, ALPHABET.charAt(random.nextInt(ALPHABET.length())));
                case 1 -> {
                    if (at < out.length()) {
                        out.deleteCharAt(at);
                    }
                }
                case 2 -> {
                    if (at < out.length()) {
                        out.setCharAt(at, ALPHABET.charAt(random.nextInt(ALPHABET.length())));
                    }
                }
                case 3 -> {
                    // Move a line elsewhere, to break grouping and ordering rules.
                    String[] lines = out.toString().split("\n", -1);
                    int from = random.nextInt(lines.length);
                    int to = random.nextInt(lines.length);
                    String moved = lines[from];
                    lines[from] = lines[to];
                    lines[to] = moved;
                    out.setLength(0);
                    out.append(String.join("\n", lines));
                }
                default -> {
                    int end = Math.min(out.length(), at + random.nextInt(20));
                    out.insert(at, out.substring(at, end));
                }
            }
        }
        return out.toString();
    }
}

package io.github.jobmetrics.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

    @ParameterizedTest
    @CsvSource({
        "250ms, PT0.25S",
        "10s, PT10S",
        "5m, PT5M",
        "2h, PT2H",
        "1d, PT24H",
        "1.5s, PT1.5S",
        "0.5h, PT30M",
        "0s, PT0S",
        "' 10s ', PT10S",
    })
    void shortFormsParseToTheirDuration(String text, String iso) {
        assertEquals(Duration.parse(iso), Durations.parse(text));
    }

    @ParameterizedTest
    @CsvSource({"PT10S, PT10S", "pt10s, PT10S", "Pt1M30s, PT1M30S", "P1D, PT24H", "PT0.001S, PT0.001S"})
    void isoFormsParseInEitherCase(String text, String iso) {
        assertEquals(Duration.parse(iso), Durations.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"10x", "10", "s", "", "-5s", "-PT5S", "1.5", "10 s", "1,5s", "P", "PTXS",
        "0.0000000001s", "99999999999999999999d"})
    void anythingElseIsRefused(String text) {
        assertThrows(IllegalArgumentException.class, () -> Durations.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"999999999d", "106752d", "99999999999999999999d", "PT9999999999H",
        "PT99999999999999999999S", "P999999999D"})
    void durationsTooLongForNanosecondsAreCalledTooLongAndNameTheMaximum(String text) {
        Durations.TooLong e = assertThrows(Durations.TooLong.class, () -> Durations.parse(text));
        assertEquals("too long: " + text + "; the longest duration is 106751d", e.getMessage());
    }

    @Test
    void theLongestDurationNamedInMessagesIsAccepted() {
        assertEquals(Duration.ofDays(106_751), Durations.parse(Durations.MAX_SHOWN));
    }

    @Test
    void aFractionFinerThanANanosecondIsNotCalledTooLong() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Durations.parse("0.0000000001s"));
        assertEquals("not a whole number of nanoseconds: 0.0000000001s", e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({
        "PT0.25S, 250ms",
        "PT10S, 10s",
        "PT1M, 1m",
        "PT1.5S, 1.5s",
        "PT90S, 90s",
        "PT0.1S, 100ms",
        "PT24H, 1d",
        "PT36H, 36h",
        "PT0S, 0s",
        "PT0.0000015S, PT0.0000015S",
    })
    void formatPicksTheShortestFormThatReadsBack(String iso, String expected) {
        Duration duration = Duration.parse(iso);
        String formatted = Durations.format(duration);
        assertEquals(expected, formatted);
        assertEquals(duration, Durations.parse(formatted));
    }

    @ParameterizedTest
    @CsvSource({"PT0.25S, 0.25", "PT10S, 10", "PT0.001S, 0.001", "PT1H, 3600", "PT0S, 0", "PT1.5S, 1.5",
        "PT0.000000001S, 0.000000001", "PT100S, 100"})
    void secondsLabelIsPlainDecimalWithoutTrailingZeros(String iso, String expected) {
        assertEquals(expected, Durations.toSecondsLabel(Duration.parse(iso)));
    }
}

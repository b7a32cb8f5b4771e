package io.github.jobmetrics.internal.textformat;

/**
 * Parses sample values the way Go's {@code strconv.ParseFloat} does, which is what the Pushgateway and Prometheus
 * use; Java's {@code Double.parseDouble} alone is too lenient (it accepts "1d", surrounding blanks, "Infinity").
 */
final class GoFloat {

    static final String ACCEPTED = "values are Go floats such as 1, -2.5, 1e-3, 0x1p-2, NaN, +Inf or -Inf";

    private GoFloat() {
    }

    /** Returns the value of {@code token}, or {@code null} if it is not a Go float or overflows a double. */
    static Double parse(String token) {
        Double special = special(token);
        if (special != null) {
            return special;
        }
        if (!isDecimal(token) && !isHex(token)) {
            return null;
        }
        double value = Double.parseDouble(token);
        // Go reports overflow as an error rather than silently returning an infinity.
        return Double.isInfinite(value) ? null : value;
    }

    private static Double special(String token) {
        String lower = token.toLowerCase(java.util.Locale.ROOT);
        if (lower.equals("nan")) {
            return Double.NaN;
        }
        boolean negative = lower.startsWith("-");
        String unsigned = negative || lower.startsWith("+") ? lower.substring(1) : lower;
        if (unsigned.equals("inf") || unsigned.equals("infinity")) {
            return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        return null;
    }

    // [+-]? (digits [. digits?] | . digits) ([eE] [+-]? digits)?
    private static boolean isDecimal(String s) {
        int i = skipSign(s, 0);
        int intDigits = countDigits(s, i, false);
        i += intDigits;
        int fracDigits = 0;
        if (i < s.length() && s.charAt(i) == '.') {
            i++;
            fracDigits = countDigits(s, i, false);
            i += fracDigits;
        }
        if (intDigits + fracDigits == 0) {
            return false;
        }
        if (i < s.length() && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i = skipSign(s, i + 1);
            int expDigits = countDigits(s, i, false);
            if (expDigits == 0) {
                return false;
            }
            i += expDigits;
        }
        return i == s.length();
    }

    // [+-]? 0 [xX] (hexdigits [. hexdigits?] | . hexdigits) [pP] [+-]? digits; Go, like Java, demands the exponent.
    private static boolean isHex(String s) {
        int i = skipSign(s, 0);
        if (i + 1 >= s.length() || s.charAt(i) != '0' || (s.charAt(i + 1) != 'x' && s.charAt(i + 1) != 'X')) {
            return false;
        }
        i += 2;
        int intDigits = countDigits(s, i, true);
        i += intDigits;
        int fracDigits = 0;
        if (i < s.length() && s.charAt(i) == '.') {
            i++;
            fracDigits = countDigits(s, i, true);
            i += fracDigits;
        }
        if (intDigits + fracDigits == 0 || i >= s.length() || (s.charAt(i) != 'p' && s.charAt(i) != 'P')) {
            return false;
        }
        i = skipSign(s, i + 1);
        int expDigits = countDigits(s, i, false);
        return expDigits > 0 && i + expDigits == s.length();
    }

    private static int skipSign(String s, int i) {
        return i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-') ? i + 1 : i;
    }

    private static int countDigits(String s, int from, boolean hex) {
        int i = from;
        while (i < s.length() && isDigit(s.charAt(i), hex)) {
            i++;
        }
        return i - from;
    }

    private static boolean isDigit(char c, boolean hex) {
        return (c >= '0' && c <= '9') || (hex && ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')));
    }
}

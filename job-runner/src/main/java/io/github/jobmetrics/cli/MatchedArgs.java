package io.github.jobmetrics.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed command line: each option given (by its {@link OptionDef#name()}) with its values in the order given,
 * and the words from the job on. Immutable.
 */
final class MatchedArgs {
    private final Map<String, List<String>> options;
    private final List<String> positionals;

    MatchedArgs(Map<String, List<String>> options, List<String> positionals) {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        options.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        this.options = copy;
        this.positionals = List.copyOf(positionals);
    }

    /**
     * Parses a plain command line without picocli: known options as {@code --opt value} or {@code --opt=value},
     * each non-repeatable option once, then {@code --} or the first word that does not start with {@code -}.
     * Anything else (help, version, an unknown or doubled option, a missing value, a value that starts with
     * {@code -} other than {@code -D...} and {@code -X...}, {@code --flag true}) gives empty, and picocli parses
     * it, with its error messages.
     */
    static Optional<MatchedArgs> plain(String[] args, List<OptionDef> defs) {
        Map<String, List<String>> options = new LinkedHashMap<>();
        int i = 0;
        while (i < args.length) {
            String arg = args[i];
            if (arg.equals("--")) {
                i++;
                break;
            }
            if (!arg.startsWith("-")) {
                break;
            }
            int eq = arg.indexOf('=');
            String name = eq >= 0 ? arg.substring(0, eq) : arg;
            OptionDef def = find(defs, name);
            if (def == null || !def.repeatable() && options.containsKey(def.name())) {
                return Optional.empty();
            }
            String value;
            switch (def.arity()) {
                case FLAG:
                    if (eq >= 0) {
                        return Optional.empty();
                    }
                    value = "true";
                    i++;
                    break;
                case OPTIONAL_BOOLEAN:
                    if (eq >= 0) {
                        value = arg.substring(eq + 1).toLowerCase(Locale.ROOT);
                        if (!value.equals("true") && !value.equals("false")) {
                            return Optional.empty();
                        }
                    } else {
                        if (i + 1 < args.length && isBoolean(args[i + 1])) {
                            return Optional.empty();
                        }
                        value = "true";
                    }
                    i++;
                    break;
                default:
                    if (eq >= 0) {
                        value = arg.substring(eq + 1);
                        i++;
                    } else {
                        if (i + 1 >= args.length || args[i + 1].startsWith("-") && !isJvmValue(args[i + 1])) {
                            return Optional.empty();
                        }
                        value = args[i + 1];
                        i += 2;
                    }
                    break;
            }
            options.computeIfAbsent(def.name(), k -> new ArrayList<>()).add(value);
        }
        return Optional.of(new MatchedArgs(options, Arrays.asList(args).subList(i, args.length)));
    }

    private static OptionDef find(List<OptionDef> defs, String name) {
        for (OptionDef def : defs) {
            if (def.isNamed(name)) {
                return def;
            }
        }
        return null;
    }

    // -D and -X values (--jvm-option -Xmx512m) cannot be mistaken for a runner option; picocli takes them too.
    private static boolean isJvmValue(String word) {
        return word.length() > 2 && (word.startsWith("-D") || word.startsWith("-X"));
    }

    private static boolean isBoolean(String word) {
        return word.equalsIgnoreCase("true") || word.equalsIgnoreCase("false");
    }

    boolean has(String option) {
        return options.containsKey(option);
    }

    /** The value of an option given once; {@code true} for a flag. */
    String value(String option) {
        List<String> values = values(option);
        return values.isEmpty() ? "" : values.get(values.size() - 1);
    }

    List<String> values(String option) {
        return options.getOrDefault(option, List.of());
    }

    /** The job and its arguments. */
    List<String> positionals() {
        return positionals;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MatchedArgs m && m.options.equals(options) && m.positionals.equals(positionals);
    }

    @Override
    public int hashCode() {
        return options.hashCode() * 31 + positionals.hashCode();
    }

    @Override
    public String toString() {
        return "MatchedArgs" + options + " " + positionals;
    }
}

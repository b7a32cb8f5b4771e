package io.github.jobmetrics.cli;

import edu.umd.cs.findbugs.annotations.Nullable;

/**
 * One runner option, the single description both parsers and the help are made from.
 *
 * @param name the option, such as {@code --push-timeout}
 * @param alias a second spelling ({@code -cp}), or null
 * @param arity how the option takes its value
 * @param repeatable whether it may be given more than once, each value kept
 * @param paramLabel the value's name in the help
 * @param description one line for the help
 */
record OptionDef(String name, @Nullable String alias, Arity arity, boolean repeatable, String paramLabel,
        String description) {

    /** How an option takes its value. */
    enum Arity {
        /** Exactly one value: {@code --opt VALUE} or {@code --opt=VALUE}. */
        VALUE,
        /** {@code --opt} means true; {@code --opt=false} and {@code --opt false} give the value. */
        OPTIONAL_BOOLEAN,
        /** No value. */
        FLAG
    }

    boolean isNamed(String option) {
        return name.equals(option) || option.equals(alias);
    }
}

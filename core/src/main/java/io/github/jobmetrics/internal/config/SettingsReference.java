package io.github.jobmetrics.internal.config;

import io.github.jobmetrics.config.SettingKey;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Renders the settings reference ({@code docs/settings.md}) from {@link SettingKey#values()}, so the document
 * cannot drift from the code: {@code SettingsReferenceTest} fails when the two differ.
 *
 * <p>Regenerate with
 * {@code java -cp core/target/classes io.github.jobmetrics.internal.config.SettingsReference > docs/settings.md}.
 */
public final class SettingsReference {
    /** How to regenerate the page, for the page itself and for the test's failure message. */
    public static final String REGENERATE = "mvn -B -o -q -pl core compile && java -cp core/target/classes "
            + "io.github.jobmetrics.internal.config.SettingsReference > docs/settings.md";

    private SettingsReference() {
    }

    /** The whole page: a short introduction and one table row per setting, in the order of {@link SettingKey}. */
    public static String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("# Settings reference\n\n")
                .append("<!-- Generated from io.github.jobmetrics.config.SettingKey; do not edit. Regenerate with:\n")
                .append("     ").append(REGENERATE).append(" -->\n\n")
                .append("Every setting has one key and can be given in four places, strongest first: a runner option\n")
                .append("or agent argument (`-javaagent:job-metrics-agent.jar=key=value,key=value`), the JVM system\n")
                .append("property `jobmetrics.<key>`, the environment variable `JOBMETRICS_<KEY>` (upper case, `.` and\n")
                .append("`-` become `_`), and the properties file named by `config`; then the default. The API reads\n")
                .append("the same system properties, variables and file. Durations accept `250ms`, `10s`, `5m`, `2h`,\n")
                .append("`1d` and ISO-8601 (`PT10S`).\n\n")
                .append("Secrets (passwords, tokens) are never settings: they come from the files named by the\n")
                .append("`...-file` keys (re-read at every push) or from the environment, and are refused as options,\n")
                .append("system properties, agent arguments or inside the gateway URL.\n\n")
                .append("| key | runner option | system property | environment variable | kind | default | meaning |\n")
                .append("|---|---|---|---|---|---|---|\n");
        for (SettingKey k : SettingKey.values()) {
            md.append("| ").append(code(k.key()))
                    .append(" | ").append(code(k.option() + optionArgument(k)))
                    .append(" | ").append(code(k.systemProperty()))
                    .append(" | ").append(code(k.environmentVariable()))
                    .append(" | ").append(k.kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '))
                    .append(" | ").append(cell(k.defaultText()))
                    .append(" | ").append(cell(k.description()))
                    .append(" |\n");
        }
        return md.toString();
    }

    /** Prints {@link #markdown()} to standard output. */
    public static void main(String[] args) {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        out.print(markdown());
        out.flush();
    }

    private static String optionArgument(SettingKey k) {
        switch (k) {
            case GROUPING:
                return " label=value";
            case RECORDS_STAGE:
                return " stage=patterns";
            default:
                return "";
        }
    }

    private static String code(String text) {
        return "`" + text.replace("|", "\\|") + "`";
    }

    private static String cell(String text) {
        return text.replace("|", "\\|");
    }
}

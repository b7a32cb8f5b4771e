package io.github.jobmetrics.cli;

import static io.github.jobmetrics.cli.RunnerCommandLine.HELP_POINTER;
import static io.github.jobmetrics.cli.RunnerCommandLine.NAME;

import io.github.jobmetrics.config.Secrets;
import io.github.jobmetrics.config.SettingKey;
import io.github.jobmetrics.internal.model.Version;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The picocli command made from {@link RunnerCommandLine#OPTIONS}: the help, the version, and one-line errors that
 * name the option at fault. Kept apart so that a plain command line never loads picocli.
 */
final class PicocliParser {
    private static final String JOB = "JOB";

    private static final String[] EXAMPLES = {
        "",
        "Examples:",
        "  Wrap a jar, push to a Pushgateway, kill it after two hours:",
        "    java -jar job-runner.jar --gateway http://pushgateway:9091 --timeout 2h \\",
        "        -- /opt/etl.jar --date 2024-01-31",
        "",
        "  A main class on a class path, with JVM options and an extra grouping label:",
        "    java -jar job-runner.jar --gateway http://pushgateway:9091 --grouping-key team=billing \\",
        "        --jvm-option -Xmx512m -- --main-class com.acme.Etl --classpath 'lib/*' nightly",
        "",
        "  Any program; it may write Prometheus text format to the file named by $JOBMETRICS_TEXTFILE:",
        "    JOBMETRICS_BASIC_AUTH_PASSWORD=... java -jar job-runner.jar --job export \\",
        "        --gateway https://pushgateway.example --basic-auth-user ci -- python3 export.py",
        "",
        "Exit status: the job's (128+N after signal N); 124 --timeout expired, 125 the runner's own error,",
        "126 the job cannot be executed, 127 the job was not found.",
        "Java jobs run with the runner's own java; the agent (job-metrics-agent.jar next to job-runner.jar)",
        "is attached unless --no-agent. The job's JVM gets no options but --jvm-option (JAVA_TOOL_OPTIONS in",
        "the environment still applies). Passwords and tokens are read only from files or the environment."
    };

    /** Options a user may try for a secret, with where the secret belongs instead. */
    private static final Map<String, String> SECRET_OPTIONS = Map.of(
            "--basic-auth-password", SettingKey.BASIC_AUTH_PASSWORD_FILE.option() + " FILE or the environment variable "
                    + Secrets.BASIC_AUTH_PASSWORD_VARIABLE,
            "--bearer-token", SettingKey.BEARER_TOKEN_FILE.option() + " FILE or the environment variable "
                    + Secrets.BEARER_TOKEN_VARIABLE,
            "--tls-trust-store-password", SettingKey.TLS_TRUST_STORE_PASSWORD_FILE.option()
                    + " FILE or the environment variable " + Secrets.TRUST_STORE_PASSWORD_VARIABLE,
            "--tls-key-store-password", SettingKey.TLS_KEY_STORE_PASSWORD_FILE.option()
                    + " FILE or the environment variable " + Secrets.KEY_STORE_PASSWORD_VARIABLE);

    private PicocliParser() {
    }

    /**
     * Parses a command line; {@code --help} and {@code --version} are answered on {@code out} and give empty.
     *
     * @throws UsageException naming the option or argument at fault, never quoting a value
     */
    static Optional<MatchedArgs> parse(String[] args, PrintStream out) throws UsageException {
        CommandLine cl = command();
        ParseResult result;
        try {
            result = cl.parseArgs(args);
        } catch (UnmatchedArgumentException e) {
            throw new UsageException(unknownOption(e));
        } catch (ParameterException e) {
            throw new UsageException(firstLine(e.getMessage()));
        }
        if (cl.isUsageHelpRequested()) {
            cl.usage(out);
            return Optional.empty();
        }
        if (cl.isVersionHelpRequested()) {
            cl.printVersionHelp(out);
            return Optional.empty();
        }
        Map<String, List<String>> options = new LinkedHashMap<>();
        for (OptionDef def : RunnerCommandLine.OPTIONS) {
            if (!result.hasMatchedOption(def.name())) {
                continue;
            }
            Object value = result.matchedOptionValue(def.name(), null);
            if (def.repeatable()) {
                @SuppressWarnings("unchecked")
                List<String> values = (List<String>) value;
                options.put(def.name(), values);
            } else {
                options.put(def.name(), List.of(value == null ? "true" : String.valueOf(value)));
            }
        }
        return Optional.of(new MatchedArgs(options, result.matchedPositionalValue(0, List.of())));
    }

    /** A fresh picocli command for one parse, made from {@link RunnerCommandLine#OPTIONS}. */
    static CommandLine command() {
        CommandSpec spec = CommandSpec.create().name(NAME).version(NAME + " " + Version.current());
        spec.usageMessage()
                .customSynopsis("java -jar job-runner.jar [OPTIONS] [--] JOB...",
                        "  JOB is  app.jar [ARGS...]",
                        "      or  --main-class CLASS --classpath CP [ARGS...]",
                        "      or  COMMAND [ARGS...]")
                .description("Runs a batch job as a child process, passes its exit status through, and pushes",
                        "its run metrics to a Prometheus Pushgateway once it has ended.")
                .footer(EXAMPLES);
        // Added by hand rather than with mixinStandardHelpOptions, which costs a reflective scan at startup.
        spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true)
                .description("Show this help message and exit.").build());
        spec.addOption(OptionSpec.builder("-V", "--version").versionHelp(true)
                .description("Print version information and exit.").build());
        for (OptionDef def : RunnerCommandLine.OPTIONS) {
            spec.addOption(optionSpec(def));
        }
        spec.addPositional(PositionalParamSpec.builder().paramLabel(JOB).arity("0..*").type(List.class)
                .auxiliaryTypes(String.class).hidden(true).build());
        CommandLine cl = new CommandLine(spec);
        cl.setStopAtPositional(true);
        // A job argument starting with @ must reach the job, not be read as a picocli argument file.
        cl.setExpandAtFiles(false);
        cl.setUsageHelpWidth(110);
        return cl;
    }

    private static OptionSpec optionSpec(OptionDef def) {
        OptionSpec.Builder b = def.alias() == null ? OptionSpec.builder(def.name())
                : OptionSpec.builder(def.name(), def.alias());
        b.description(def.description());
        switch (def.arity()) {
            case FLAG:
                return b.arity("0").type(boolean.class).build();
            case OPTIONAL_BOOLEAN:
                // Boolean, not String: picocli then takes a following word as the value only if it is true or
                // false, so --accumulate app.jar leaves app.jar to the job.
                return b.arity("0..1").type(Boolean.class).paramLabel(def.paramLabel()).build();
            default:
                b.arity("1").paramLabel(def.paramLabel());
                return def.repeatable() ? b.type(List.class).auxiliaryTypes(String.class).build()
                        : b.type(String.class).build();
        }
    }

    /**
     * Names the unknown option without its value: {@code --basic-auth-password=hunter2} must not put the password
     * into a log. Secrets given as options get a pointer to where they belong.
     */
    private static String unknownOption(UnmatchedArgumentException e) {
        List<String> unmatched = e.getUnmatched();
        String arg = unmatched.isEmpty() ? "" : unmatched.get(0);
        String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
        String instead = SECRET_OPTIONS.get(name);
        if (instead != null) {
            return "option " + name + " is refused: a secret on the command line shows in process listings; use "
                    + instead + "; " + HELP_POINTER;
        }
        List<String> suggestions = e.getSuggestions();
        return "unknown option " + name + (suggestions.isEmpty() ? "" : "; did you mean " + suggestions.get(0) + "?")
                + "; " + HELP_POINTER;
    }

    private static String firstLine(String message) {
        String m = message == null ? "invalid command line" : message.strip();
        int nl = m.indexOf('\n');
        m = nl >= 0 ? m.substring(0, nl) : m;
        return m + "; " + HELP_POINTER;
    }
}

package io.github.jobmetrics.cli;

import io.github.jobmetrics.config.Secrets;
import io.github.jobmetrics.config.SettingKey;
import io.github.jobmetrics.model.Version;
import java.io.PrintStream;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * The runner's options, made from {@link SettingKey} so that options and settings cannot drift apart, plus the
 * runner's own few ({@code --jvm-option}, {@code --agent-jar}, {@code --no-agent}, {@code --main-class},
 * {@code --classpath}). Parsing stops at {@code --} or at the first word that is not an option: what follows is the
 * job, passed on untouched.
 */
final class RunnerCommandLine {
    static final String NAME = "job-runner";
    static final String HELP_POINTER = "see 'java -jar job-runner.jar --help'";

    static final String JVM_OPTION = "--jvm-option";
    static final String AGENT_JAR = "--agent-jar";
    static final String NO_AGENT = "--no-agent";
    static final String MAIN_CLASS = "--main-class";
    static final String CLASSPATH = "--classpath";
    static final String CLASSPATH_SHORT = "-cp";
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

    private RunnerCommandLine() {
    }

    /** A fresh picocli command for one parse. */
    static CommandLine command() {
        CommandSpec spec = CommandSpec.create().name(NAME).mixinStandardHelpOptions(true)
                .version(NAME + " " + Version.current());
        spec.usageMessage()
                .customSynopsis("java -jar job-runner.jar [OPTIONS] [--] JOB...",
                        "  JOB is  app.jar [ARGS...]",
                        "      or  --main-class CLASS --classpath CP [ARGS...]",
                        "      or  COMMAND [ARGS...]")
                .description("Runs a batch job as a child process, passes its exit status through, and pushes",
                        "its run metrics to a Prometheus Pushgateway once it has ended.")
                .footer(EXAMPLES);
        for (SettingKey key : SettingKey.values()) {
            spec.addOption(optionOf(key));
        }
        spec.addOption(OptionSpec.builder(NO_AGENT).arity("0").type(boolean.class)
                .description("same as --agent=false").build());
        spec.addOption(OptionSpec.builder(JVM_OPTION).paramLabel("OPT").arity("1").type(List.class)
                .auxiliaryTypes(String.class)
                .description("an option for the job's JVM, such as -Xmx512m (repeatable)").build());
        spec.addOption(OptionSpec.builder(AGENT_JAR).paramLabel("FILE").arity("1").type(String.class)
                .description("the agent jar (default: job-metrics-agent.jar next to job-runner.jar)").build());
        spec.addOption(OptionSpec.builder(MAIN_CLASS).paramLabel("CLASS").arity("1").type(String.class)
                .description("run this main class instead of a jar (with --classpath)").build());
        spec.addOption(OptionSpec.builder(CLASSPATH, CLASSPATH_SHORT).paramLabel("CP").arity("1").type(String.class)
                .description("the class path of --main-class").build());
        spec.addPositional(PositionalParamSpec.builder().paramLabel(JOB).arity("0..*").type(List.class)
                .auxiliaryTypes(String.class).hidden(true).build());
        CommandLine cl = new CommandLine(spec);
        cl.setStopAtPositional(true);
        // A job argument starting with @ must reach the job, not be read as a picocli argument file.
        cl.setExpandAtFiles(false);
        cl.setUsageHelpWidth(110);
        return cl;
    }

    private static OptionSpec optionOf(SettingKey key) {
        String description = key.description() + " (default: " + key.defaultText() + ")";
        OptionSpec.Builder b = OptionSpec.builder(key.option()).type(String.class);
        switch (key.kind()) {
            case BOOLEAN:
                return b.arity("0..1").fallbackValue("true").paramLabel("true|false").description(description)
                        .build();
            case LABEL_MAP:
                return b.arity("1").type(List.class).auxiliaryTypes(String.class).paramLabel("LABEL=VALUE")
                        .description(description + " (repeatable)").build();
            case PATTERN_LIST:
                if (key == SettingKey.RECORDS_STAGE) {
                    return b.arity("1").type(List.class).auxiliaryTypes(String.class).paramLabel("STAGE=PATTERNS")
                            .description(description + " (repeatable)").build();
                }
                return b.arity("1").paramLabel("PATTERNS").description(description).build();
            default:
                return b.arity("1").paramLabel(paramLabel(key.kind())).description(description).build();
        }
    }

    private static String paramLabel(SettingKey.Kind kind) {
        switch (kind) {
            case URL:
                return "URL";
            case DURATION:
                return "DURATION";
            case DURATION_LIST:
                return "DURATIONS";
            case INT:
                return "N";
            case PATH:
                return "FILE";
            default:
                return "VALUE";
        }
    }

    /**
     * Parses a command line. {@code --help} and {@code --version} are answered on {@code out} and give an empty
     * result.
     *
     * @throws UsageException naming the option or argument at fault
     */
    static Optional<Invocation> parse(String[] args, PrintStream out) throws UsageException {
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
        return Optional.of(toInvocation(result));
    }

    private static Invocation toInvocation(ParseResult result) throws UsageException {
        Map<String, String> explicit = new LinkedHashMap<>();
        for (SettingKey key : SettingKey.values()) {
            if (!result.hasMatchedOption(key.option())) {
                continue;
            }
            if (key == SettingKey.GROUPING || key == SettingKey.RECORDS_STAGE) {
                List<String> pairs = result.matchedOptionValue(key.option(), List.of());
                for (String pair : pairs) {
                    int eq = pair.indexOf('=');
                    if (eq <= 0) {
                        throw new UsageException("option " + key.option() + ": \"" + pair + "\" is not "
                                + (key == SettingKey.GROUPING ? "label=value" : "stage=patterns") + "; "
                                + HELP_POINTER);
                    }
                    String concrete = key.prefix() + pair.substring(0, eq);
                    if (explicit.put(concrete, pair.substring(eq + 1)) != null) {
                        throw new UsageException("option " + key.option() + " gives " + pair.substring(0, eq)
                                + " twice; " + HELP_POINTER);
                    }
                }
            } else {
                explicit.put(key.key(), result.matchedOptionValue(key.option(), ""));
            }
        }
        if (result.hasMatchedOption(NO_AGENT)) {
            if (explicit.containsKey(SettingKey.AGENT.key())) {
                throw new UsageException("options " + NO_AGENT + " and " + SettingKey.AGENT.option()
                        + " contradict each other; " + HELP_POINTER);
            }
            explicit.put(SettingKey.AGENT.key(), "false");
        }
        List<String> jvmOptions = result.matchedOptionValue(JVM_OPTION, List.of());
        Path agentJar = null;
        if (result.hasMatchedOption(AGENT_JAR)) {
            agentJar = path(AGENT_JAR, result.matchedOptionValue(AGENT_JAR, ""));
        }
        List<String> job = result.matchedPositionalValue(0, List.of());
        JobSpec spec = jobSpec(result.matchedOptionValue(MAIN_CLASS, null),
                result.matchedOptionValue(CLASSPATH, null), new ArrayList<>(job));
        return new Invocation(explicit, jvmOptions, agentJar, spec);
    }

    /**
     * The job: {@code --main-class} and {@code --classpath} may come before {@code --} as runner options or right
     * after it as the start of JOB, as the contract writes them.
     */
    private static JobSpec jobSpec(String mainClass, String classpath, List<String> job) throws UsageException {
        while (!job.isEmpty()) {
            String first = job.get(0);
            String name = first.contains("=") ? first.substring(0, first.indexOf('=')) : first;
            boolean isMain = name.equals(MAIN_CLASS);
            boolean isCp = name.equals(CLASSPATH) || name.equals(CLASSPATH_SHORT);
            if (!isMain && !isCp) {
                break;
            }
            String value;
            if (first.contains("=")) {
                value = first.substring(first.indexOf('=') + 1);
                job.remove(0);
            } else {
                if (job.size() < 2) {
                    throw new UsageException("option " + name + " needs a value; " + HELP_POINTER);
                }
                value = job.get(1);
                job.subList(0, 2).clear();
            }
            if (isMain) {
                if (mainClass != null) {
                    throw new UsageException("option " + MAIN_CLASS + " given twice; " + HELP_POINTER);
                }
                mainClass = value;
            } else {
                if (classpath != null) {
                    throw new UsageException("option " + CLASSPATH + " given twice; " + HELP_POINTER);
                }
                classpath = value;
            }
        }
        if (mainClass != null || classpath != null) {
            if (mainClass == null || mainClass.isBlank()) {
                throw new UsageException("option " + CLASSPATH + " needs " + MAIN_CLASS + " CLASS too; "
                        + HELP_POINTER);
            }
            if (classpath == null || classpath.isBlank()) {
                throw new UsageException("option " + MAIN_CLASS + " needs " + CLASSPATH + " CP too; "
                        + HELP_POINTER);
            }
            return JobSpec.mainClass(mainClass, classpath, job);
        }
        if (job.isEmpty()) {
            throw new UsageException("no job given: add -- and the jar, main class or command to run; "
                    + HELP_POINTER);
        }
        String first = job.get(0);
        List<String> args = job.subList(1, job.size());
        if (first.isEmpty()) {
            throw new UsageException("the job's program is an empty string; " + HELP_POINTER);
        }
        return first.endsWith(".jar") ? JobSpec.jar(first, args) : JobSpec.command(first, args);
    }

    private static Path path(String option, String text) throws UsageException {
        try {
            return Path.of(text);
        } catch (InvalidPathException e) {
            throw new UsageException("option " + option + ": not a file name (" + e.getReason() + "); "
                    + HELP_POINTER);
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

package io.github.jobmetrics.cli;

import io.github.jobmetrics.config.SettingKey;
import java.io.PrintStream;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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

    /** Every option: the settings (from {@link SettingKey}) and the runner's own. */
    static final List<OptionDef> OPTIONS = options();

    private RunnerCommandLine() {
    }

    private static List<OptionDef> options() {
        List<OptionDef> out = new ArrayList<>();
        for (SettingKey key : SettingKey.values()) {
            String description = key.description() + " (default: " + key.defaultText() + ")";
            switch (key.kind()) {
                case BOOLEAN:
                    out.add(new OptionDef(key.option(), null, OptionDef.Arity.OPTIONAL_BOOLEAN, false, "true|false",
                            description));
                    break;
                case LABEL_MAP:
                    out.add(new OptionDef(key.option(), null, OptionDef.Arity.VALUE, true, "LABEL=VALUE",
                            description + " (repeatable)"));
                    break;
                default:
                    boolean stages = key == SettingKey.RECORDS_STAGE;
                    out.add(new OptionDef(key.option(), null, OptionDef.Arity.VALUE, stages,
                            stages ? "STAGE=PATTERNS" : paramLabel(key.kind()),
                            description + (stages ? " (repeatable)" : "")));
                    break;
            }
        }
        out.add(new OptionDef(NO_AGENT, null, OptionDef.Arity.FLAG, false, "", "same as --agent=false"));
        out.add(new OptionDef(JVM_OPTION, null, OptionDef.Arity.VALUE, true, "OPT",
                "an option for the job's JVM, such as -Xmx512m (repeatable)"));
        out.add(new OptionDef(AGENT_JAR, null, OptionDef.Arity.VALUE, false, "FILE",
                "the agent jar (default: job-metrics-agent.jar next to job-runner.jar)"));
        out.add(new OptionDef(MAIN_CLASS, null, OptionDef.Arity.VALUE, false, "CLASS",
                "run this main class instead of a jar (with --classpath)"));
        out.add(new OptionDef(CLASSPATH, CLASSPATH_SHORT, OptionDef.Arity.VALUE, false, "CP",
                "the class path of --main-class"));
        return List.copyOf(out);
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
            case PATTERN_LIST:
                return "PATTERNS";
            default:
                return "VALUE";
        }
    }

    /**
     * Parses a command line. {@code --help} and {@code --version} are answered on {@code out} and give an empty
     * result.
     *
     * <p>Loading picocli costs over 100 ms on a small machine, most of the runner's own start, so a plain command
     * line is read by {@link MatchedArgs#plain} and only the others (help, version, anything unusual or wrong) by
     * picocli; a test holds the two to the same results.
     *
     * @throws UsageException naming the option or argument at fault
     */
    static Optional<Invocation> parse(String[] args, PrintStream out) throws UsageException {
        Optional<MatchedArgs> matched = MatchedArgs.plain(args, OPTIONS);
        if (matched.isEmpty()) {
            matched = PicocliParser.parse(args, out);
        }
        return matched.isEmpty() ? Optional.empty() : Optional.of(toInvocation(matched.get()));
    }

    private static Invocation toInvocation(MatchedArgs result) throws UsageException {
        Map<String, String> explicit = new LinkedHashMap<>();
        for (SettingKey key : SettingKey.values()) {
            if (!result.has(key.option())) {
                continue;
            }
            if (key == SettingKey.GROUPING || key == SettingKey.RECORDS_STAGE) {
                List<String> pairs = result.values(key.option());
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
                explicit.put(key.key(), result.value(key.option()));
            }
        }
        if (result.has(NO_AGENT)) {
            if (explicit.containsKey(SettingKey.AGENT.key())) {
                throw new UsageException("options " + NO_AGENT + " and " + SettingKey.AGENT.option()
                        + " contradict each other; " + HELP_POINTER);
            }
            explicit.put(SettingKey.AGENT.key(), "false");
        }
        List<String> jvmOptions = result.values(JVM_OPTION);
        Path agentJar = null;
        if (result.has(AGENT_JAR)) {
            agentJar = path(AGENT_JAR, result.value(AGENT_JAR));
        }
        JobSpec spec = jobSpec(result.has(MAIN_CLASS) ? result.value(MAIN_CLASS) : null,
                result.has(CLASSPATH) ? result.value(CLASSPATH) : null, new ArrayList<>(result.positionals()));
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

}

package io.github.jobmetrics.config;

import static java.util.Objects.requireNonNull;

import io.github.jobmetrics.internal.config.Durations;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Every setting's key, kind, default and one-line description: the single list that the loader, the runner's
 * options and the documentation are made from.
 *
 * <p>Two keys are templates: {@code grouping.<label>} and {@code records.<stage>} stand for any number of keys
 * such as {@code grouping.team} or {@code records.load}. Each key can be given as a runner option or agent
 * argument, as the system property {@code jobmetrics.<key>}, as the environment variable
 * {@code JOBMETRICS_<KEY>} (see {@link #environmentVariable(String)}) or in the properties file named by
 * {@code config}.
 */
public enum SettingKey {

    /** Job name. */
    JOB("job", Kind.STRING, "the jar's or main class's simple name", "job name, the grouping key job", false),
    /** Pushgateway base URL. */
    GATEWAY("gateway", Kind.URL, "none: print the exposition to stderr instead of pushing",
            "Pushgateway base URL, http:// or https://", false),
    /** Remote-write receiver URL. */
    REMOTE_WRITE("remote-write", Kind.URL, "none",
            "remote-write 1.0 receiver URL (Prometheus, Mimir, Thanos Receive, VictoriaMetrics), with or without a"
                    + " gateway; the agent alone needs job-metrics-agent-remote-write.jar next to its jar", false),
    /** Extra headers for the remote-write receiver. */
    REMOTE_WRITE_HEADERS("remote-write.headers", Kind.STRING, "none",
            "extra headers for the remote-write receiver, Name=value separated by , (X-Scope-OrgID=team-a)", false),
    /** Extra grouping-key labels. */
    GROUPING("grouping.<label>", Kind.LABEL_MAP, "none", "extra grouping-key label", false),
    /** Record duration thresholds. */
    RECORD_SLO("record-slo", Kind.DURATION_LIST, "none", "record duration thresholds, separated by , (or ;)", false),
    /** Job duration objective. */
    JOB_SLO("job-slo", Kind.DURATION, "none", "job duration objective", false),
    /** Total push deadline. */
    PUSH_TIMEOUT("push-timeout", Kind.DURATION, "10s", "total time allowed for pushing, retries included", false),
    /** Retries of a push. */
    PUSH_RETRIES("push-retries", Kind.INT, "3", "retries on connection errors, 5xx and 429 (0 to 20)", false),
    /** Basic auth user. */
    BASIC_AUTH_USER("basic-auth-user", Kind.STRING, "none", "basic auth user", false),
    /** File holding the basic auth password. */
    BASIC_AUTH_PASSWORD_FILE("basic-auth-password-file", Kind.PATH, "none",
            "file holding the basic auth password (JOBMETRICS_BASIC_AUTH_PASSWORD also works)", false),
    /** File holding a bearer token. */
    BEARER_TOKEN_FILE("bearer-token-file", Kind.PATH, "none",
            "file holding a bearer token (JOBMETRICS_BEARER_TOKEN also works)", false),
    /** PKCS12 trust store. */
    TLS_TRUST_STORE("tls.trust-store", Kind.PATH, "JVM defaults", "PKCS12 trust store for the gateway", false),
    /** File holding the trust store password. */
    TLS_TRUST_STORE_PASSWORD_FILE("tls.trust-store-password-file", Kind.PATH, "none",
            "file holding the trust store password (JOBMETRICS_TLS_TRUST_STORE_PASSWORD also works)", false),
    /** PKCS12 key store. */
    TLS_KEY_STORE("tls.key-store", Kind.PATH, "JVM defaults", "PKCS12 key store for a client certificate", false),
    /** File holding the key store password. */
    TLS_KEY_STORE_PASSWORD_FILE("tls.key-store-password-file", Kind.PATH, "none",
            "file holding the key store password (JOBMETRICS_TLS_KEY_STORE_PASSWORD also works)", false),
    /** Continue counters from the group's current values. */
    ACCUMULATE("accumulate", Kind.BOOLEAN, "false", "continue counters from the group's current values", false),
    /** Push a running marker at the start. */
    PUSH_AT_START("push-at-start", Kind.BOOLEAN, "true",
            "push a \"running\" marker when the run starts (with remote-write: a start sample)", false),
    /** Print the pushed exposition. */
    PRINT("print", Kind.BOOLEAN, "false",
            "also print the exposition on stderr (without a gateway: what would be pushed)", false),
    /** Push _created series of the job's own metrics. */
    CREATED_SERIES("created-series", Kind.BOOLEAN, "false",
            "push the _created series of the job's own counters, summaries and histograms", false),
    /** Spool directory. */
    SPOOL_DIR("spool-dir", Kind.PATH, "${java.io.tmpdir}/jobmetrics-spool-${user.name}",
            "where unpushed metrics wait for the next run; used only if private to the user", false),
    /** Metric name prefix. */
    METRIC_PREFIX("metric-prefix", Kind.STRING, "batch_job", "prefix of the run and record metrics", false),
    /** Cardinality bound. */
    MAX_LABEL_VALUES("max-label-values", Kind.INT, "20", "cardinality bound per label and metric (1 to 10000)",
            false),
    /** Runner kill timeout. */
    TIMEOUT("timeout", Kind.DURATION, "none", "runner only: kill the job after this long", true),
    /** Properties file. */
    CONFIG("config", Kind.PATH, "none", "properties file holding further settings (weakest source but defaults)",
            false),
    /** Methods timed as records of the main stage. */
    RECORDS("records", Kind.PATTERN_LIST, "none",
            "methods whose calls are records of stage main, Type#method or Type#method(java.lang.String,int)"
            + " separated by ; (a Type counts its implementations and overrides)", false),
    /** Methods timed as records of a named stage. */
    RECORDS_STAGE("records.<stage>", Kind.PATTERN_LIST, "none",
            "methods whose calls are records of the named stage, patterns as for records", false),
    /** Methods counting input records. */
    INPUT("input", Kind.PATTERN_LIST, "none", "methods whose calls each count one input record", false),
    /** Methods counting output records. */
    OUTPUT("output", Kind.PATTERN_LIST, "none", "methods whose calls each count one output record", false),
    /** Nested calls of one pattern counted too. */
    COUNT_NESTED_CALLS("count-nested-calls", Kind.BOOLEAN, "false",
            "agent: also count a call of a pattern's method made inside another call of the same pattern on the"
            + " same thread (by default a record is one outermost call)", false),
    /** Discovery: the most-called methods of a package, printed at exit. */
    DISCOVER("discover", Kind.STRING, "none",
            "agent, for a trial run: print at exit the most-called methods under this package (such as org.h2) with"
            + " calls, throws and time, as patterns to paste; every method there is timed, so it slows the job",
            false),
    /** Strict agent. */
    STRICT("strict", Kind.BOOLEAN, "false",
            "agent: fail on a configuration problem it would otherwise report and ignore", false),
    /** The JVM the agent measures. */
    JOB_MAIN("job-main", Kind.STRING, "any JVM running an application",
            "agent: the job's main class or jar (file name or path); other JVMs loading the agent do not measure"
                    + " themselves", false),
    /** Runner attaches the agent. */
    AGENT("agent", Kind.BOOLEAN, "true", "runner only: attach the agent to Java jobs", true);

    /** How a setting's text is read. */
    public enum Kind {
        /** Free text. */
        STRING,
        /** An {@code http://} or {@code https://} URL. */
        URL,
        /** A duration, see {@link Durations#parse}. */
        DURATION,
        /** Comma-separated durations. */
        DURATION_LIST,
        /** A decimal integer in a range. */
        INT,
        /** {@code true} or {@code false}. */
        BOOLEAN,
        /** A file system path. */
        PATH,
        /** One label per key: {@code grouping.<label>=value}. */
        LABEL_MAP,
        /** {@code fully.qualified.Class#method} patterns separated by {@code ;}. */
        PATTERN_LIST
    }

    /** Prefix of every system property that is a setting. */
    public static final String SYSTEM_PROPERTY_PREFIX = "jobmetrics.";

    /** Prefix of every environment variable that is a setting. */
    public static final String ENVIRONMENT_PREFIX = "JOBMETRICS_";

    private final String key;
    private final Kind kind;
    private final String defaultText;
    private final String description;
    private final boolean runnerOnly;

    SettingKey(String key, Kind kind, String defaultText, String description, boolean runnerOnly) {
        this.key = key;
        this.kind = kind;
        this.defaultText = defaultText;
        this.description = description;
        this.runnerOnly = runnerOnly;
    }

    /** The key as documented, for example {@code push-timeout}, or {@code grouping.<label>} for a template. */
    public String key() {
        return key;
    }

    /** How the setting's text is read. */
    public Kind kind() {
        return kind;
    }

    /** The default, as text for documentation, for example {@code 10s} or {@code none}. */
    public String defaultText() {
        return defaultText;
    }

    /** One line saying what the setting does. */
    public String description() {
        return description;
    }

    /** Whether only the runner uses the setting (the agent and the API accept and ignore it). */
    public boolean runnerOnly() {
        return runnerOnly;
    }

    /** Whether this key stands for many keys, such as {@code grouping.<label>}. */
    public boolean isTemplate() {
        return key.endsWith(">");
    }

    /**
     * The part before the placeholder for a template ({@code grouping.}, {@code records.}), else the key itself.
     */
    public String prefix() {
        return isTemplate() ? key.substring(0, key.indexOf('<')) : key;
    }

    /**
     * The runner option: {@code --} and the key with {@code .} turned into {@code -} ({@code --tls-trust-store}),
     * except {@code --grouping-key label=value} and {@code --records-stage stage=patterns} for the templates.
     */
    public String option() {
        switch (this) {
            case GROUPING:
                return "--grouping-key";
            case RECORDS_STAGE:
                return "--records-stage";
            default:
                return "--" + key.replace('.', '-');
        }
    }

    /** The system property, {@code jobmetrics.<key>}. */
    public String systemProperty() {
        return SYSTEM_PROPERTY_PREFIX + key;
    }

    /** The environment variable, for example {@code JOBMETRICS_PUSH_TIMEOUT} or {@code JOBMETRICS_GROUPING_<LABEL>}. */
    public String environmentVariable() {
        return isTemplate() ? environmentVariable(prefix()) + "<" + placeholder().toUpperCase(Locale.ROOT) + ">"
                : environmentVariable(key);
    }

    /**
     * This fixed key's raw value from the sources that are cheap to read before a job's {@code main} (an agent
     * argument, then {@code jobmetrics.<key>}, then {@code JOBMETRICS_<KEY>}), with the loader's precedence; empty
     * when none of them gives it. The properties file and validation are the loader's.
     */
    public Optional<String> rawValue(Map<String, String> arguments, Properties systemProperties,
            Map<String, String> environment) {
        if (isTemplate()) {
            throw new IllegalStateException(key + " is a template; ask for a concrete key");
        }
        String value = arguments.get(key);
        if (value == null) {
            value = systemProperties.getProperty(systemProperty());
        }
        if (value == null) {
            value = environment.get(environmentVariable());
        }
        return Optional.ofNullable(value);
    }

    /**
     * Whether any of the cheap sources of {@link #rawValue} names this key, or for a template any key it stands
     * for ({@code records.load} for {@code records.<stage>}).
     */
    public boolean givenIn(Map<String, String> arguments, Properties systemProperties,
            Map<String, String> environment) {
        if (!isTemplate()) {
            return rawValue(arguments, systemProperties, environment).isPresent();
        }
        // Loops, not streams: the agent asks this before the job's main, where a first lambda costs milliseconds.
        for (String k : arguments.keySet()) {
            if (k.startsWith(prefix())) {
                return true;
            }
        }
        for (String name : systemProperties.stringPropertyNames()) {
            if (name.startsWith(SYSTEM_PROPERTY_PREFIX + prefix())) {
                return true;
            }
        }
        String envPrefix = environmentVariable(prefix());
        for (String name : environment.keySet()) {
            if (name.startsWith(envPrefix)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Finds the key a concrete key belongs to: {@code push-timeout} to {@link #PUSH_TIMEOUT}, {@code grouping.team}
     * to {@link #GROUPING}. A template's prefix with nothing after it ({@code grouping.}) belongs to the template,
     * so that the loader can say the label is missing.
     */
    public static Optional<SettingKey> of(String concreteKey) {
        requireNonNull(concreteKey, "concreteKey must not be null");
        for (SettingKey candidate : values()) {
            if (candidate.isTemplate() ? concreteKey.startsWith(candidate.prefix()) : concreteKey.equals(candidate.key)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /**
     * The environment variable for a concrete key: {@code JOBMETRICS_} and the key in upper case with {@code .}
     * and {@code -} turned into {@code _}, so {@code tls.trust-store} is {@code JOBMETRICS_TLS_TRUST_STORE} and
     * {@code grouping.team} is {@code JOBMETRICS_GROUPING_TEAM}.
     */
    public static String environmentVariable(String concreteKey) {
        requireNonNull(concreteKey, "concreteKey must not be null");
        return ENVIRONMENT_PREFIX + concreteKey.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /**
     * The concrete key an environment variable stands for, the reverse of {@link #environmentVariable(String)}.
     * Fixed keys are matched exactly. For the templates, the part after {@code JOBMETRICS_GROUPING_} or
     * {@code JOBMETRICS_RECORDS_} is taken in lower case as the label or stage, so {@code JOBMETRICS_GROUPING_DATA_CENTER}
     * is {@code grouping.data_center}; a label or stage with capitals can be given only by the other sources.
     *
     * @return the key, or empty if the variable is not a setting
     */
    public static Optional<String> keyOfEnvironmentVariable(String name) {
        requireNonNull(name, "name must not be null");
        for (SettingKey candidate : values()) {
            if (!candidate.isTemplate() && environmentVariable(candidate.key).equals(name)) {
                return Optional.of(candidate.key);
            }
        }
        for (SettingKey candidate : values()) {
            String prefix = environmentVariable(candidate.prefix());
            if (candidate.isTemplate() && name.startsWith(prefix) && name.length() > prefix.length()) {
                return Optional.of(candidate.prefix() + name.substring(prefix.length()).toLowerCase(Locale.ROOT));
            }
        }
        return Optional.empty();
    }

    private String placeholder() {
        return key.substring(key.indexOf('<') + 1, key.length() - 1);
    }
}

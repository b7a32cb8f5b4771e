package io.github.jobmetrics.config;

import static java.util.Objects.requireNonNull;

import edu.umd.cs.findbugs.annotations.Nullable;
import io.github.jobmetrics.internal.config.Durations;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * The settings of one run, validated and immutable. Made by {@link SettingsLoader#load} from the four sources, or
 * {@link #defaults()} in tests and demos. The meaning and default of each setting is in {@link SettingKey}.
 *
 * <p>Secrets are not held here, only where to read them: see {@link #secrets()}. {@link #toString()} shows every
 * setting and no secret.
 */
public final class Settings {

    /** Default of {@code push-timeout}. */
    public static final Duration DEFAULT_PUSH_TIMEOUT = Duration.ofSeconds(10);
    /** Default of {@code push-retries}. */
    public static final int DEFAULT_PUSH_RETRIES = 3;
    /** Default of {@code metric-prefix}. */
    public static final String DEFAULT_METRIC_PREFIX = "batch_job";
    /** Default of {@code max-label-values}. */
    public static final int DEFAULT_MAX_LABEL_VALUES = 20;
    /** The stage of {@code records} without a stage name. */
    public static final String MAIN_STAGE = "main";
    /** Directory name of the default spool directory, under {@code java.io.tmpdir}, before the user's name. */
    public static final String SPOOL_DIR_NAME = "jobmetrics-spool";

    /**
     * The default spool directory: one per user under {@code tmpdir}, {@code jobmetrics-spool-<user.name>}, so
     * users never share one (the spool also refuses a directory another user owns or can write to).
     */
    public static Path defaultSpoolDir(String tmpdir, @Nullable String userName) {
        String user = userName == null || userName.isBlank() ? "unknown" : userName.replaceAll("[^A-Za-z0-9._-]", "_");
        return Path.of(tmpdir, SPOOL_DIR_NAME + "-" + user);
    }

    @Nullable private final String job;
    @Nullable private final URI gateway;
    @Nullable private final URI remoteWrite;
    private final Map<String, String> remoteWriteHeaders;
    private final Map<String, String> groupingKey;
    private final List<Duration> recordSlos;
    @Nullable private final Duration jobSlo;
    private final Duration pushTimeout;
    private final int pushRetries;
    @Nullable private final String basicAuthUser;
    @Nullable private final Path basicAuthPasswordFile;
    @Nullable private final Path bearerTokenFile;
    @Nullable private final Path tlsTrustStore;
    @Nullable private final Path tlsTrustStorePasswordFile;
    @Nullable private final Path tlsKeyStore;
    @Nullable private final Path tlsKeyStorePasswordFile;
    private final boolean accumulate;
    private final boolean print;
    private final boolean createdSeries;
    private final boolean pushAtStart;
    private final Path spoolDir;
    private final String metricPrefix;
    private final int maxLabelValues;
    @Nullable private final Duration timeout;
    @Nullable private final Path config;
    private final Map<String, List<String>> recordPatterns;
    private final List<String> inputPatterns;
    private final List<String> outputPatterns;
    private final boolean strict;
    private final boolean countNestedCalls;
    private final @Nullable String jobMain;
    private final @Nullable String discover;
    private final boolean agent;
    private final Secrets secrets;

    private Settings(Builder b) {
        job = b.job;
        gateway = b.gateway;
        remoteWrite = b.remoteWrite;
        remoteWriteHeaders = Collections.unmodifiableMap(new LinkedHashMap<>(b.remoteWriteHeaders));
        groupingKey = Collections.unmodifiableMap(new LinkedHashMap<>(b.groupingKey));
        recordSlos = List.copyOf(b.recordSlos);
        jobSlo = b.jobSlo;
        pushTimeout = requireNonNull(b.pushTimeout, "pushTimeout must not be null");
        pushRetries = b.pushRetries;
        basicAuthUser = b.basicAuthUser;
        basicAuthPasswordFile = b.basicAuthPasswordFile;
        bearerTokenFile = b.bearerTokenFile;
        tlsTrustStore = b.tlsTrustStore;
        tlsTrustStorePasswordFile = b.tlsTrustStorePasswordFile;
        tlsKeyStore = b.tlsKeyStore;
        tlsKeyStorePasswordFile = b.tlsKeyStorePasswordFile;
        accumulate = b.accumulate;
        print = b.print;
        createdSeries = b.createdSeries;
        pushAtStart = b.pushAtStart;
        spoolDir = requireNonNull(b.spoolDir, "spoolDir must not be null");
        metricPrefix = requireNonNull(b.metricPrefix, "metricPrefix must not be null");
        maxLabelValues = b.maxLabelValues;
        timeout = b.timeout;
        config = b.config;
        Map<String, List<String>> patterns = new LinkedHashMap<>();
        b.recordPatterns.forEach((stage, list) -> patterns.put(stage, List.copyOf(list)));
        recordPatterns = Collections.unmodifiableMap(patterns);
        inputPatterns = List.copyOf(b.inputPatterns);
        outputPatterns = List.copyOf(b.outputPatterns);
        strict = b.strict;
        countNestedCalls = b.countNestedCalls;
        jobMain = b.jobMain;
        discover = b.discover;
        agent = b.agent;
        secrets = requireNonNull(b.secrets, "secrets must not be null");
    }

    /**
     * Every setting at its default, with the spool directory under this JVM's {@code java.io.tmpdir} and no
     * secrets. For tests and demos; programs load settings with {@link SettingsLoader#load}.
     */
    public static Settings defaults() {
        return new Builder(defaultSpoolDir(System.getProperty("java.io.tmpdir"), System.getProperty("user.name")))
                .build();
    }

    /** The job name ({@code job}); empty when the caller should derive one. */
    public Optional<String> job() {
        return Optional.ofNullable(job);
    }

    /** The job name, or the fallback (such as the jar's or main class's simple name) when none is set. */
    public String jobOr(String fallback) {
        requireNonNull(fallback, "fallback must not be null");
        return job != null ? job : fallback;
    }

    /** The Pushgateway base URL ({@code gateway}); empty means print the exposition instead of pushing. */
    public Optional<URI> gateway() {
        return Optional.ofNullable(gateway);
    }

    /** The remote-write receiver URL ({@code remote-write}); empty means no remote write. */
    public Optional<URI> remoteWrite() {
        return Optional.ofNullable(remoteWrite);
    }

    /** Extra headers for the remote-write receiver ({@code remote-write.headers}), in the order given. */
    public Map<String, String> remoteWriteHeaders() {
        return remoteWriteHeaders;
    }

    /** Extra grouping-key labels ({@code grouping.<label>}), in the order given, without {@code job}. */
    public Map<String, String> groupingKey() {
        return groupingKey;
    }

    /** Record duration thresholds ({@code record-slo}), ascending and distinct, each positive. */
    public List<Duration> recordSlos() {
        return recordSlos;
    }

    /** The job duration objective ({@code job-slo}). */
    public Optional<Duration> jobSlo() {
        return Optional.ofNullable(jobSlo);
    }

    /** Total time for pushing, retries included ({@code push-timeout}); positive, 10 s by default. */
    public Duration pushTimeout() {
        return pushTimeout;
    }

    /** Retries after a failed push attempt ({@code push-retries}); 0 to 20, 3 by default. */
    public int pushRetries() {
        return pushRetries;
    }

    /** The basic auth user ({@code basic-auth-user}); when present, a password source is configured too. */
    public Optional<String> basicAuthUser() {
        return Optional.ofNullable(basicAuthUser);
    }

    /** The file holding the basic auth password ({@code basic-auth-password-file}). */
    public Optional<Path> basicAuthPasswordFile() {
        return Optional.ofNullable(basicAuthPasswordFile);
    }

    /** The file holding the bearer token ({@code bearer-token-file}). */
    public Optional<Path> bearerTokenFile() {
        return Optional.ofNullable(bearerTokenFile);
    }

    /** The PKCS12 trust store ({@code tls.trust-store}); empty means the JVM's default trust. */
    public Optional<Path> tlsTrustStore() {
        return Optional.ofNullable(tlsTrustStore);
    }

    /** The file holding the trust store password ({@code tls.trust-store-password-file}). */
    public Optional<Path> tlsTrustStorePasswordFile() {
        return Optional.ofNullable(tlsTrustStorePasswordFile);
    }

    /** The PKCS12 key store with a client certificate ({@code tls.key-store}). */
    public Optional<Path> tlsKeyStore() {
        return Optional.ofNullable(tlsKeyStore);
    }

    /** The file holding the key store password ({@code tls.key-store-password-file}). */
    public Optional<Path> tlsKeyStorePasswordFile() {
        return Optional.ofNullable(tlsKeyStorePasswordFile);
    }

    /** Whether the exposition is also printed on stderr ({@code print}); false by default. */
    public boolean print() {
        return print;
    }

    /**
     * Whether the {@code _created} series of the job's own counters, summaries and histograms are pushed
     * ({@code created-series}); false by default, since a creation time says nothing about a batch run.
     */
    public boolean createdSeries() {
        return createdSeries;
    }

    /** Whether counters continue from the group's current values ({@code accumulate}); false by default. */
    public boolean accumulate() {
        return accumulate;
    }

    /** Whether a "running" marker is pushed when the run starts ({@code push-at-start}); true by default. */
    public boolean pushAtStart() {
        return pushAtStart;
    }

    /** Where unpushed metrics wait for the next run ({@code spool-dir}). */
    public Path spoolDir() {
        return spoolDir;
    }

    /** Prefix of the run and record metrics ({@code metric-prefix}); {@code batch_job} by default. */
    public String metricPrefix() {
        return metricPrefix;
    }

    /** Cardinality bound per label and metric ({@code max-label-values}); 1 to 10000, 20 by default. */
    public int maxLabelValues() {
        return maxLabelValues;
    }

    /** Runner only: how long the job may run before it is killed ({@code timeout}). */
    public Optional<Duration> timeout() {
        return Optional.ofNullable(timeout);
    }

    /** The properties file the settings were read from ({@code config}). */
    public Optional<Path> config() {
        return Optional.ofNullable(config);
    }

    /**
     * Methods timed as records, by stage ({@code records} is stage {@code main}, {@code records.<stage>} the
     * others), each {@code fully.qualified.Class#method}; no method is in two stages.
     */
    public Map<String, List<String>> recordPatterns() {
        return recordPatterns;
    }

    /** Methods whose calls each count one input record ({@code input}). */
    public List<String> inputPatterns() {
        return inputPatterns;
    }

    /** Methods whose calls each count one output record ({@code output}). */
    public List<String> outputPatterns() {
        return outputPatterns;
    }

    /**
     * Whether a call of a pattern's method inside another call of the same pattern on the same thread counts too
     * ({@code count-nested-calls}); by default a record is one outermost call.
     */
    public boolean countNestedCalls() {
        return countNestedCalls;
    }

    /** Whether the agent fails on a configuration problem instead of reporting it ({@code strict}). */
    public boolean strict() {
        return strict;
    }

    /** The job's main class or jar ({@code job-main}): a JVM running anything else does not measure itself. */
    public Optional<String> jobMain() {
        return Optional.ofNullable(jobMain);
    }

    /** The package whose most-called methods the agent prints at exit ({@code discover}), such as {@code org.h2}. */
    public Optional<String> discover() {
        return Optional.ofNullable(discover);
    }

    /** Runner only: whether the runner attaches the agent to Java jobs ({@code agent}); true by default. */
    public boolean agent() {
        return agent;
    }

    /** Where the push credentials are read from, at each push. */
    public Secrets secrets() {
        return secrets;
    }

    /** Every setting by key; secrets only as the sources they are read from. */
    @Override
    public String toString() {
        StringJoiner out = new StringJoiner(", ", "Settings[", "]");
        out.add("job=" + job).add("gateway=" + gateway).add("grouping=" + groupingKey)
                .add("remote-write=" + remoteWrite).add("remote-write.headers=" + remoteWriteHeaders.keySet())
                .add("record-slo=" + formatAll(recordSlos)).add("job-slo=" + format(jobSlo))
                .add("push-timeout=" + Durations.format(pushTimeout)).add("push-retries=" + pushRetries)
                .add("basic-auth-user=" + basicAuthUser).add("basic-auth-password-file=" + basicAuthPasswordFile)
                .add("bearer-token-file=" + bearerTokenFile).add("tls.trust-store=" + tlsTrustStore)
                .add("tls.trust-store-password-file=" + tlsTrustStorePasswordFile)
                .add("tls.key-store=" + tlsKeyStore).add("tls.key-store-password-file=" + tlsKeyStorePasswordFile)
                .add("accumulate=" + accumulate).add("print=" + print).add("created-series=" + createdSeries).add("push-at-start=" + pushAtStart).add("spool-dir=" + spoolDir)
                .add("metric-prefix=" + metricPrefix).add("max-label-values=" + maxLabelValues)
                .add("timeout=" + format(timeout)).add("config=" + config).add("records=" + recordPatterns)
                .add("input=" + inputPatterns).add("output=" + outputPatterns).add("strict=" + strict)
                .add("count-nested-calls=" + countNestedCalls)
                .add("job-main=" + jobMain).add("discover=" + discover).add("agent=" + agent).add("secrets=" + secrets);
        return out.toString();
    }

    private static String format(@Nullable Duration duration) {
        return duration == null ? "null" : Durations.format(duration);
    }

    private static List<String> formatAll(List<Duration> durations) {
        List<String> out = new ArrayList<>(durations.size());
        durations.forEach(d -> out.add(Durations.format(d)));
        return out;
    }

    /** Collects already validated values for the loader; starts at the defaults. */
    static final class Builder {
        @Nullable String job;
        @Nullable URI gateway;
        @Nullable URI remoteWrite;
        Map<String, String> remoteWriteHeaders = Map.of();
        final Map<String, String> groupingKey = new LinkedHashMap<>();
        List<Duration> recordSlos = List.of();
        @Nullable Duration jobSlo;
        Duration pushTimeout = DEFAULT_PUSH_TIMEOUT;
        int pushRetries = DEFAULT_PUSH_RETRIES;
        @Nullable String basicAuthUser;
        @Nullable Path basicAuthPasswordFile;
        @Nullable Path bearerTokenFile;
        @Nullable Path tlsTrustStore;
        @Nullable Path tlsTrustStorePasswordFile;
        @Nullable Path tlsKeyStore;
        @Nullable Path tlsKeyStorePasswordFile;
        boolean accumulate;
        boolean print;
        boolean createdSeries;
        boolean pushAtStart = true;
        Path spoolDir;
        String metricPrefix = DEFAULT_METRIC_PREFIX;
        int maxLabelValues = DEFAULT_MAX_LABEL_VALUES;
        @Nullable Duration timeout;
        @Nullable Path config;
        final Map<String, List<String>> recordPatterns = new LinkedHashMap<>();
        List<String> inputPatterns = List.of();
        List<String> outputPatterns = List.of();
        boolean strict;
        boolean countNestedCalls;
        @Nullable String jobMain;
        @Nullable String discover;
        boolean agent = true;
        Secrets secrets = Secrets.none();

        Builder(Path spoolDir) {
            this.spoolDir = requireNonNull(spoolDir, "spoolDir must not be null");
        }

        Settings build() {
            return new Settings(this);
        }
    }
}

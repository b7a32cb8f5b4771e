package io.github.jobmetrics.config;

import static java.util.Objects.requireNonNull;

import io.github.jobmetrics.internal.config.Durations;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads the settings of a run from its four sources, strongest first:
 * <ol>
 *   <li>explicit settings: the runner's options or the agent's arguments, by key;</li>
 *   <li>system properties {@code jobmetrics.<key>};</li>
 *   <li>environment variables {@code JOBMETRICS_<KEY>}, see {@link SettingKey#environmentVariable(String)};</li>
 *   <li>the properties file named by {@code config} in any of the above, with bare keys ({@code push-timeout=5s});</li>
 * </ol>
 * then the defaults. A stronger source wins key by key; {@code grouping.<label>} and {@code records.<stage>} are
 * one key per label or stage, and {@code records} is the same key as {@code records.main}.
 *
 * <p>Every source is checked for unknown keys (with the nearest known key suggested) and for secrets given as
 * settings, which are refused. Only the winning value of each key is parsed, so a stronger source can override a
 * broken value in a shared file. Values are stripped of surrounding white space; an empty value is an error
 * rather than a way to unset a key, except for {@code grouping.<label>}, where it is the label's empty value. Relative paths are taken from the working directory, in the file too.
 * Files named by the secret and TLS store keys must be readable at load time, so that a wrong path stops the run
 * before it starts rather than at its final push.
 */
public final class SettingsLoader {

    /** Environment variables with the {@code JOBMETRICS_} prefix that are not settings and are not refused. */
    public static final Set<String> NON_SETTING_VARIABLES = Set.of("JOBMETRICS_TEXTFILE", "JOBMETRICS_HANDOFF",
            Secrets.BASIC_AUTH_PASSWORD_VARIABLE, Secrets.BEARER_TOKEN_VARIABLE,
            Secrets.TRUST_STORE_PASSWORD_VARIABLE, Secrets.KEY_STORE_PASSWORD_VARIABLE);

    /** The explicit source name that makes keys show as runner options ({@code option --push-timeout}). */
    public static final String OPTION_SOURCE = "option";

    private static final int MAX_PUSH_RETRIES = 20;
    private static final int MAX_CONFIG_BYTES = 1 << 20;
    private static final int MAX_LABEL_VALUES = 10_000;
    private static final int MAX_PORT = 65_535;

    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Pattern METRIC_PREFIX = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Pattern STAGE = Pattern.compile("[a-zA-Z0-9_][a-zA-Z0-9_-]{0,63}");
    private static final String IDENTIFIER = "\\p{javaJavaIdentifierStart}\\p{javaJavaIdentifierPart}*";
    private static final String QUALIFIED = IDENTIFIER + "(?:\\." + IDENTIFIER + ")*";
    private static final String PARAMETER = "\\s*" + QUALIFIED + "(?:\\[\\])*\\s*";
    /** {@code Type#method}, optionally with one overload's parameter list: {@code Type#method(java.lang.String,int)}. */
    private static final Pattern METHOD_PATTERN = Pattern.compile(QUALIFIED + "#" + IDENTIFIER
            + "(?:\\((?:" + PARAMETER + "(?:," + PARAMETER + ")*)?\\))?");

    // Names the Pushgateway owns or overwrites; a prefix that makes ours look like them gets 400s or clobbering.
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    private static final Set<String> OWNED_HEADERS = Set.of("authorization", "content-encoding", "content-type",
            "content-length", "host", "x-prometheus-remote-write-version");
    private static final List<String> RESERVED_METRIC_STARTS = List.of("go_", "process_", "pushgateway_");

    /** Secrets a user may try to give as a setting, with where they belong instead. */
    private static final Map<String, SettingKey> SECRET_KEYS = Map.of(
            "basic-auth-password", SettingKey.BASIC_AUTH_PASSWORD_FILE,
            "bearer-token", SettingKey.BEARER_TOKEN_FILE,
            "tls.trust-store-password", SettingKey.TLS_TRUST_STORE_PASSWORD_FILE,
            "tls.key-store-password", SettingKey.TLS_KEY_STORE_PASSWORD_FILE);

    private SettingsLoader() {
    }

    /**
     * Loads and validates the settings of one run.
     *
     * @param explicit settings by key ({@code push-timeout}, {@code grouping.team}), strongest; iteration order
     *     decides the order of grouping labels given here
     * @param explicitSourceName what the explicit settings are called in messages, such as {@code option} (keys
     *     then show as runner options, {@code option --push-timeout}) or {@code agent argument} (keys show as they
     *     are, {@code agent argument push-timeout})
     * @param systemProperties the JVM's system properties; only {@code jobmetrics.*} are settings, and
     *     {@code java.io.tmpdir} and {@code user.name} place the default spool directory
     * @param environment the process environment; only {@code JOBMETRICS_*} are read
     * @return the settings
     * @throws SettingsException on the first unknown key, refused secret, unreadable file or invalid value
     */
    public static Settings load(Map<String, String> explicit, String explicitSourceName, Properties systemProperties,
            Map<String, String> environment) throws SettingsException {
        requireNonNull(explicit, "explicit must not be null");
        requireNonNull(explicitSourceName, "explicitSourceName must not be null");
        requireNonNull(systemProperties, "systemProperties must not be null");
        requireNonNull(environment, "environment must not be null");

        Map<String, Raw> winners = new LinkedHashMap<>();
        merge(winners, fromExplicit(explicit, explicitSourceName));
        merge(winners, fromSystemProperties(systemProperties));
        merge(winners, fromEnvironment(environment));
        Raw config = winners.get(SettingKey.CONFIG.key());
        if (config != null) {
            merge(winners, fromFile(parsePath(config), config));
        }

        String tmp = systemProperties.getProperty("java.io.tmpdir");
        // Only a caller passing a bare Properties lacks java.io.tmpdir; this JVM's is the sensible place then.
        String user = systemProperties.getProperty("user.name");
        Path defaultSpool = Settings.defaultSpoolDir(tmp != null ? tmp : System.getProperty("java.io.tmpdir"),
                user != null ? user : System.getProperty("user.name"));
        Settings.Builder builder = new Settings.Builder(defaultSpool);
        try {
            for (Raw raw : winners.values()) {
                apply(builder, raw);
            }
            checkPatternsAcrossStages(builder, winners);
            builder.secrets = secrets(builder, winners, environment);
            checkCombinations(builder, winners);
        } catch (SettingsException e) {
            Raw strict = winners.get(SettingKey.STRICT.key());
            throw strict != null && "true".equalsIgnoreCase(strict.text().strip()) ? e.withStrictRequested() : e;
        }
        return builder.build();
    }

    // ---------------------------------------------------------------------------------------------- sources

    /** One key's text from one source. {@code slot} is the key that precedence works on. */
    private record Raw(String key, String slot, SettingKey setting, String text, String source) {
    }

    private static List<Raw> fromExplicit(Map<String, String> explicit, String sourceName) throws SettingsException {
        boolean asOptions = OPTION_SOURCE.equals(sourceName);
        Function<String, String> describe = key -> sourceName + " " + (asOptions ? optionSpelling(key) : key);
        Function<SettingKey, String> spell = asOptions ? SettingKey::option : SettingKey::key;
        List<Raw> out = new ArrayList<>();
        for (Map.Entry<String, String> entry : explicit.entrySet()) {
            String key = requireNonNull(entry.getKey(), "explicit keys must not be null");
            String value = requireNonNull(entry.getValue(), () -> "explicit value of " + key + " must not be null");
            out.add(known(key, value, describe.apply(key), asOptions ? optionSpelling(key) : key, spell));
        }
        return checkRecordsAlias(out);
    }

    private static List<Raw> fromSystemProperties(Properties properties) throws SettingsException {
        List<Raw> out = new ArrayList<>();
        // Sorted so that the first error reported does not depend on hash order.
        for (String name : new TreeSet<>(properties.stringPropertyNames())) {
            if (name.startsWith(SettingKey.SYSTEM_PROPERTY_PREFIX)) {
                String key = name.substring(SettingKey.SYSTEM_PROPERTY_PREFIX.length());
                out.add(known(key, properties.getProperty(name), "system property " + name, name,
                        SettingKey::systemProperty));
            }
        }
        return checkRecordsAlias(out);
    }

    private static List<Raw> fromEnvironment(Map<String, String> environment) throws SettingsException {
        List<Raw> out = new ArrayList<>();
        for (Map.Entry<String, String> entry : new TreeMap<>(environment).entrySet()) {
            String name = entry.getKey();
            if (!name.startsWith(SettingKey.ENVIRONMENT_PREFIX) || NON_SETTING_VARIABLES.contains(name)) {
                continue;
            }
            String source = "environment variable " + name;
            Optional<String> key = SettingKey.keyOfEnvironmentVariable(name);
            if (key.isEmpty()) {
                List<String> candidates = new ArrayList<>();
                for (SettingKey setting : SettingKey.values()) {
                    candidates.add(setting.environmentVariable());
                }
                candidates.addAll(new TreeSet<>(NON_SETTING_VARIABLES));
                throw new SettingsException(name, source,
                        "is not a setting; did you mean " + nearest(name, candidates) + "?");
            }
            out.add(known(key.get(), entry.getValue(), source, name, SettingKey::environmentVariable));
        }
        return checkRecordsAlias(out);
    }

    private static List<Raw> fromFile(Path file, Raw config) throws SettingsException {
        Properties properties = new Properties();
        // Only a regular file, and only so much of it: /dev/zero or a FIFO would otherwise fill the heap or block.
        if (Files.exists(file) && !Files.isRegularFile(file) && !Files.isDirectory(file)) {
            throw cannotRead(config, file, "is not a regular file");
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(MAX_CONFIG_BYTES + 1);
            if (bytes.length > MAX_CONFIG_BYTES) {
                throw cannotRead(config, file, "is larger than " + (MAX_CONFIG_BYTES >> 10) + " KiB");
            }
            properties.load(new StringReader(StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString()));
        } catch (NoSuchFileException e) {
            throw cannotRead(config, file, "does not exist");
        } catch (AccessDeniedException e) {
            throw cannotRead(config, file, "is not readable by this process");
        } catch (CharacterCodingException e) {
            throw cannotRead(config, file, "is not UTF-8 text");
        } catch (IOException e) {
            throw cannotRead(config, file, "cannot be read (" + e.getClass().getSimpleName() + ")");
        } catch (IllegalArgumentException e) {
            throw cannotRead(config, file, "is not a properties file (bad \\u escape)");
        }
        String source = "file " + file;
        List<Raw> out = new ArrayList<>();
        for (String key : new TreeSet<>(properties.stringPropertyNames())) {
            if (key.equals(SettingKey.CONFIG.key())) {
                throw new SettingsException(key, source,
                        "cannot name another file; give config as an option, system property or environment variable");
            }
            if (key.startsWith(SettingKey.SYSTEM_PROPERTY_PREFIX)
                    && SettingKey.of(key.substring(SettingKey.SYSTEM_PROPERTY_PREFIX.length())).isPresent()) {
                throw new SettingsException(key, source, "is not a setting; did you mean "
                        + key.substring(SettingKey.SYSTEM_PROPERTY_PREFIX.length())
                        + "? keys in the file have no jobmetrics. prefix");
            }
            out.add(known(key, properties.getProperty(key), source, key, SettingKey::key));
        }
        return checkRecordsAlias(out);
    }

    private static SettingsException cannotRead(Raw config, Path file, String problem) {
        return new SettingsException(config.key(), config.source(),
                "names file " + file + ", which " + problem + "; give the path of a readable properties file");
    }

    /**
     * Checks that a key exists and is not a secret, and makes its raw value.
     *
     * @param shown how the key is spelled in this source, for the unknown-key message
     * @param spell how known keys are spelled in this source, for the suggestion
     */
    private static Raw known(String key, String value, String source, String shown, Function<SettingKey, String> spell)
            throws SettingsException {
        SettingKey fileKey = SECRET_KEYS.get(key);
        if (fileKey != null) {
            // The value is not even looked at: it must not reach a message or a log.
            throw new SettingsException(key, source, "is refused: secrets are not taken from options, system"
                    + " properties, agent arguments or settings files, which show in process listings, JVM banners"
                    + " and shared files; put it in the file named by " + fileKey.key() + " or in environment"
                    + " variable " + SettingKey.environmentVariable(key));
        }
        Optional<SettingKey> setting = SettingKey.of(key);
        if (setting.isEmpty()) {
            List<String> candidates = new ArrayList<>();
            for (SettingKey candidate : SettingKey.values()) {
                candidates.add(spell.apply(candidate));
            }
            // The value is not shown: a misspelled secret key would otherwise print the secret.
            throw new SettingsException(key, source, "is not a setting; did you mean " + nearest(shown, candidates)
                    + "?");
        }
        String slot = setting.get() == SettingKey.RECORDS ? SettingKey.RECORDS_STAGE.prefix() + Settings.MAIN_STAGE
                : key;
        return new Raw(key, slot, setting.get(), value, source);
    }

    /** {@code records} and {@code records.main} are one key; both in one source would make one of them silent. */
    private static List<Raw> checkRecordsAlias(List<Raw> raws) throws SettingsException {
        Map<String, Raw> seen = new LinkedHashMap<>();
        for (Raw raw : raws) {
            Raw earlier = seen.putIfAbsent(raw.slot(), raw);
            if (earlier != null) {
                throw new SettingsException(raw.key(), raw.source(), "is the same setting as " + earlier.key()
                        + " (" + earlier.source() + "); give only one of them");
            }
        }
        return raws;
    }

    private static void merge(Map<String, Raw> winners, List<Raw> weaker) {
        for (Raw raw : weaker) {
            winners.putIfAbsent(raw.slot(), raw);
        }
    }

    private static String optionSpelling(String key) {
        Optional<SettingKey> setting = SettingKey.of(key);
        if (setting.isPresent() && setting.get().isTemplate()) {
            return setting.get().option() + " " + key.substring(setting.get().prefix().length());
        }
        return setting.map(SettingKey::option).orElse("--" + key.replace('.', '-'));
    }

    // ---------------------------------------------------------------------------------------------- values

    private static void apply(Settings.Builder b, Raw raw) throws SettingsException {
        String text = raw.text().strip();
        // An empty grouping value is a real group (the Pushgateway spells it label@base64/=), not a missing value.
        if (text.isEmpty() && raw.setting() != SettingKey.GROUPING) {
            throw SettingsException.badValue(raw.key(), raw.source(), raw.text(),
                    "is empty; give a value or leave the setting out");
        }
        switch (raw.setting()) {
            case JOB -> b.job = plainText(raw, text);
            case GATEWAY -> b.gateway = gateway(raw, text);
            case REMOTE_WRITE -> b.remoteWrite = gateway(raw, text);
            case REMOTE_WRITE_HEADERS -> b.remoteWriteHeaders = headers(raw, text);
            case GROUPING -> b.groupingKey.put(labelName(raw), text);
            case RECORD_SLO -> b.recordSlos = durations(raw, text);
            case JOB_SLO -> b.jobSlo = positiveDuration(raw, text);
            case PUSH_TIMEOUT -> b.pushTimeout = positiveDuration(raw, text);
            case PUSH_RETRIES -> b.pushRetries = integer(raw, text, 0, MAX_PUSH_RETRIES);
            case BASIC_AUTH_USER -> b.basicAuthUser = basicAuthUser(raw, text);
            case BASIC_AUTH_PASSWORD_FILE -> b.basicAuthPasswordFile = readableFile(raw, text);
            case BEARER_TOKEN_FILE -> b.bearerTokenFile = readableFile(raw, text);
            case TLS_TRUST_STORE -> b.tlsTrustStore = readableFile(raw, text);
            case TLS_TRUST_STORE_PASSWORD_FILE -> b.tlsTrustStorePasswordFile = readableFile(raw, text);
            case TLS_KEY_STORE -> b.tlsKeyStore = readableFile(raw, text);
            case TLS_KEY_STORE_PASSWORD_FILE -> b.tlsKeyStorePasswordFile = readableFile(raw, text);
            case ACCUMULATE -> b.accumulate = bool(raw, text);
            case PRINT -> b.print = bool(raw, text);
            case CREATED_SERIES -> b.createdSeries = bool(raw, text);
            case PUSH_AT_START -> b.pushAtStart = bool(raw, text);
            case SPOOL_DIR -> b.spoolDir = parsePath(raw);
            case METRIC_PREFIX -> b.metricPrefix = metricPrefix(raw, text);
            case MAX_LABEL_VALUES -> b.maxLabelValues = integer(raw, text, 1, MAX_LABEL_VALUES);
            case TIMEOUT -> b.timeout = positiveDuration(raw, text);
            case CONFIG -> b.config = parsePath(raw);
            case RECORDS, RECORDS_STAGE -> b.recordPatterns.put(stage(raw), patterns(raw, text));
            case INPUT -> b.inputPatterns = patterns(raw, text);
            case OUTPUT -> b.outputPatterns = patterns(raw, text);
            case STRICT -> b.strict = bool(raw, text);
            case COUNT_NESTED_CALLS -> b.countNestedCalls = bool(raw, text);
            case JOB_MAIN -> b.jobMain = plainText(raw, text);
            case DISCOVER -> b.discover = packageName(raw, text);
            case AGENT -> b.agent = bool(raw, text);
        }
    }

    private static String packageName(Raw raw, String text) throws SettingsException {
        String name = text.strip();
        if (!Pattern.matches(QUALIFIED, name)) {
            throw SettingsException.badValue(raw.key(), raw.source(), text, "is not a package name; use for example"
                    + " org.h2 or com.acme.etl");
        }
        return name;
    }

    private static String plainText(Raw raw, String text) throws SettingsException {
        for (int i = 0; i < text.length(); i++) {
            if (Character.isISOControl(text.charAt(i))) {
                throw SettingsException.badValue(raw.key(), raw.source(), text,
                        "contains a control character; use printable characters");
            }
        }
        return text;
    }

    private static URI gateway(Raw raw, String text) throws SettingsException {
        String accepted = "; use http://host:port or https://host:port with an optional path";
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            // Parsing failed, so user-info cannot be told apart reliably: show no value at all.
            throw new SettingsException(raw.key(), raw.source(), "is not a URL" + accepted);
        }
        if (uri.getRawUserInfo() != null || uri.getAuthority() != null && uri.getAuthority().contains("@")) {
            throw new SettingsException(raw.key(), raw.source(), "holds user-info (user:password@) and is refused:"
                    + " the URL shows in messages and process listings; remove it and set basic-auth-user with"
                    + " basic-auth-password-file or environment variable " + Secrets.BASIC_AUTH_PASSWORD_VARIABLE);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw SettingsException.badValue(raw.key(), raw.source(), text, "is not an http:// or https:// URL"
                    + accepted);
        }
        if (uri.getHost() == null) {
            throw SettingsException.badValue(raw.key(), raw.source(), text, "has no host" + accepted);
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw SettingsException.badValue(raw.key(), raw.source(), text, "has a query or fragment" + accepted);
        }
        if (uri.getPort() == 0 || uri.getPort() > MAX_PORT) {
            throw SettingsException.badValue(raw.key(), raw.source(), text, "has port " + uri.getPort()
                    + ", which no server can listen on; use a port from 1 to " + MAX_PORT + ", such as "
                    + scheme + "://" + uri.getHost() + ":9091");
        }
        return withoutTrailingSlashes(uri);
    }

    /**
     * {@code Name=value} pairs separated by {@code ,}. Values are never shown: a header may carry a secret. The
     * headers the remote-write protocol or the credential settings own are refused.
     */
    private static Map<String, String> headers(Raw raw, String text) throws SettingsException {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String pair : text.split(",")) {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? "" : pair.substring(0, eq).strip();
            String value = eq < 0 ? "" : pair.substring(eq + 1).strip();
            if (!HEADER_NAME.matcher(name).matches() || value.isEmpty()
                    || value.chars().anyMatch(Character::isISOControl)) {
                throw new SettingsException(raw.key(), raw.source(), "is not a list of Name=value separated by ,"
                        + " with printable values; use for example X-Scope-OrgID=team-a");
            }
            if (OWNED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                throw new SettingsException(raw.key(), raw.source(), "sets header " + name + ", which jobmetrics"
                        + " sets itself; credentials go in basic-auth-user or bearer-token-file");
            }
            headers.put(name, value);
        }
        return headers;
    }

    /** Group paths start with a slash, so a base URL ending in one would show and send {@code //metrics}. */
    private static URI withoutTrailingSlashes(URI uri) {
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        int slashes = 0;
        while (slashes < path.length() && path.charAt(path.length() - 1 - slashes) == '/') {
            slashes++;
        }
        String text = uri.toString();
        return slashes == 0 ? uri : URI.create(text.substring(0, text.length() - slashes));
    }

    private static String labelName(Raw raw) throws SettingsException {
        String label = raw.key().substring(SettingKey.GROUPING.prefix().length());
        String accepted = "; use a label name matching [a-zA-Z_][a-zA-Z0-9_]*, such as grouping.team";
        if (!LABEL_NAME.matcher(label).matches()) {
            throw new SettingsException(raw.key(), raw.source(), "has an invalid label name" + accepted);
        }
        if (label.startsWith("__")) {
            throw new SettingsException(raw.key(), raw.source(),
                    "has a label name starting with __, which Prometheus reserves" + accepted);
        }
        if (label.equals("job")) {
            throw new SettingsException(raw.key(), raw.source(),
                    "sets the label job, which is the job setting; use job instead");
        }
        return label;
    }

    private static Duration duration(Raw raw, String text) throws SettingsException {
        try {
            return Durations.parse(text);
        } catch (Durations.TooLong e) {
            throw SettingsException.badValue(raw.key(), raw.source(), text, "is too long; the longest duration is "
                    + Durations.MAX_SHOWN);
        } catch (IllegalArgumentException e) {
            throw SettingsException.badValue(raw.key(), raw.source(), text, "is not a duration; "
                    + Durations.ACCEPTED);
        }
    }

    private static Duration positiveDuration(Raw raw, String text) throws SettingsException {
        Duration duration = duration(raw, text);
        if (duration.isZero()) {
            throw SettingsException.badValue(raw.key(), raw.source(), text, "is zero; use a positive duration such"
                    + " as 10s");
        }
        return duration;
    }

    private static List<Duration> durations(Raw raw, String text) throws SettingsException {
        List<Duration> out = new ArrayList<>();
        // Durations hold neither separator: ";" (as between patterns) is read as "," so that no run goes unmeasured.
        for (String part : text.split("[,;]", -1)) {
            if (part.isBlank()) {
                throw SettingsException.badValue(raw.key(), raw.source(), text,
                        "has an empty item; use durations separated by commas, such as 250ms,10s");
            }
            Duration duration = duration(raw, part);
            if (duration.isZero()) {
                throw SettingsException.badValue(raw.key(), raw.source(), text,
                        "holds zero; use positive durations separated by commas, such as 250ms,10s");
            }
            out.add(duration);
        }
        // Thresholds become buckets-like series: order and repeats carry no meaning, so normalise them.
        return List.copyOf(new TreeSet<>(out));
    }

    private static int integer(Raw raw, String text, int min, int max) throws SettingsException {
        String accepted = "; use a whole number from " + min + " to " + max;
        int value;
        try {
            value = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw SettingsException.badValue(raw.key(), raw.source(), text, "is not a whole number" + accepted);
        }
        if (value < min || value > max) {
            throw SettingsException.badValue(raw.key(), raw.source(), text, "is out of range" + accepted);
        }
        return value;
    }

    private static boolean bool(Raw raw, String text) throws SettingsException {
        if (text.equalsIgnoreCase("true")) {
            return true;
        }
        if (text.equalsIgnoreCase("false")) {
            return false;
        }
        throw SettingsException.badValue(raw.key(), raw.source(), text, "is not a boolean; use true or false");
    }

    private static String basicAuthUser(Raw raw, String text) throws SettingsException {
        plainText(raw, text);
        if (text.indexOf(':') >= 0) {
            // RFC 7617: the first colon ends the user; anything after it would be taken as the password.
            throw SettingsException.badValue(raw.key(), raw.source(), text,
                    "contains a colon, which basic auth does not allow in a user; use a user name without :");
        }
        return text;
    }

    private static Path parsePath(Raw raw) throws SettingsException {
        String text = raw.text().strip();
        try {
            return Path.of(text);
        } catch (InvalidPathException e) {
            throw SettingsException.badValue(raw.key(), raw.source(), text, "is not a valid path; use a file path");
        }
    }

    private static Path readableFile(Raw raw, String text) throws SettingsException {
        Path path = parsePath(raw);
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            throw SettingsException.badValue(raw.key(), raw.source(), text,
                    "is not a readable file; give the path of a file this process can read");
        }
        return path;
    }

    private static String metricPrefix(Raw raw, String text) throws SettingsException {
        if (!METRIC_PREFIX.matcher(text).matches() || text.startsWith("__") || text.endsWith("_")) {
            throw SettingsException.badValue(raw.key(), raw.source(), text,
                    "is not a metric name prefix; use letters, digits and _ matching [a-zA-Z_][a-zA-Z0-9_]*,"
                            + " not starting with __ nor ending with _, such as batch_job");
        }
        String start = text + "_";
        for (String reserved : RESERVED_METRIC_STARTS) {
            if (start.startsWith(reserved)) {
                throw SettingsException.badValue(raw.key(), raw.source(), text,
                        "would make names the Pushgateway owns (go_, process_, pushgateway_);"
                                + " use another prefix such as batch_job");
            }
        }
        return text;
    }

    private static String stage(Raw raw) throws SettingsException {
        String stage = raw.slot().substring(SettingKey.RECORDS_STAGE.prefix().length());
        if (!STAGE.matcher(stage).matches()) {
            throw new SettingsException(raw.key(), raw.source(), "has an invalid stage name; use up to 64 letters,"
                    + " digits, _ and -, such as records.load");
        }
        return stage;
    }

    /** Whether each piece of {@code text} split at commas outside parentheses is a pattern: a, b and not a;b. */
    private static boolean separatedByComma(String text) {
        int depth = 0;
        int start = 0;
        boolean split = false;
        for (int i = 0; i <= text.length(); i++) {
            char c = i == text.length() ? ',' : text.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                if (!METHOD_PATTERN.matcher(text.substring(start, i).strip()).matches()) {
                    return false;
                }
                split |= i < text.length();
                start = i + 1;
            }
        }
        return split;
    }

    private static List<String> patterns(Raw raw, String text) throws SettingsException {
        Set<String> out = new LinkedHashSet<>();
        for (String part : text.split(";", -1)) {
            String pattern = part.strip();
            if (!METHOD_PATTERN.matcher(pattern).matches() && separatedByComma(pattern)) {
                throw SettingsException.badValue(raw.key(), raw.source(), text, "separates patterns by \",\"; use"
                        + " \";\" between patterns (\",\" separates the parameters of Type#method(java.lang.String,int))");
            }
            if (!METHOD_PATTERN.matcher(pattern).matches()) {
                throw SettingsException.badValue(raw.key(), raw.source(), text, "has "
                        + (pattern.isEmpty() ? "an empty method pattern" : SettingsException.quote(pattern)
                        + ", which is not a method pattern")
                        + "; use fully.qualified.Type#method or Type#method(java.lang.String,int)"
                        + " (several: separated by \";\")");
            }
            out.add(pattern);
        }
        return List.copyOf(out);
    }

    private static void checkPatternsAcrossStages(Settings.Builder b, Map<String, Raw> winners)
            throws SettingsException {
        Map<String, String> stageOf = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> stage : b.recordPatterns.entrySet()) {
            for (String pattern : stage.getValue()) {
                String other = stageOf.putIfAbsent(pattern, stage.getKey());
                if (other != null) {
                    Raw raw = winners.get(SettingKey.RECORDS_STAGE.prefix() + stage.getKey());
                    throw new SettingsException(raw.key(), raw.source(), "times " + pattern
                            + ", which stage " + other + " times already; give each method one stage");
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------------------- secrets

    private static Secrets secrets(Settings.Builder b, Map<String, Raw> winners, Map<String, String> environment) {
        return new Secrets(
                secret(SettingKey.BASIC_AUTH_PASSWORD_FILE, b.basicAuthPasswordFile, winners, environment,
                        Secrets.BASIC_AUTH_PASSWORD_VARIABLE),
                secret(SettingKey.BEARER_TOKEN_FILE, b.bearerTokenFile, winners, environment,
                        Secrets.BEARER_TOKEN_VARIABLE),
                secret(SettingKey.TLS_TRUST_STORE_PASSWORD_FILE, b.tlsTrustStorePasswordFile, winners, environment,
                        Secrets.TRUST_STORE_PASSWORD_VARIABLE),
                secret(SettingKey.TLS_KEY_STORE_PASSWORD_FILE, b.tlsKeyStorePasswordFile, winners, environment,
                        Secrets.KEY_STORE_PASSWORD_VARIABLE));
    }

    private static Secrets.Source secret(SettingKey fileKey, Path file, Map<String, Raw> winners,
            Map<String, String> environment, String variable) {
        Raw raw = winners.get(fileKey.key());
        return Secrets.Source.of(fileKey, file, raw == null ? "" : raw.source(), variable, environment.get(variable));
    }

    private static void checkCombinations(Settings.Builder b, Map<String, Raw> winners) throws SettingsException {
        Secrets secrets = b.secrets;
        Raw user = winners.get(SettingKey.BASIC_AUTH_USER.key());
        Raw passwordFile = winners.get(SettingKey.BASIC_AUTH_PASSWORD_FILE.key());
        Raw tokenFile = winners.get(SettingKey.BEARER_TOKEN_FILE.key());
        if (user != null && !secrets.basicAuthPasswordSource().isConfigured()) {
            throw new SettingsException(user.key(), user.source(), "has no password; set "
                    + SettingKey.BASIC_AUTH_PASSWORD_FILE.key() + " or environment variable "
                    + Secrets.BASIC_AUTH_PASSWORD_VARIABLE);
        }
        if (user == null && passwordFile != null) {
            throw new SettingsException(passwordFile.key(), passwordFile.source(),
                    "is set without a user; set basic-auth-user too");
        }
        if (user != null && secrets.bearerTokenSource().isConfigured()) {
            String key = tokenFile != null ? tokenFile.key() : "bearer-token";
            String source = tokenFile != null ? tokenFile.source()
                    : "environment variable " + Secrets.BEARER_TOKEN_VARIABLE;
            throw new SettingsException(key, source, "is set together with basic-auth-user (" + user.source()
                    + "); configure either basic auth or a bearer token");
        }
        storePassword(winners, SettingKey.TLS_TRUST_STORE_PASSWORD_FILE, SettingKey.TLS_TRUST_STORE);
        storePassword(winners, SettingKey.TLS_KEY_STORE_PASSWORD_FILE, SettingKey.TLS_KEY_STORE);
    }

    private static void storePassword(Map<String, Raw> winners, SettingKey passwordKey, SettingKey storeKey)
            throws SettingsException {
        Raw password = winners.get(passwordKey.key());
        if (password != null && !winners.containsKey(storeKey.key())) {
            throw new SettingsException(password.key(), password.source(), "is set without a store; set "
                    + storeKey.key() + " too");
        }
    }

    // ---------------------------------------------------------------------------------------------- suggestion

    /** The candidate with the smallest edit distance to the given name, the first such one on ties. */
    static String nearest(String given, List<String> candidates) {
        String best = candidates.get(0);
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int distance = editDistance(given.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best;
    }

    private static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}

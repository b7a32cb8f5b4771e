package io.github.jobmetrics.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SettingsLoaderTest {

    /** Distinctive, so that its absence from any text is meaningful. */
    private static final String SECRET = "s3cr3t-Zebra-7731";

    @TempDir
    Path dir;

    // ------------------------------------------------------------------------------------------------ helpers

    private static Properties properties(String... keysAndValues) {
        Properties properties = new Properties();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            properties.setProperty(keysAndValues[i], keysAndValues[i + 1]);
        }
        return properties;
    }

    private static Settings option(String key, String value) throws SettingsException {
        return SettingsLoader.load(Map.of(key, value), "option", new Properties(), Map.of());
    }

    private static SettingsException failure(Executable load) {
        SettingsException e = assertThrows(SettingsException.class, load);
        assertFalse(e.getMessage().contains("\n") || e.getMessage().contains("\r"), e.getMessage());
        assertFalse(e.getMessage().contains(SECRET), e.getMessage());
        assertFalse(e.toString().contains(SECRET), e.toString());
        return e;
    }

    private static SettingsException optionFailure(String key, String value) {
        return failure(() -> option(key, value));
    }

    private Path file(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }

    // ------------------------------------------------------------------------------------------------ defaults

    @Test
    void defaultSpoolDirectoryIsOneForEachUserSoNoUserCanPlantEntriesForAnother() throws SettingsException {
        Path alice = SettingsLoader.load(Map.of(), "option", properties("java.io.tmpdir", "/tmp", "user.name",
                "alice"), Map.of()).spoolDir();
        Path bob = SettingsLoader.load(Map.of(), "option", properties("java.io.tmpdir", "/tmp", "user.name",
                "bob/../x"), Map.of()).spoolDir();
        assertEquals(Path.of("/tmp", "jobmetrics-spool-alice"), alice);
        assertEquals(Path.of("/tmp", "jobmetrics-spool-bob_.._x"), bob);
    }

    @Test
    void noSettingAnywhereGivesTheDefaults() throws SettingsException {
        Settings settings = SettingsLoader.load(Map.of(), "option", properties("java.io.tmpdir", "/var/tmp",
                "user.name", "alice"), Map.of("PATH", "/bin"));
        assertEquals(Optional.empty(), settings.job());
        assertEquals("etl", settings.jobOr("etl"));
        assertEquals(Optional.empty(), settings.gateway());
        assertEquals(Map.of(), settings.groupingKey());
        assertEquals(List.of(), settings.recordSlos());
        assertEquals(Optional.empty(), settings.jobSlo());
        assertEquals(Duration.ofSeconds(10), settings.pushTimeout());
        assertEquals(3, settings.pushRetries());
        assertEquals(Optional.empty(), settings.basicAuthUser());
        assertEquals(Optional.empty(), settings.basicAuthPasswordFile());
        assertEquals(Optional.empty(), settings.bearerTokenFile());
        assertEquals(Optional.empty(), settings.tlsTrustStore());
        assertEquals(Optional.empty(), settings.tlsTrustStorePasswordFile());
        assertEquals(Optional.empty(), settings.tlsKeyStore());
        assertEquals(Optional.empty(), settings.tlsKeyStorePasswordFile());
        assertFalse(settings.accumulate());
        assertTrue(settings.pushAtStart());
        assertEquals(Path.of("/var/tmp", "jobmetrics-spool-alice"), settings.spoolDir());
        assertEquals("batch_job", settings.metricPrefix());
        assertEquals(20, settings.maxLabelValues());
        assertEquals(Optional.empty(), settings.timeout());
        assertEquals(Optional.empty(), settings.config());
        assertEquals(Map.of(), settings.recordPatterns());
        assertEquals(List.of(), settings.inputPatterns());
        assertEquals(List.of(), settings.outputPatterns());
        assertFalse(settings.strict());
        assertTrue(settings.agent());
    }

    @Test
    void defaultsMatchWhatLoadingNothingGives() throws SettingsException {
        Settings loaded = SettingsLoader.load(Map.of(), "option", System.getProperties().entrySet().stream()
                .filter(e -> !String.valueOf(e.getKey()).startsWith("jobmetrics."))
                .collect(Properties::new, (p, e) -> p.put(e.getKey(), e.getValue()), Properties::putAll), Map.of());
        assertEquals(loaded.toString(), Settings.defaults().toString());
    }

    @Test
    void everySettingIsReadFromItsKey() throws Exception {
        Path password = file("password", SECRET);
        Path store = file("store.p12", "x");
        Map<String, String> explicit = new LinkedHashMap<>();
        explicit.put("job", "nightly-etl");
        explicit.put("gateway", "https://pushgateway.example:9091/prefix");
        explicit.put("grouping.team", "data");
        explicit.put("record-slo", "10s,250ms");
        explicit.put("job-slo", "1h");
        explicit.put("push-timeout", "5s");
        explicit.put("push-retries", "0");
        explicit.put("basic-auth-user", "pusher");
        explicit.put("basic-auth-password-file", password.toString());
        explicit.put("tls.trust-store", store.toString());
        explicit.put("tls.trust-store-password-file", password.toString());
        explicit.put("tls.key-store", store.toString());
        explicit.put("tls.key-store-password-file", password.toString());
        explicit.put("accumulate", "TRUE");
        explicit.put("push-at-start", "false");
        explicit.put("spool-dir", "/var/spool/jobs");
        explicit.put("metric-prefix", "etl");
        explicit.put("max-label-values", "10000");
        explicit.put("timeout", "2h");
        explicit.put("records", "com.acme.Etl#processRow");
        explicit.put("records.load", "com.acme.Loader#load; com.acme.Loader$Batch#flush");
        explicit.put("input", "com.acme.Reader#read");
        explicit.put("output", "com.acme.Writer#write");
        explicit.put("strict", "true");
        explicit.put("agent", "false");
        Settings settings = SettingsLoader.load(explicit, "option", new Properties(), Map.of());
        assertEquals(Optional.of("nightly-etl"), settings.job());
        assertEquals("nightly-etl", settings.jobOr("ignored"));
        assertEquals(Optional.of(URI.create("https://pushgateway.example:9091/prefix")), settings.gateway());
        assertEquals(Map.of("team", "data"), settings.groupingKey());
        assertEquals(List.of(Duration.ofMillis(250), Duration.ofSeconds(10)), settings.recordSlos());
        assertEquals(Optional.of(Duration.ofHours(1)), settings.jobSlo());
        assertEquals(Duration.ofSeconds(5), settings.pushTimeout());
        assertEquals(0, settings.pushRetries());
        assertEquals(Optional.of("pusher"), settings.basicAuthUser());
        assertEquals(Optional.of(password), settings.basicAuthPasswordFile());
        assertEquals(Optional.of(store), settings.tlsTrustStore());
        assertEquals(Optional.of(password), settings.tlsTrustStorePasswordFile());
        assertEquals(Optional.of(store), settings.tlsKeyStore());
        assertEquals(Optional.of(password), settings.tlsKeyStorePasswordFile());
        assertTrue(settings.accumulate());
        assertFalse(settings.pushAtStart());
        assertEquals(Path.of("/var/spool/jobs"), settings.spoolDir());
        assertEquals("etl", settings.metricPrefix());
        assertEquals(10000, settings.maxLabelValues());
        assertEquals(Optional.of(Duration.ofHours(2)), settings.timeout());
        assertEquals(Map.of("main", List.of("com.acme.Etl#processRow"),
                "load", List.of("com.acme.Loader#load", "com.acme.Loader$Batch#flush")), settings.recordPatterns());
        assertEquals(List.of("com.acme.Reader#read"), settings.inputPatterns());
        assertEquals(List.of("com.acme.Writer#write"), settings.outputPatterns());
        assertTrue(settings.strict());
        assertFalse(settings.agent());
        assertEquals(Optional.of(SECRET), settings.secrets().basicAuthPassword());
    }

    // ------------------------------------------------------------------------------------------------ precedence

    @Test
    void optionWinsOverSystemProperty() throws SettingsException {
        Settings settings = SettingsLoader.load(Map.of("push-timeout", "1s"), "option",
                properties("jobmetrics.push-timeout", "2s"), Map.of());
        assertEquals(Duration.ofSeconds(1), settings.pushTimeout());
    }

    @Test
    void environmentVariableLosesToSystemProperty() throws SettingsException {
        Settings settings = SettingsLoader.load(Map.of(), "option", properties("jobmetrics.push-timeout", "2s"),
                Map.of("JOBMETRICS_PUSH_TIMEOUT", "3s"));
        assertEquals(Duration.ofSeconds(2), settings.pushTimeout());
    }

    @Test
    void fileLosesToEnvironmentVariable() throws Exception {
        Path config = file("job.properties", "push-timeout=4s\npush-retries=7\n");
        Settings settings = SettingsLoader.load(Map.of("config", config.toString()), "option", new Properties(),
                Map.of("JOBMETRICS_PUSH_TIMEOUT", "3s"));
        assertEquals(Duration.ofSeconds(3), settings.pushTimeout());
        assertEquals(7, settings.pushRetries());
        assertEquals(Optional.of(config), settings.config());
    }

    @Test
    void fileWinsOverDefault() throws Exception {
        Path config = file("job.properties", "push-at-start = false\njob=from-file\n");
        Settings settings = SettingsLoader.load(Map.of(), "option", properties("jobmetrics.config",
                config.toString()), Map.of());
        assertFalse(settings.pushAtStart());
        assertEquals(Optional.of("from-file"), settings.job());
    }

    @Test
    void fileCanBeNamedByEnvironmentVariable() throws Exception {
        Path config = file("job.properties", "job=from-file\n");
        Settings settings = SettingsLoader.load(Map.of(), "option", new Properties(),
                Map.of("JOBMETRICS_CONFIG", config.toString()));
        assertEquals(Optional.of("from-file"), settings.job());
    }

    @Test
    void strongestSourceNamesTheFile() throws Exception {
        Path weak = file("weak.properties", "job=weak\n");
        Path strong = file("strong.properties", "job=strong\n");
        Settings settings = SettingsLoader.load(Map.of("config", strong.toString()), "option", new Properties(),
                Map.of("JOBMETRICS_CONFIG", weak.toString()));
        assertEquals(Optional.of("strong"), settings.job());
    }

    @Test
    void groupingLabelsMergeAcrossSourcesLabelByLabel() throws Exception {
        Path config = file("job.properties", "grouping.zone=file\ngrouping.team=file\n");
        Map<String, String> explicit = new LinkedHashMap<>();
        explicit.put("grouping.team", "option");
        explicit.put("config", config.toString());
        Settings settings = SettingsLoader.load(explicit, "option", properties("jobmetrics.grouping.site", "prop"),
                Map.of("JOBMETRICS_GROUPING_DATA_CENTER", "env", "JOBMETRICS_GROUPING_SITE", "env"));
        assertEquals(List.of("team", "site", "data_center", "zone"), List.copyOf(settings.groupingKey().keySet()));
        assertEquals(Map.of("team", "option", "site", "prop", "data_center", "env", "zone", "file"),
                settings.groupingKey());
    }

    @Test
    void badValueInAWeakerSourceIsIgnoredWhenAStrongerOneWins() throws SettingsException {
        Settings settings = SettingsLoader.load(Map.of("push-timeout", "5s"), "option", new Properties(),
                Map.of("JOBMETRICS_PUSH_TIMEOUT", "10x"));
        assertEquals(Duration.ofSeconds(5), settings.pushTimeout());
    }

    @Test
    void recordsIsTheMainStageAndWinsOverAWeakerRecordsMain() throws SettingsException {
        Settings settings = SettingsLoader.load(Map.of("records", "a.B#c"), "agent argument", new Properties(),
                Map.of("JOBMETRICS_RECORDS_MAIN", "x.Y#z", "JOBMETRICS_RECORDS_LOAD", "d.E#f"));
        assertEquals(Map.of("main", List.of("a.B#c"), "load", List.of("d.E#f")), settings.recordPatterns());
    }

    @Test
    void variablesAndPropertiesOutsideOurPrefixAreIgnored() throws SettingsException {
        Settings settings = SettingsLoader.load(Map.of(), "option", properties("user.name", "x", "jobmetricsx", "y"),
                Map.of("HOME", "/root", "JOBMETRICS_TEXTFILE", "/tmp/metrics.prom", "jobmetrics_job", "lower"));
        assertEquals(Optional.empty(), settings.job());
    }

    @Test
    void valuesAreStrippedOfSurroundingWhiteSpace() throws SettingsException {
        assertEquals(Duration.ofSeconds(5), option("push-timeout", "  5s\t").pushTimeout());
    }

    @Test
    void recordSlosAreSortedAndRepeatsDropped() throws SettingsException {
        assertEquals(List.of(Duration.ofMillis(250), Duration.ofSeconds(1), Duration.ofSeconds(10)),
                option("record-slo", "10s, 1s,250ms,1000ms").recordSlos());
    }

    @Test
    void groupingKeyAndPatternListsAreUnmodifiable() throws SettingsException {
        Settings settings = option("grouping.team", "data");
        assertThrows(UnsupportedOperationException.class, () -> settings.groupingKey().put("x", "y"));
        assertThrows(UnsupportedOperationException.class, () -> settings.recordPatterns().put("x", List.of()));
    }

    // ------------------------------------------------------------------------------------------------ unknown keys

    @Test
    void unknownOptionSuggestsTheNearestOption() {
        SettingsException e = optionFailure("push-timout", "5s");
        assertEquals("push-timout (option --push-timout) is not a setting; did you mean --push-timeout?",
                e.getMessage());
        assertEquals("push-timout", e.key());
        assertEquals("option --push-timout", e.source());
    }

    @Test
    void unknownAgentArgumentSuggestsTheNearestKey() {
        SettingsException e = failure(() -> SettingsLoader.load(Map.of("gatway", "http://x"), "agent argument",
                new Properties(), Map.of()));
        assertEquals("gatway (agent argument gatway) is not a setting; did you mean gateway?", e.getMessage());
    }

    @Test
    void unknownSystemPropertySuggestsTheNearestProperty() {
        SettingsException e = failure(() -> SettingsLoader.load(Map.of(), "option",
                properties("jobmetrics.max-label-value", "5"), Map.of()));
        assertEquals("max-label-value (system property jobmetrics.max-label-value) is not a setting; did you mean"
                + " jobmetrics.max-label-values?", e.getMessage());
    }

    @Test
    void unknownEnvironmentVariableSuggestsTheNearestVariable() {
        SettingsException e = failure(() -> SettingsLoader.load(Map.of(), "option", new Properties(),
                Map.of("JOBMETRICS_PUSH_TIMOUT", "5s")));
        assertEquals("JOBMETRICS_PUSH_TIMOUT (environment variable JOBMETRICS_PUSH_TIMOUT) is not a setting;"
                + " did you mean JOBMETRICS_PUSH_TIMEOUT?", e.getMessage());
    }

    @Test
    void misspeltNonSettingVariableSuggestsIt() {
        SettingsException e = failure(() -> SettingsLoader.load(Map.of(), "option", new Properties(),
                Map.of("JOBMETRICS_TEXTFIL", "/tmp/x")));
        assertEquals("JOBMETRICS_TEXTFIL (environment variable JOBMETRICS_TEXTFIL) is not a setting;"
                + " did you mean JOBMETRICS_TEXTFILE?", e.getMessage());
    }

    @Test
    void unknownKeyInFileSuggestsTheNearestKey() throws Exception {
        Path config = file("job.properties", "push-retires=4\n");
        SettingsException e = failure(() -> option("config", config.toString()));
        assertEquals("push-retires (file " + config + ") is not a setting; did you mean push-retries?",
                e.getMessage());
        assertEquals("file " + config, e.source());
    }

    @Test
    void prefixedKeyInFileIsToldToDropThePrefix() throws Exception {
        Path config = file("job.properties", "jobmetrics.job=x\n");
        SettingsException e = failure(() -> option("config", config.toString()));
        assertEquals("jobmetrics.job (file " + config + ") is not a setting; did you mean job? keys in the file"
                + " have no jobmetrics. prefix", e.getMessage());
    }

    @Test
    void unknownKeyNeverShowsItsValue() {
        SettingsException e = optionFailure("bearer-tokn", SECRET);
        assertEquals("bearer-tokn (option --bearer-tokn) is not a setting; did you mean --bearer-token-file?",
                e.getMessage());
    }

    // ------------------------------------------------------------------------------------------------ secrets refused

    @ParameterizedTest
    @ValueSource(strings = {"basic-auth-password", "bearer-token", "tls.trust-store-password",
        "tls.key-store-password"})
    void secretAsOptionIsRefused(String key) {
        SettingsException e = optionFailure(key, SECRET);
        assertEquals(key, e.key());
        assertTrue(e.getMessage().startsWith(key + " (option --" + key.replace('.', '-') + ") is refused: "),
                e.getMessage());
        assertTrue(e.getMessage().endsWith("put it in the file named by " + key + "-file or in environment variable "
                + SettingKey.environmentVariable(key)), e.getMessage());
    }

    @Test
    void secretAsAgentArgumentIsRefused() {
        SettingsException e = failure(() -> SettingsLoader.load(Map.of("bearer-token", SECRET), "agent argument",
                new Properties(), Map.of()));
        assertEquals("bearer-token (agent argument bearer-token) is refused: secrets are not taken from options,"
                + " system properties, agent arguments or settings files, which show in process listings, JVM"
                + " banners and shared files; put it in the file named by bearer-token-file or in environment"
                + " variable JOBMETRICS_BEARER_TOKEN", e.getMessage());
    }

    @Test
    void secretAsSystemPropertyIsRefused() {
        SettingsException e = failure(() -> SettingsLoader.load(Map.of(), "option",
                properties("jobmetrics.basic-auth-password", SECRET), Map.of()));
        assertEquals("system property jobmetrics.basic-auth-password", e.source());
        assertTrue(e.getMessage().endsWith("put it in the file named by basic-auth-password-file or in environment"
                + " variable JOBMETRICS_BASIC_AUTH_PASSWORD"), e.getMessage());
    }

    @Test
    void secretInPropertiesFileIsRefused() throws Exception {
        Path config = file("job.properties", "tls.key-store-password=" + SECRET + "\n");
        SettingsException e = failure(() -> option("config", config.toString()));
        assertEquals("file " + config, e.source());
        assertTrue(e.getMessage().startsWith("tls.key-store-password (file " + config + ") is refused: "),
                e.getMessage());
    }

    @Test
    void userInfoInGatewayUrlIsRefusedWithoutShowingIt() {
        SettingsException e = optionFailure("gateway", "https://pusher:" + SECRET + "@pushgateway.example/");
        assertEquals("gateway (option --gateway) holds user-info (user:password@) and is refused: the URL shows in"
                + " messages and process listings; remove it and set basic-auth-user with basic-auth-password-file"
                + " or environment variable JOBMETRICS_BASIC_AUTH_PASSWORD", e.getMessage());
    }

    @Test
    void unparsableGatewayUrlIsNotShownSinceItMayHoldASecret() {
        SettingsException e = optionFailure("gateway", "https://pusher:" + SECRET + "@push gateway/");
        assertEquals("gateway (option --gateway) is not a URL; use http://host:port or https://host:port with an"
                + " optional path", e.getMessage());
    }

    // ------------------------------------------------------------------------------------------------ value errors

    @Test
    void badDurationNamesKeySourceAndAcceptedForms() {
        SettingsException e = failure(() -> SettingsLoader.load(Map.of(), "option", new Properties(),
                Map.of("JOBMETRICS_PUSH_TIMEOUT", "10x")));
        assertEquals("push-timeout: \"10x\" (environment variable JOBMETRICS_PUSH_TIMEOUT) is not a duration;"
                + " use 250ms, 10s, 5m, 2h, 1d or ISO-8601 such as PT10S", e.getMessage());
        assertEquals("push-timeout", e.key());
        assertEquals("environment variable JOBMETRICS_PUSH_TIMEOUT", e.source());
    }

    @Test
    void durationTooLongIsCalledTooLongWithTheMaximum() {
        assertEquals("timeout: \"999999999d\" (option --timeout) is too long; the longest duration is 106751d",
                optionFailure("timeout", "999999999d").getMessage());
        assertEquals("record-slo: \"PT9999999999H\" (option --record-slo) is too long; the longest duration is"
                + " 106751d", optionFailure("record-slo", "1s,PT9999999999H").getMessage());
    }

    @Test
    void zeroPushTimeoutIsRefused() {
        assertEquals("push-timeout: \"0s\" (option --push-timeout) is zero; use a positive duration such as 10s",
                optionFailure("push-timeout", "0s").getMessage());
    }

    @Test
    void zeroJobSloIsRefused() {
        assertEquals("job-slo: \"PT0S\" (option --job-slo) is zero; use a positive duration such as 10s",
                optionFailure("job-slo", "PT0S").getMessage());
    }

    @Test
    void badTimeoutIsRefused() {
        assertEquals("timeout: \"2 hours\" (option --timeout) is not a duration; use 250ms, 10s, 5m, 2h, 1d or"
                + " ISO-8601 such as PT10S", optionFailure("timeout", "2 hours").getMessage());
    }

    @Test
    void badRecordSloItemIsRefused() {
        assertEquals("record-slo: \"fast\" (option --record-slo) is not a duration; use 250ms, 10s, 5m, 2h, 1d or"
                + " ISO-8601 such as PT10S", optionFailure("record-slo", "250ms,fast").getMessage());
    }

    @Test
    void emptyRecordSloItemIsRefused() {
        assertEquals("record-slo: \"250ms,,10s\" (option --record-slo) has an empty item; use durations separated"
                + " by commas, such as 250ms,10s", optionFailure("record-slo", "250ms,,10s").getMessage());
    }

    @Test
    void zeroRecordSloIsRefused() {
        assertEquals("record-slo: \"0s,1s\" (option --record-slo) holds zero; use positive durations separated by"
                + " commas, such as 250ms,10s", optionFailure("record-slo", "0s,1s").getMessage());
    }

    @Test
    void pushRetriesThatIsNoNumberIsRefused() {
        assertEquals("push-retries: \"three\" (option --push-retries) is not a whole number; use a whole number"
                + " from 0 to 20", optionFailure("push-retries", "three").getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "21"})
    void pushRetriesOutOfRangeIsRefused(String value) {
        assertEquals("push-retries: \"" + value + "\" (option --push-retries) is out of range; use a whole number"
                + " from 0 to 20", optionFailure("push-retries", value).getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "10001"})
    void maxLabelValuesOutOfRangeIsRefused(String value) {
        assertEquals("max-label-values: \"" + value + "\" (option --max-label-values) is out of range; use a whole"
                + " number from 1 to 10000", optionFailure("max-label-values", value).getMessage());
    }

    @Test
    void booleanOtherThanTrueOrFalseIsRefused() {
        SettingsException e = failure(() -> SettingsLoader.load(Map.of(), "option",
                properties("jobmetrics.push-at-start", "yes"), Map.of()));
        assertEquals("push-at-start: \"yes\" (system property jobmetrics.push-at-start) is not a boolean; use true"
                + " or false", e.getMessage());
    }

    @Test
    void emptyValueIsRefused() {
        SettingsException e = failure(() -> SettingsLoader.load(Map.of(), "option", new Properties(),
                Map.of("JOBMETRICS_JOB", " ")));
        assertEquals("job: \" \" (environment variable JOBMETRICS_JOB) is empty; give a value or leave the setting"
                + " out", e.getMessage());
    }

    @Test
    void controlCharacterInJobIsRefusedAndShownEscaped() {
        assertEquals("job: \"etl\\u0007x\" (option --job) contains a control character; use printable characters",
                optionFailure("job", "etl\u0007x").getMessage());
    }

    @Test
    void lineBreakInAValueStaysOnOneLine() {
        assertEquals("push-retries: \"1\\n2\" (option --push-retries) is not a whole number; use a whole number"
                + " from 0 to 20", optionFailure("push-retries", "1\n2").getMessage());
    }

    @Test
    void veryLongValueIsCut() {
        String message = optionFailure("push-retries", "9".repeat(500)).getMessage();
        assertTrue(message.startsWith("push-retries: \"" + "9".repeat(120) + "...\" (option --push-retries)"),
                message);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://pushgateway.example/", "pushgateway.example:9091", "file:/tmp/x"})
    void gatewayThatIsNotHttpIsRefused(String url) {
        assertEquals("gateway: \"" + url + "\" (option --gateway) is not an http:// or https:// URL; use"
                + " http://host:port or https://host:port with an optional path",
                optionFailure("gateway", url).getMessage());
    }

    @Test
    void gatewayWithoutHostIsRefused() {
        assertEquals("gateway: \"http:///metrics\" (option --gateway) has no host; use http://host:port or"
                + " https://host:port with an optional path", optionFailure("gateway", "http:///metrics").getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://pushgateway.example/?x=1", "http://pushgateway.example/#top"})
    void gatewayWithQueryOrFragmentIsRefused(String url) {
        assertEquals("gateway: \"" + url + "\" (option --gateway) has a query or fragment; use http://host:port or"
                + " https://host:port with an optional path", optionFailure("gateway", url).getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:9091/", "http://127.0.0.1:9091//", "http://127.0.0.1:9091"})
    void gatewayUrlLosesItsTrailingSlashesSoGroupPathsDoNotStartWithTwo(String url) throws SettingsException {
        URI gateway = option("gateway", url).gateway().orElseThrow();
        assertEquals("http://127.0.0.1:9091/metrics/job/etl", gateway + "/metrics/job/etl");
    }

    @Test
    void gatewayUrlWithAPathKeepsThePathWithoutItsTrailingSlash() throws SettingsException {
        assertEquals(URI.create("https://gw.example:443/push"),
                option("gateway", "https://gw.example:443/push/").gateway().orElseThrow());
    }

    @ParameterizedTest
    @ValueSource(strings = {"99999", "65536", "0"})
    void gatewayPortOutsideTcpRangeIsRefusedAtLoad(String port) {
        assertEquals("gateway: \"http://127.0.0.1:" + port + "\" (option --gateway) has port " + port + ", which no"
                + " server can listen on; use a port from 1 to 65535, such as http://127.0.0.1:9091",
                optionFailure("gateway", "http://127.0.0.1:" + port).getMessage());
    }

    @Test
    void gatewayPortAtTheTopOfTheRangeIsAccepted() throws SettingsException {
        assertEquals(65_535, option("gateway", "http://127.0.0.1:65535").gateway().orElseThrow().getPort());
    }

    @Test
    void gatewaySchemeIsCaseInsensitive() throws SettingsException {
        assertEquals(Optional.of(URI.create("HTTPS://pushgateway.example")),
                option("gateway", "HTTPS://pushgateway.example").gateway());
    }

    @Test
    void invalidGroupingLabelIsRefused() {
        assertEquals("grouping.data-center (option --grouping-key data-center) has an invalid label name; use a"
                + " label name matching [a-zA-Z_][a-zA-Z0-9_]*, such as grouping.team",
                optionFailure("grouping.data-center", "x").getMessage());
    }

    @Test
    void missingGroupingLabelIsRefused() {
        SettingsException e = failure(() -> SettingsLoader.load(Map.of("grouping.", "x"), "agent argument",
                new Properties(), Map.of()));
        assertEquals("grouping. (agent argument grouping.) has an invalid label name; use a label name matching"
                + " [a-zA-Z_][a-zA-Z0-9_]*, such as grouping.team", e.getMessage());
    }

    @Test
    void reservedGroupingLabelIsRefused() {
        SettingsException e = failure(() -> SettingsLoader.load(Map.of(), "option",
                properties("jobmetrics.grouping.__name__", "x"), Map.of()));
        assertEquals("grouping.__name__ (system property jobmetrics.grouping.__name__) has a label name starting"
                + " with __, which Prometheus reserves; use a label name matching [a-zA-Z_][a-zA-Z0-9_]*, such as"
                + " grouping.team", e.getMessage());
    }

    @Test
    void groupingLabelJobIsRefused() {
        SettingsException e = failure(() -> SettingsLoader.load(Map.of(), "option", new Properties(),
                Map.of("JOBMETRICS_GROUPING_JOB", "x")));
        assertEquals("grouping.job (environment variable JOBMETRICS_GROUPING_JOB) sets the label job, which is the"
                + " job setting; use job instead", e.getMessage());
    }

    @Test
    void emptyGroupingValueIsAcceptedAsAnEmptyLabelValue() throws SettingsException {
        assertEquals(Map.of("team", ""), option("grouping.team", "").groupingKey());
        Settings fromEnvironment = SettingsLoader.load(Map.of(), "option", new Properties(),
                Map.of("JOBMETRICS_GROUPING_TEAM", " "));
        assertEquals(Map.of("team", ""), fromEnvironment.groupingKey());
    }

    @ParameterizedTest
    @ValueSource(strings = {"batch-job", "9jobs", "__batch", "batch_", "batch:job"})
    void invalidMetricPrefixIsRefused(String prefix) {
        assertEquals("metric-prefix: \"" + prefix + "\" (option --metric-prefix) is not a metric name prefix; use"
                + " letters, digits and _ matching [a-zA-Z_][a-zA-Z0-9_]*, not starting with __ nor ending with _,"
                + " such as batch_job", optionFailure("metric-prefix", prefix).getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"go", "process", "pushgateway", "go_batch"})
    void metricPrefixThePushgatewayOwnsIsRefused(String prefix) {
        assertEquals("metric-prefix: \"" + prefix + "\" (option --metric-prefix) would make names the Pushgateway"
                + " owns (go_, process_, pushgateway_); use another prefix such as batch_job",
                optionFailure("metric-prefix", prefix).getMessage());
    }

    @Test
    void basicAuthUserWithColonIsRefused() {
        SettingsException e = failure(() -> SettingsLoader.load(Map.of("basic-auth-user", "a:b"), "option",
                new Properties(), Map.of(Secrets.BASIC_AUTH_PASSWORD_VARIABLE, SECRET)));
        assertEquals("basic-auth-user: \"a:b\" (option --basic-auth-user) contains a colon, which basic auth does"
                + " not allow in a user; use a user name without :", e.getMessage());
    }

    @Test
    void invalidMethodPatternIsRefused() {
        SettingsException e = failure(() -> SettingsLoader.load(Map.of("records", "com.acme.Etl.processRow"),
                "agent argument", new Properties(), Map.of()));
        assertEquals("records: \"com.acme.Etl.processRow\" (agent argument records) has \"com.acme.Etl.processRow\","
                + " which is not a method pattern; use fully.qualified.Type#method or"
                + " Type#method(java.lang.String,int) (several: separated by \";\")", e.getMessage());
    }

    @Test
    void aPatternMayNameOneOverloadByItsParameterList() throws SettingsException {
        Settings settings = SettingsLoader.load(Map.of("records", "a.B#c(java.lang.String, int[]);a.B#d()"),
                "agent argument", new Properties(), Map.of());
        assertEquals(List.of("a.B#c(java.lang.String, int[])", "a.B#d()"), settings.recordPatterns().get("main"));
    }

    @Test
    void recordSloTakesASemicolonAsWellAsACommaInEverySource() throws SettingsException {
        Settings fromArgument = SettingsLoader.load(Map.of("record-slo", "250ms;10s"), "agent argument",
                new Properties(), Map.of());
        Settings fromEnvironment = SettingsLoader.load(Map.of(), "option", new Properties(),
                Map.of("JOBMETRICS_RECORD_SLO", "10s;250ms,1m"));
        assertEquals(List.of(java.time.Duration.ofMillis(250), java.time.Duration.ofSeconds(10)),
                fromArgument.recordSlos());
        assertEquals(List.of(java.time.Duration.ofMillis(250), java.time.Duration.ofSeconds(10),
                java.time.Duration.ofMinutes(1)), fromEnvironment.recordSlos());
    }

    @Test
    void patternsSeparatedByACommaGetAMessageNamingTheSemicolon() {
        SettingsException e = failure(() -> SettingsLoader.load(Map.of("records", "a.B#c,d.E#f(int,long)"),
                "agent argument", new Properties(), Map.of()));
        assertEquals("records: \"a.B#c,d.E#f(int,long)\" (agent argument records) separates patterns by \",\"; use"
                + " \";\" between patterns (\",\" separates the parameters of Type#method(java.lang.String,int))",
                e.getMessage());
    }

    @Test
    void aParameterListWithoutItsClosingParenthesisIsRefused() {
        SettingsException e = failure(() -> SettingsLoader.load(Map.of("input", "a.B#e(int"), "agent argument",
                new Properties(), Map.of()));
        assertTrue(e.getMessage().startsWith("input: \"a.B#e(int\" (agent argument input) has \"a.B#e(int\", which"
                + " is not a method pattern"), e.getMessage());
    }

    @Test
    void emptyMethodPatternIsRefused() {
        SettingsException e = failure(() -> SettingsLoader.load(Map.of(), "option", new Properties(),
                Map.of("JOBMETRICS_INPUT", "a.B#c;;d.E#f")));
        assertEquals("input: \"a.B#c;;d.E#f\" (environment variable JOBMETRICS_INPUT) has an empty method pattern;"
                + " use fully.qualified.Type#method or Type#method(java.lang.String,int) (several: separated by"
                + " \";\")", e.getMessage());
    }

    @Test
    void invalidStageNameIsRefused() {
        SettingsException e = failure(() -> SettingsLoader.load(Map.of("records.a b", "a.B#c"), "agent argument",
                new Properties(), Map.of()));
        assertEquals("records.a b (agent argument records.a b) has an invalid stage name; use up to 64 letters,"
                + " digits, _ and -, such as records.load", e.getMessage());
    }

    @Test
    void methodInTwoStagesIsRefused() {
        Map<String, String> explicit = new LinkedHashMap<>();
        explicit.put("records", "a.B#c");
        explicit.put("records.load", "a.B#c");
        SettingsException e = failure(() -> SettingsLoader.load(explicit, "agent argument", new Properties(),
                Map.of()));
        assertEquals("records.load (agent argument records.load) times a.B#c, which stage main times already; give"
                + " each method one stage", e.getMessage());
    }

    @Test
    void recordsAndRecordsMainInOneSourceAreRefused() {
        SettingsException e = failure(() -> SettingsLoader.load(Map.of(), "option",
                properties("jobmetrics.records", "a.B#c", "jobmetrics.records.main", "d.E#f"), Map.of()));
        assertEquals("records.main (system property jobmetrics.records.main) is the same setting as records"
                + " (system property jobmetrics.records); give only one of them", e.getMessage());
    }

    @Test
    void secretFileThatDoesNotExistIsRefusedAtLoad() {
        Path missing = dir.resolve("missing-token");
        assertEquals("bearer-token-file: \"" + missing + "\" (option --bearer-token-file) is not a readable file;"
                + " give the path of a file this process can read",
                optionFailure("bearer-token-file", missing.toString()).getMessage());
    }

    @Test
    void trustStoreThatIsADirectoryIsRefusedAtLoad() {
        assertEquals("tls.trust-store: \"" + dir + "\" (option --tls-trust-store) is not a readable file; give the"
                + " path of a file this process can read",
                optionFailure("tls.trust-store", dir.toString()).getMessage());
    }

    @Test
    void invalidPathIsRefused() {
        assertEquals("spool-dir: \"a\\u0000b\" (option --spool-dir) is not a valid path; use a file path",
                optionFailure("spool-dir", "a\u0000b").getMessage());
    }

    // ------------------------------------------------------------------------------------------------ the file

    @Test
    void missingPropertiesFileIsAnErrorNamingIt() {
        Path missing = dir.resolve("missing.properties");
        SettingsException e = failure(() -> SettingsLoader.load(Map.of(), "option", new Properties(),
                Map.of("JOBMETRICS_CONFIG", missing.toString())));
        assertEquals("config (environment variable JOBMETRICS_CONFIG) names file " + missing + ", which does not"
                + " exist; give the path of a readable properties file", e.getMessage());
        assertEquals("config", e.key());
    }

    @Test
    void unreadablePropertiesFileIsAnErrorNamingIt() {
        SettingsException e = optionFailure("config", dir.toString());
        assertTrue(e.getMessage().startsWith("config (option --config) names file " + dir + ", which cannot be"
                + " read ("), e.getMessage());
        assertTrue(e.getMessage().endsWith("); give the path of a readable properties file"), e.getMessage());
    }

    @Test
    void propertiesFileThatIsNotUtf8IsAnErrorNamingIt() throws Exception {
        Path config = Files.write(dir.resolve("job.properties"), new byte[] {'j', 'o', 'b', '=', (byte) 0xe9});
        assertEquals("config (option --config) names file " + config + ", which is not UTF-8 text; give the path of"
                + " a readable properties file", optionFailure("config", config.toString()).getMessage());
    }

    @Test
    void propertiesFileWithBadEscapeIsAnErrorNamingIt() throws Exception {
        Path config = file("job.properties", "job=\\u12\n");
        assertEquals("config (option --config) names file " + config + ", which is not a properties file (bad \\u"
                + " escape); give the path of a readable properties file",
                optionFailure("config", config.toString()).getMessage());
    }

    @Test
    void configInsideThePropertiesFileIsRefused() throws Exception {
        Path config = file("job.properties", "config=/etc/other.properties\n");
        assertEquals("config (file " + config + ") cannot name another file; give config as an option, system"
                + " property or environment variable", optionFailure("config", config.toString()).getMessage());
    }

    @Test
    void badValueInFileNamesTheFile() throws Exception {
        Path config = file("job.properties", "max-label-values=lots\n");
        assertEquals("max-label-values: \"lots\" (file " + config + ") is not a whole number; use a whole number"
                + " from 1 to 10000", optionFailure("config", config.toString()).getMessage());
    }

    @Test
    void strictInThePropertiesFileIsKnownEvenWhenAnotherSettingThereIsBad() throws Exception {
        Path config = file("job.properties", "strict=true\nmax-label-values=lots\n");
        assertTrue(optionFailure("config", config.toString()).strictRequested());
        Path lax = file("lax.properties", "max-label-values=lots\n");
        assertFalse(optionFailure("config", lax.toString()).strictRequested());
    }

    // ------------------------------------------------------------------------------------------------ combinations

    @Test
    void basicAuthUserWithoutPasswordIsRefused() {
        assertEquals("basic-auth-user (option --basic-auth-user) has no password; set basic-auth-password-file or"
                + " environment variable JOBMETRICS_BASIC_AUTH_PASSWORD",
                optionFailure("basic-auth-user", "pusher").getMessage());
    }

    @Test
    void basicAuthPasswordFileWithoutUserIsRefused() throws Exception {
        Path password = file("password", SECRET);
        assertEquals("basic-auth-password-file (option --basic-auth-password-file) is set without a user; set"
                + " basic-auth-user too", optionFailure("basic-auth-password-file", password.toString()).getMessage());
    }

    @Test
    void basicAuthTogetherWithBearerTokenFileIsRefused() throws Exception {
        Path token = file("token", SECRET);
        SettingsException e = failure(() -> SettingsLoader.load(Map.of("basic-auth-user", "pusher",
                "bearer-token-file", token.toString()), "option", new Properties(),
                Map.of(Secrets.BASIC_AUTH_PASSWORD_VARIABLE, SECRET)));
        assertEquals("bearer-token-file (option --bearer-token-file) is set together with basic-auth-user (option"
                + " --basic-auth-user); configure either basic auth or a bearer token", e.getMessage());
    }

    @Test
    void basicAuthTogetherWithBearerTokenVariableIsRefused() {
        SettingsException e = failure(() -> SettingsLoader.load(Map.of("basic-auth-user", "pusher"), "option",
                new Properties(), Map.of(Secrets.BASIC_AUTH_PASSWORD_VARIABLE, SECRET,
                        Secrets.BEARER_TOKEN_VARIABLE, SECRET)));
        assertEquals("bearer-token (environment variable JOBMETRICS_BEARER_TOKEN) is set together with"
                + " basic-auth-user (option --basic-auth-user); configure either basic auth or a bearer token",
                e.getMessage());
    }

    @Test
    void trustStorePasswordFileWithoutTrustStoreIsRefused() throws Exception {
        Path password = file("password", SECRET);
        assertEquals("tls.trust-store-password-file (option --tls-trust-store-password-file) is set without a"
                + " store; set tls.trust-store too",
                optionFailure("tls.trust-store-password-file", password.toString()).getMessage());
    }

    @Test
    void keyStorePasswordFileWithoutKeyStoreIsRefused() throws Exception {
        Path password = file("password", SECRET);
        SettingsException e = failure(() -> SettingsLoader.load(Map.of(), "option", new Properties(),
                Map.of("JOBMETRICS_TLS_KEY_STORE_PASSWORD_FILE", password.toString())));
        assertEquals("tls.key-store-password-file (environment variable JOBMETRICS_TLS_KEY_STORE_PASSWORD_FILE) is"
                + " set without a store; set tls.key-store too", e.getMessage());
    }

    @Test
    void bearerTokenAloneIsAccepted() throws Exception {
        Settings settings = SettingsLoader.load(Map.of(), "option", new Properties(),
                Map.of(Secrets.BEARER_TOKEN_VARIABLE, SECRET));
        assertEquals(Optional.of(SECRET), settings.secrets().bearerToken());
    }

    // ------------------------------------------------------------------------------------------------ no secrets shown

    @Test
    void settingsToStringNeverShowsASecret() throws Exception {
        Path password = file("password", SECRET);
        Path store = file("store.p12", "x");
        Settings settings = SettingsLoader.load(Map.of("basic-auth-user", "pusher", "basic-auth-password-file",
                password.toString(), "tls.trust-store", store.toString(), "gateway", "https://gw.example"),
                "option", new Properties(), Map.of(Secrets.TRUST_STORE_PASSWORD_VARIABLE, SECRET,
                        Secrets.KEY_STORE_PASSWORD_VARIABLE, SECRET));
        String text = settings.toString();
        assertFalse(text.contains(SECRET), text);
        assertTrue(text.contains("basicAuthPassword=file " + password), text);
        assertTrue(text.contains("trustStorePassword=environment variable JOBMETRICS_TLS_TRUST_STORE_PASSWORD"),
                text);
        assertTrue(text.contains("push-timeout=10s"), text);
    }
}

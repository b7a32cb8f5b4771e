package io.github.jobmetrics.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jobmetrics.internal.config.Durations;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SettingKeyTest {

    @ParameterizedTest
    @CsvSource({
        "job, JOBMETRICS_JOB",
        "push-timeout, JOBMETRICS_PUSH_TIMEOUT",
        "tls.trust-store-password-file, JOBMETRICS_TLS_TRUST_STORE_PASSWORD_FILE",
        "grouping.team, JOBMETRICS_GROUPING_TEAM",
        "grouping.data_center, JOBMETRICS_GROUPING_DATA_CENTER",
        "records.load, JOBMETRICS_RECORDS_LOAD",
        "records, JOBMETRICS_RECORDS",
    })
    void environmentVariableNamesMapBothWays(String key, String variable) {
        assertEquals(variable, SettingKey.environmentVariable(key));
        assertEquals(Optional.of(key), SettingKey.keyOfEnvironmentVariable(variable));
    }

    @Test
    void templateSuffixFromTheEnvironmentIsTakenInLowerCase() {
        assertEquals(Optional.of("grouping.team"), SettingKey.keyOfEnvironmentVariable("JOBMETRICS_GROUPING_Team"));
    }

    @Test
    void variablesThatAreNoSettingMapToNoKey() {
        assertEquals(Optional.empty(), SettingKey.keyOfEnvironmentVariable("JOBMETRICS_PUSH_TIMOUT"));
        assertEquals(Optional.empty(), SettingKey.keyOfEnvironmentVariable("JOBMETRICS_GROUPING_"));
        assertEquals(Optional.empty(), SettingKey.keyOfEnvironmentVariable("PATH"));
    }

    @Test
    void everyFixedKeyHasItsOwnEnvironmentVariable() {
        Set<String> seen = new HashSet<>();
        for (SettingKey key : SettingKey.values()) {
            assertTrue(seen.add(key.environmentVariable()), key.environmentVariable());
            if (!key.isTemplate()) {
                assertEquals(Optional.of(key.key()), SettingKey.keyOfEnvironmentVariable(key.environmentVariable()));
            }
        }
    }

    @Test
    void templatesShowTheirPlaceholderInEverySpelling() {
        assertEquals("grouping.<label>", SettingKey.GROUPING.key());
        assertEquals("grouping.", SettingKey.GROUPING.prefix());
        assertEquals("jobmetrics.grouping.<label>", SettingKey.GROUPING.systemProperty());
        assertEquals("JOBMETRICS_GROUPING_<LABEL>", SettingKey.GROUPING.environmentVariable());
        assertEquals("JOBMETRICS_RECORDS_<STAGE>", SettingKey.RECORDS_STAGE.environmentVariable());
        assertEquals("--grouping-key", SettingKey.GROUPING.option());
    }

    @Test
    void optionsFollowTheInterfaceTable() {
        assertEquals("--tls-trust-store", SettingKey.TLS_TRUST_STORE.option());
        assertEquals("--push-at-start", SettingKey.PUSH_AT_START.option());
        assertEquals("--job", SettingKey.JOB.option());
    }

    @Test
    void concreteKeysFindTheirSetting() {
        assertEquals(Optional.of(SettingKey.GROUPING), SettingKey.of("grouping.team"));
        assertEquals(Optional.of(SettingKey.RECORDS_STAGE), SettingKey.of("records.load"));
        assertEquals(Optional.of(SettingKey.RECORDS), SettingKey.of("records"));
        assertEquals(Optional.of(SettingKey.PUSH_TIMEOUT), SettingKey.of("push-timeout"));
        assertEquals(Optional.empty(), SettingKey.of("push_timeout"));
        assertEquals(Optional.empty(), SettingKey.of("grouping"));
    }

    @Test
    void onlyTimeoutAndAgentAreRunnerOnly() {
        for (SettingKey key : SettingKey.values()) {
            assertEquals(key == SettingKey.TIMEOUT || key == SettingKey.AGENT, key.runnerOnly(), key.key());
            assertFalse(key.description().isBlank(), key.key());
            assertFalse(key.defaultText().isBlank(), key.key());
        }
    }

    @Test
    void defaultsShownInTheReferenceAreTheOnesInForce() throws Exception {
        Settings defaults = SettingsLoader.load(java.util.Map.of(), "option", new java.util.Properties(),
                java.util.Map.of());
        org.junit.jupiter.api.Assertions.assertEquals(Durations.parse(SettingKey.PUSH_TIMEOUT.defaultText()),
                defaults.pushTimeout());
        org.junit.jupiter.api.Assertions.assertEquals(SettingKey.PUSH_RETRIES.defaultText(),
                String.valueOf(defaults.pushRetries()));
        org.junit.jupiter.api.Assertions.assertEquals(SettingKey.MAX_LABEL_VALUES.defaultText(),
                String.valueOf(defaults.maxLabelValues()));
        org.junit.jupiter.api.Assertions.assertEquals(SettingKey.METRIC_PREFIX.defaultText(), defaults.metricPrefix());
        org.junit.jupiter.api.Assertions.assertEquals(SettingKey.ACCUMULATE.defaultText(),
                String.valueOf(defaults.accumulate()));
        org.junit.jupiter.api.Assertions.assertEquals(SettingKey.PUSH_AT_START.defaultText(),
                String.valueOf(defaults.pushAtStart()));
        org.junit.jupiter.api.Assertions.assertEquals(SettingKey.PRINT.defaultText(), String.valueOf(defaults.print()));
        org.junit.jupiter.api.Assertions.assertEquals(SettingKey.CREATED_SERIES.defaultText(),
                String.valueOf(defaults.createdSeries()));
    }

    @Test
    void rawValueFollowsTheLoadersPrecedenceWithoutTheFile() {
        java.util.Properties sys = new java.util.Properties();
        sys.setProperty("jobmetrics.strict", "from-property");
        java.util.Map<String, String> env = java.util.Map.of("JOBMETRICS_STRICT", "from-env",
                "JOBMETRICS_RECORDS_LOAD", "a.B#c");
        org.junit.jupiter.api.Assertions.assertEquals("from-argument", SettingKey.STRICT.rawValue(
                java.util.Map.of("strict", "from-argument"), sys, env).orElseThrow());
        org.junit.jupiter.api.Assertions.assertEquals("from-property",
                SettingKey.STRICT.rawValue(java.util.Map.of(), sys, env).orElseThrow());
        org.junit.jupiter.api.Assertions.assertEquals("from-env", SettingKey.STRICT.rawValue(java.util.Map.of(),
                new java.util.Properties(), env).orElseThrow());
        org.junit.jupiter.api.Assertions.assertTrue(SettingKey.RECORDS_STAGE.givenIn(java.util.Map.of(),
                new java.util.Properties(), env));
        org.junit.jupiter.api.Assertions.assertFalse(SettingKey.INPUT.givenIn(java.util.Map.of(),
                new java.util.Properties(), env));
    }
}

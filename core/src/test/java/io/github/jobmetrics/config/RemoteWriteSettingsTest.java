package io.github.jobmetrics.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class RemoteWriteSettingsTest {
    private static Settings load(Map<String, String> explicit, Map<String, String> env) throws SettingsException {
        return SettingsLoader.load(explicit, "option", new Properties(), env);
    }

    @Test
    void remoteWriteIsOffUnlessItsUrlIsSet() throws Exception {
        assertEquals(Optional.empty(), load(Map.of(), Map.of()).remoteWrite());
        assertEquals(Map.of(), load(Map.of(), Map.of()).remoteWriteHeaders());
    }

    @Test
    void theUrlAndTheTenantHeadersAreReadFromTheEnvironmentToo() throws Exception {
        Settings s = load(Map.of(), Map.of("JOBMETRICS_REMOTE_WRITE", "http://mimir:9009/api/v1/push",
                "JOBMETRICS_REMOTE_WRITE_HEADERS", "X-Scope-OrgID=team-a, THANOS-TENANT=team-b"));
        assertEquals(Optional.of(URI.create("http://mimir:9009/api/v1/push")), s.remoteWrite());
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("X-Scope-OrgID", "team-a");
        expected.put("THANOS-TENANT", "team-b");
        assertEquals(expected, s.remoteWriteHeaders());
    }

    @Test
    void aMalformedHeaderListIsRefusedWithoutShowingItsValue() {
        SettingsException e = assertThrows(SettingsException.class,
                () -> load(Map.of("remote-write.headers", "X-Token secret-value-42"), Map.of()));
        assertTrue(e.getMessage().contains("Name=value"), e.getMessage());
        assertFalse(e.getMessage().contains("secret-value-42"), e.getMessage());
    }

    @Test
    void aHeaderJobmetricsSetsItselfIsRefused() {
        SettingsException e = assertThrows(SettingsException.class,
                () -> load(Map.of("remote-write.headers", "Authorization=Bearer abc"), Map.of()));
        assertTrue(e.getMessage().contains("bearer-token-file"), e.getMessage());
        assertFalse(e.getMessage().contains("abc"), e.getMessage());
    }

    @Test
    void aRemoteWriteUrlWithCredentialsIsRefused() {
        assertThrows(SettingsException.class,
                () -> load(Map.of("remote-write", "http://u:p@prom:9090/api/v1/write"), Map.of()));
    }
}

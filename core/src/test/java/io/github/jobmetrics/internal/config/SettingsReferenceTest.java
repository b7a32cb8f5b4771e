package io.github.jobmetrics.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jobmetrics.config.SettingKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SettingsReferenceTest {
    // Surefire runs with the module directory as working directory.
    private static final Path PAGE = Path.of("..", "docs", "settings.md");

    @Test
    void docsSettingsPageIsWhatTheCodeGenerates() throws Exception {
        assertTrue(Files.isRegularFile(PAGE), PAGE.toAbsolutePath() + " is missing; create it from the repository "
                + "root with: " + SettingsReference.REGENERATE);
        assertEquals(SettingsReference.markdown(), Files.readString(PAGE, StandardCharsets.UTF_8),
                "docs/settings.md differs from SettingKey; regenerate it from the repository root with: "
                        + SettingsReference.REGENERATE);
    }

    @Test
    void everySettingHasOneRowWithItsKeyVariableAndDefault() {
        String md = SettingsReference.markdown();
        for (SettingKey k : SettingKey.values()) {
            String row = md.lines().filter(l -> l.startsWith("| `" + k.key() + "` |")).findFirst()
                    .orElseThrow(() -> new AssertionError("no row for " + k.key()));
            assertTrue(row.contains("`" + k.environmentVariable() + "`"), row);
            assertTrue(row.contains("`" + k.systemProperty() + "`"), row);
            assertTrue(row.contains(k.defaultText()), row);
        }
    }
}

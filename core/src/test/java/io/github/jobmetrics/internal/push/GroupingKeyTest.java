package io.github.jobmetrics.internal.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GroupingKeyTest {
    @Test
    void plainValuesStayReadable() {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("env", "prod");
        labels.put("shard", "eu-1.a_b");
        assertEquals("/metrics/job/etl/env/prod/shard/eu-1.a_b", GroupingKey.of("etl", labels).path());
    }

    @Test
    void awkwardValuesAreBase64UrlWithoutPadding() {
        assertEquals("/metrics/job@base64/YS9i/env@base64/YSBi", GroupingKey.of("a/b", Map.of("env", "a b")).path());
        assertEquals("/metrics/job/etl/env@base64/=", GroupingKey.of("etl", Map.of("env", "")).path());
        assertEquals("/metrics/job/etl/env@base64/Li4", GroupingKey.of("etl", Map.of("env", "..")).path());
        assertEquals("/metrics/job@base64/Lg", GroupingKey.of(".", Map.of()).path());
    }

    @Test
    void invalidLabelNamesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> GroupingKey.of("etl", Map.of("__x", "1")));
        assertThrows(IllegalArgumentException.class, () -> GroupingKey.of("etl", Map.of("job", "1")));
        assertThrows(IllegalArgumentException.class, () -> GroupingKey.of("etl", Map.of("1a", "1")));
        assertThrows(IllegalArgumentException.class, () -> GroupingKey.of("", Map.of()));
    }
}

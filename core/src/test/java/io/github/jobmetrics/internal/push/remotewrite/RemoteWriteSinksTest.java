package io.github.jobmetrics.internal.push.remotewrite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jobmetrics.config.Settings;
import io.github.jobmetrics.internal.push.GroupingKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RemoteWriteSinksTest {
    @Test
    void withoutARemoteWriteUrlThereIsNoSinkAndNothingIsSaid() {
        List<String> err = new ArrayList<>();
        assertTrue(RemoteWriteSinks.create(Settings.defaults(), GroupingKey.of("j", Map.of()), err::add).isEmpty());
        assertEquals(List.of(), err);
    }

    @Test
    void aClassPathWithoutProtobufIsNamedAsTheMissingOptionalDependency() {
        // The platform loader sees the JDK only, as a job's class path without the optional dependencies would.
        assertEquals("com.google.protobuf:protobuf-java",
                RemoteWriteSinks.missingLibrary(ClassLoader.getPlatformClassLoader()));
    }

    @Test
    void theTestClassPathHasBothLibraries() {
        assertNull(RemoteWriteSinks.missingLibrary(RemoteWriteSinks.class.getClassLoader()));
    }
}

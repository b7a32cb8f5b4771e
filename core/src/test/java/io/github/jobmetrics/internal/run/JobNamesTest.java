package io.github.jobmetrics.internal.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class JobNamesTest {
    @Test
    void aJarAMainClassAndASourceFileNameTheJob() {
        assertEquals("etl-1.2", JobNames.fromJavaCommand("/opt/etl-1.2.jar --day 1"));
        assertEquals("Etl", JobNames.fromJavaCommand("com.acme.Etl --day 1"));
        assertEquals("Etl", JobNames.fromJavaCommand("com.acme.etl/com.acme.Etl"));
        String launcher = "jdk.compiler/com.sun.tools.javac.launcher.";
        assertEquals("Etl", JobNames.fromJavaCommand(launcher + "Main /jobs/Etl.java x"));
        assertEquals("Etl", JobNames.fromJavaCommand(launcher + "SourceLauncher Etl.java"));
        assertEquals("batch_job", JobNames.fromJavaCommand(null));
    }
}

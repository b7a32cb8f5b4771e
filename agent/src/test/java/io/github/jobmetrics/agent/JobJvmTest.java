package io.github.jobmetrics.agent;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobJvmTest {
    @TempDir
    Path tmp;

    private Path jar(String name, String mainClass) throws Exception {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (mainClass != null) {
            manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, mainClass);
        }
        Path jar = tmp.resolve(name);
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, manifest)) {
            j.flush();
        }
        return jar;
    }

    @Test
    void aJvmWithoutAnApplicationIsNotAJob() {
        assertNull(JobJvm.of(null)); // java -version
        assertNull(JobJvm.of("  "));
    }

    @Test
    void jdkToolsAreNotJobs() {
        assertNull(JobJvm.of("jdk.jcmd/sun.tools.jps.Jps"));
        assertNull(JobJvm.of("jdk.compiler/com.sun.tools.javac.Main -version"));
        assertNull(JobJvm.of("java.base/sun.security.tools.keytool.Main -help"));
        assertNull(JobJvm.of("jdk.jshell/jdk.internal.jshell.tool.JShellToolProvider"));
        assertNull(JobJvm.of("jdk.jshell.execution.RemoteExecutionControl 40123"));
        assertNull(JobJvm.of("com.sun.tools.javac.Main -version"));
    }

    @Test
    void theRunnerIsNotAJobWhetherStartedByJarOrByClass() throws Exception {
        assertNull(JobJvm.of(JobJvm.RUNNER_MAIN + " --job x -- etl.jar"));
        assertNull(JobJvm.of(jar("any-name.jar", JobJvm.RUNNER_MAIN) + " --job x -- etl.jar"));
    }

    @Test
    void applicationsAreJobsByClassModuleOrJar() throws Exception {
        assertNotNull(JobJvm.of("com.acme.Etl --day 1"));
        assertNotNull(JobJvm.of("com.acme.etl/com.acme.Etl"));
        assertNotNull(JobJvm.of(jar("etl.jar", "com.acme.Etl") + " --day 1"));
        assertNotNull(JobJvm.of(jar("nomain.jar", null).toString()));
        assertNotNull(JobJvm.of(tmp.resolve("missing.jar").toString()), "unreadable jar: measured as before");
    }

    @Test
    void aSingleFileSourceProgramIsAJobNamedByItsFile() {
        JobJvm on17 = JobJvm.of("jdk.compiler/com.sun.tools.javac.launcher.Main /jobs/Etl.java --day 1");
        JobJvm on25 = JobJvm.of("jdk.compiler/com.sun.tools.javac.launcher.SourceLauncher Etl.java");
        assertTrue(on17.isNamed("Etl.java") && on17.isNamed("/jobs/Etl.java"));
        assertFalse(on17.isNamed("Report.java"));
        assertTrue(on25.isNamed("Etl.java"));
    }

    @Test
    void jobMainNamesTheJvmByMainClassJarFileNameOrJarPath() throws Exception {
        Path etl = jar("etl.jar", "com.acme.Etl");
        JobJvm byJar = JobJvm.of(etl + " --day 1");
        assertTrue(byJar.isNamed("etl.jar"));
        assertTrue(byJar.isNamed(etl.toString()));
        assertTrue(byJar.isNamed("com.acme.Etl"));
        assertFalse(byJar.isNamed("report.jar"));
        assertFalse(byJar.isNamed("Etl"));
        JobJvm byClass = JobJvm.of("com.acme.Etl --day 1");
        assertTrue(byClass.isNamed(" com.acme.Etl "));
        assertFalse(byClass.isNamed("com.acme.Report"));
        assertTrue(JobJvm.of("com.acme.etl/com.acme.Etl").isNamed("com.acme.Etl"));
    }
}

package io.github.jobmetrics.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.jobmetrics.config.SettingsLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobPlanTest {
    @TempDir Path dir;

    @Test
    void jarRunsWithTheGivenJavaJvmOptionsAndAgentBeforeDashJar() throws Exception {
        Path jar = Files.createFile(dir.resolve("etl-1.2.jar"));
        JobPlan plan = JobPlan.of(JobSpec.jar(jar.toString(), List.of("a", "-b")), List.of("-Xmx64m", "-Dx=y"),
                "/jdk/bin/java", "-javaagent:/opt/a.jar");
        assertEquals(List.of("/jdk/bin/java", "-Xmx64m", "-Dx=y", "-javaagent:/opt/a.jar", "-jar", jar.toString(),
                "a", "-b"), plan.command());
        assertEquals("etl-1.2", plan.defaultJobName());
    }

    @Test
    void mainClassRunsOnItsClasspath() throws Exception {
        JobPlan plan = JobPlan.of(JobSpec.mainClass("com.acme.Etl", "lib/*", List.of("x")), List.of(), "java",
                null);
        assertEquals(List.of("java", "-cp", "lib/*", "com.acme.Etl", "x"), plan.command());
        assertEquals("Etl", plan.defaultJobName());
    }

    @Test
    void commandRunsAsItIsNamedAfterItsProgram() throws Exception {
        JobPlan plan = JobPlan.of(JobSpec.command("/usr/bin/python3", List.of("etl.py")), List.of("-Xmx1g"),
                "java", "-javaagent:x.jar");
        assertEquals(List.of("/usr/bin/python3", "etl.py"), plan.command());
        assertEquals("python3", plan.defaultJobName());
    }

    @Test
    void missingJarIs127AndADirectoryIs126() throws Exception {
        assertEquals(127, assertThrows(LaunchFailure.class, () -> JobPlan.of(
                JobSpec.jar(dir.resolve("none.jar").toString(), List.of()), List.of(), "java", null)).status());
        Path directory = Files.createDirectory(dir.resolve("dir.jar"));
        assertEquals(126, assertThrows(LaunchFailure.class, () -> JobPlan.of(
                JobSpec.jar(directory.toString(), List.of()), List.of(), "java", null)).status());
    }

    @Test
    void agentArgumentCarriesTheRecordOptions() throws Exception {
        var settings = SettingsLoader.load(Map.of("records", "com.acme.Etl#row;com.acme.Etl#flush",
                "records.load", "com.acme.Load#batch", "input", "com.acme.In#read", "output", "com.acme.Out#write"),
                SettingsLoader.OPTION_SOURCE, new Properties(), Map.of());
        assertEquals("-javaagent:/opt/job-metrics-agent.jar=records=com.acme.Etl#row;com.acme.Etl#flush,"
                + "records.load=com.acme.Load#batch,input=com.acme.In#read,output=com.acme.Out#write",
                AgentArgument.javaagent(Path.of("/opt/job-metrics-agent.jar"), settings));
    }

    @Test
    void agentArgumentCarriesDiscoverCountNestedCallsAndAParameterListThatTheAgentParsesBack() throws Exception {
        var settings = SettingsLoader.load(Map.of("records", "com.acme.Etl#row(java.lang.String,int)",
                "discover", "org.h2", "count-nested-calls", "true"), SettingsLoader.OPTION_SOURCE, new Properties(),
                Map.of());
        String flag = AgentArgument.javaagent(Path.of("/opt/job-metrics-agent.jar"), settings);
        assertEquals("-javaagent:/opt/job-metrics-agent.jar=records=com.acme.Etl#row(java.lang.String,int),"
                + "count-nested-calls=true,discover=org.h2", flag);
        assertEquals(Map.of("records", "com.acme.Etl#row(java.lang.String,int)", "count-nested-calls", "true",
                "discover", "org.h2"), io.github.jobmetrics.internal.config.AgentArguments.parse(
                flag.substring(flag.indexOf('=') + 1)));
    }

    @Test
    void agentArgumentWithoutRecordOptionsIsTheBareJar() throws Exception {
        var settings = SettingsLoader.load(Map.of(), SettingsLoader.OPTION_SOURCE, new Properties(), Map.of());
        assertEquals("-javaagent:/opt/job-metrics-agent.jar",
                AgentArgument.javaagent(Path.of("/opt/job-metrics-agent.jar"), settings));
    }

    @Test
    void agentFlagForTheJobIsAgentlibInstrumentWithTheSameJarAndOptions() throws Exception {
        var settings = SettingsLoader.load(Map.of("records", "com.acme.Etl#row"), SettingsLoader.OPTION_SOURCE,
                new Properties(), Map.of());
        Path agent = Path.of("/opt/job-metrics-agent.jar");
        assertEquals("-agentlib:instrument=/opt/job-metrics-agent.jar=records=com.acme.Etl#row",
                AgentArgument.forJob(agent, settings, List.of("-Xmx64m"), Map.of("JAVA_TOOL_OPTIONS", "-Xss1m")));
        var none = SettingsLoader.load(Map.of(), SettingsLoader.OPTION_SOURCE, new Properties(), Map.of());
        assertEquals("-agentlib:instrument=/opt/job-metrics-agent.jar",
                AgentArgument.forJob(agent, none, List.of(), Map.of()));
    }

    @Test
    void agentFlagStaysJavaagentWhenTheJobsModulesMayBeLimited() throws Exception {
        var settings = SettingsLoader.load(Map.of(), SettingsLoader.OPTION_SOURCE, new Properties(), Map.of());
        Path agent = Path.of("/opt/job-metrics-agent.jar");
        String javaagent = "-javaagent:/opt/job-metrics-agent.jar";
        assertEquals(javaagent, AgentArgument.forJob(agent, settings, List.of("--limit-modules=java.base"), Map.of()));
        assertEquals(javaagent, AgentArgument.forJob(agent, settings, List.of("--limit-modules"), Map.of()));
        assertEquals(javaagent, AgentArgument.forJob(agent, settings, List.of("@/etc/job.args"), Map.of()));
        assertEquals(javaagent, AgentArgument.forJob(agent, settings, List.of(),
                Map.of("JDK_JAVA_OPTIONS", "--limit-modules java.base")));
        assertEquals(javaagent, AgentArgument.forJob(agent, settings, List.of(),
                Map.of("JAVA_TOOL_OPTIONS", "-Djdk.module.limitmods=java.base")));
        assertEquals(javaagent, AgentArgument.forJob(agent, settings, List.of(),
                Map.of("_JAVA_OPTIONS", "@/etc/more.args")));
    }
}

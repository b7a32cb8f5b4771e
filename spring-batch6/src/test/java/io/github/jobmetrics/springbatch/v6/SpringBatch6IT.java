package io.github.jobmetrics.springbatch.v6;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jobmetrics.testing.GatewaySeries;
import io.github.jobmetrics.testing.PushgatewayExtension;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

class SpringBatch6IT {
    @RegisterExtension
    static final PushgatewayExtension GATEWAY = new PushgatewayExtension();

    private ConfigurableApplicationContext start(String... extra) {
        return new SpringApplicationBuilder(BatchJobs6.class)
                .properties("spring.batch.job.enabled=false", "spring.main.banner-mode=off",
                        "spring.datasource.url=jdbc:h2:mem:batch" + System.nanoTime() + ";DB_CLOSE_DELAY=-1",
                        "jobmetrics.gateway=" + GATEWAY.get().baseUri(),
                        "jobmetrics.spring-batch.grouping-parameters=region")
                .properties(extra)
                .run();
    }

    private static BatchStatus launch(ConfigurableApplicationContext context, String job, JobParameters parameters)
            throws Exception {
        return context.getBean(JobOperator.class).start(context.getBean(job, Job.class), parameters).getStatus();
    }

    private static Map<String, String> group(String job, String region, String... more) {
        java.util.Map<String, String> labels = new java.util.HashMap<>(Map.of("instance", "", "job", job,
                "region", region));
        for (int i = 0; i < more.length; i += 2) {
            labels.put(more[i], more[i + 1]);
        }
        return labels;
    }

    @Test
    void aChunkStepPushesExactRecordsErrorsInputAndOutputPerStepAndTheJobAsOneSuccessfulRun() throws Exception {
        BatchJobs6.WRITTEN.clear();
        try (ConfigurableApplicationContext context = start()) {
            JobParameters parameters = new JobParametersBuilder().addString("region", "eu")
                    .addLong("run.id", 1L, false).toJobParameters();
            assertEquals(BatchStatus.COMPLETED, launch(context, "importJob", parameters));
        }
        assertEquals(List.of(1, 2, 4, 7, 10), BatchJobs6.WRITTEN);
        GatewaySeries page = new GatewaySeries(GATEWAY.get().metricsPage());
        assertEquals(10, page.value("batch_job_records_total", group("importJob", "eu", "stage", "load")));
        assertEquals(1, page.value("batch_job_record_errors_total",
                group("importJob", "eu", "stage", "load", "error", "IllegalArgumentException")));
        assertEquals(1, page.value("batch_job_record_errors_total",
                group("importJob", "eu", "stage", "load", "error", "IllegalStateException")));
        assertEquals(10, page.value("batch_job_input_records_total", group("importJob", "eu", "stage", "load")));
        assertEquals(5, page.value("batch_job_output_records_total", group("importJob", "eu", "stage", "load")));
        assertFalse(page.toString().contains("FlakyLookupException"), "an item retried to success is no error");
        assertEquals(0, page.value("batch_job_records_total", group("importJob", "eu", "stage", "report")));
        assertEquals(1, page.value("batch_job_success", group("importJob", "eu")));
        assertEquals(0, page.value("batch_job_running", group("importJob", "eu")));
    }

    @Test
    void aFailingJobIsPushedAsFailedWithItsStepsExceptionAsTheError() throws Exception {
        try (ConfigurableApplicationContext context = start()) {
            JobParameters parameters = new JobParametersBuilder().addString("region", "fail").toJobParameters();
            assertEquals(BatchStatus.FAILED, launch(context, "failingJob", parameters));
        }
        GatewaySeries page = new GatewaySeries(GATEWAY.get().metricsPage());
        assertEquals(0, page.value("batch_job_success", group("failingJob", "fail")));
        assertEquals(1, page.value("batch_job_failure_reason", group("failingJob", "fail", "reason",
                "uncaught_exception")));
        assertEquals(1, page.value("batch_job_records_total", group("failingJob", "fail", "stage", "explode")));
        assertEquals(1, page.value("batch_job_record_errors_total",
                group("failingJob", "fail", "stage", "explode", "error", "IllegalStateException")));
    }

    @Test
    void aFailedExecutionAfterASuccessfulOneKeepsTheGroupsLastSuccessAndCountsTheFatalItem() throws Exception {
        double lastSuccess;
        try (ConfigurableApplicationContext context = start()) {
            assertEquals(BatchStatus.COMPLETED, launch(context, "importJob", new JobParametersBuilder()
                    .addString("region", "flip").addLong("attempt", 1L).addString("corrupt", "false", false)
                    .toJobParameters()));
            lastSuccess = new GatewaySeries(GATEWAY.get().metricsPage())
                    .value("batch_job_last_success_timestamp_seconds", group("importJob", "flip"));
            assertEquals(BatchStatus.FAILED, launch(context, "importJob", new JobParametersBuilder()
                    .addString("region", "flip").addLong("attempt", 2L).addString("corrupt", "true", false)
                    .toJobParameters()));
        }
        GatewaySeries page = new GatewaySeries(GATEWAY.get().metricsPage());
        assertEquals(0, page.value("batch_job_success", group("importJob", "flip")));
        assertEquals(lastSuccess, page.value("batch_job_last_success_timestamp_seconds", group("importJob", "flip")));
        assertEquals(1, page.value("batch_job_failure_reason", group("importJob", "flip", "reason",
                "uncaught_exception")));
        assertEquals(1, page.value("batch_job_record_errors_total",
                group("importJob", "flip", "stage", "load", "error", "UnsupportedOperationException")));
    }

    @Test
    void theSameJobRunTwiceInOneApplicationIsOneRunPerExecutionInTheGroupOfItsParameters() throws Exception {
        try (ConfigurableApplicationContext context = start()) {
            for (String region : List.of("north", "south")) {
                JobParameters parameters = new JobParametersBuilder().addString("region", region)
                        .addLong("attempt", System.nanoTime()).toJobParameters();
                assertEquals(BatchStatus.COMPLETED, launch(context, "importJob", parameters));
            }
        }
        GatewaySeries page = new GatewaySeries(GATEWAY.get().metricsPage());
        for (String region : List.of("north", "south")) {
            assertEquals(10, page.value("batch_job_records_total", group("importJob", region, "stage", "load")));
            assertEquals(1, page.value("batch_job_success", group("importJob", region)));
        }
        assertFalse(GATEWAY.get().metricsPage().contains("attempt="), "only the named parameters group runs");
    }

    @Test
    void twoStepsInProgressAtOnceEachCountIntoTheirOwnStage() throws Exception {
        try (ConfigurableApplicationContext context = start()) {
            JobParameters parameters = new JobParametersBuilder().addString("region", "split").toJobParameters();
            assertEquals(BatchStatus.COMPLETED, launch(context, "parallelJob", parameters));
        }
        GatewaySeries page = new GatewaySeries(GATEWAY.get().metricsPage());
        assertEquals(100, page.value("batch_job_records_total", group("parallelJob", "split", "stage", "left")));
        assertEquals(100, page.value("batch_job_output_records_total",
                group("parallelJob", "split", "stage", "left")));
        assertEquals(50, page.value("batch_job_records_total", group("parallelJob", "split", "stage", "right")));
        assertEquals(50, page.value("batch_job_output_records_total",
                group("parallelJob", "split", "stage", "right")));
        assertEquals(1, page.value("batch_job_success", group("parallelJob", "split")));
    }

    @Test
    void jobmetricsEnabledFalseLeavesJobsUnmeasured() throws Exception {
        try (ConfigurableApplicationContext context = start("jobmetrics.enabled=false")) {
            assertTrue(context.getBeansOfType(JobMetricsBatchListener.class).isEmpty());
            JobParameters parameters = new JobParametersBuilder().addString("region", "off").toJobParameters();
            assertEquals(BatchStatus.FAILED, launch(context, "failingJob", parameters));
        }
        assertFalse(GATEWAY.get().metricsPage().contains("region=\"off\""), "nothing pushed for region off");
    }

    @Test
    void plainSpringBatchCodeRegisteringTheOneListenerOnItsJobAndStepGetsExactCounts() throws Exception {
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(ManualListenerJobs6.class)
                .properties("spring.batch.job.enabled=false", "spring.main.banner-mode=off",
                        "spring.datasource.url=jdbc:h2:mem:manual" + System.nanoTime() + ";DB_CLOSE_DELAY=-1",
                        "jobmetrics.enabled=false", "test.gateway=" + GATEWAY.get().baseUri())
                .run()) {
            assertEquals(BatchStatus.COMPLETED, launch(context, "manualJob", new JobParameters()));
        }
        GatewaySeries page = new GatewaySeries(GATEWAY.get().metricsPage());
        Map<String, String> copy = Map.of("instance", "", "job", "manualJob", "stage", "copy");
        assertEquals(6, page.value("batch_job_records_total", copy));
        assertEquals(6, page.value("batch_job_input_records_total", copy));
        assertEquals(3, page.value("batch_job_output_records_total", copy));
        assertEquals(1, page.value("batch_job_success", Map.of("instance", "", "job", "manualJob")));
    }

    @Test
    void aJobAttachedByHandAndSeenByTheAutoConfigurationTooCountsEachItemOnce() throws Exception {
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(ManualListenerJobs6.class)
                .properties("spring.batch.job.enabled=false", "spring.main.banner-mode=off",
                        "spring.datasource.url=jdbc:h2:mem:both" + System.nanoTime() + ";DB_CLOSE_DELAY=-1",
                        "test.gateway=" + GATEWAY.get().baseUri())
                .run()) {
            assertEquals(BatchStatus.COMPLETED, launch(context, "manualJob", new JobParameters()));
        }
        GatewaySeries page = new GatewaySeries(GATEWAY.get().metricsPage());
        Map<String, String> copy = Map.of("instance", "", "job", "manualJob", "stage", "copy");
        assertEquals(6, page.value("batch_job_records_total", copy));
        assertEquals(3, page.value("batch_job_output_records_total", copy));
    }
}

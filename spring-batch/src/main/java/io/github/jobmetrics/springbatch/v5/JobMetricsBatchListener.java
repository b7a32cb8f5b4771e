package io.github.jobmetrics.springbatch.v5;

import static java.util.Objects.requireNonNull;

import io.github.jobmetrics.springbatch.BatchRuns;
import io.github.jobmetrics.springbatch.StepRecords;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.Job;
import org.springframework.batch.core.ChunkListener;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.ItemProcessListener;
import org.springframework.batch.core.ItemWriteListener;
import org.springframework.batch.core.JobExecution;
import org.springframework.batch.core.JobExecutionListener;
import org.springframework.batch.core.JobParameter;
import org.springframework.batch.core.SkipListener;
import org.springframework.batch.core.StepExecution;
import org.springframework.batch.core.StepExecutionListener;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.item.Chunk;

/**
 * Measures Spring Batch 5 jobs: each job execution is a jobmetrics run, each step a stage, each item a record.
 * One bean serves as every listener a job and its steps need; Spring Boot attaches it by itself
 * ({@link JobMetricsBatchAutoConfiguration}); plain Spring Batch code creates it with {@link #of} and
 * {@linkplain #attach attaches} it to each job.
 */
public class JobMetricsBatchListener implements JobExecutionListener, StepExecutionListener, ChunkListener,
        ItemProcessListener<Object, Object>, ItemWriteListener<Object>, SkipListener<Object, Object> {
    private final BatchRuns runs;
    /** The jobs and steps this listener is attached to, by identity, so that none gets it twice. */
    final Set<Object> attached = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));

    public JobMetricsBatchListener(BatchRuns runs) {
        this.runs = requireNonNull(runs, "runs must not be null");
    }

    /**
     * The listener for plain Spring Batch code: {@code settings} by key as in docs/settings.md ({@code gateway},
     * {@code record-slo}), stronger than {@code jobmetrics.*} system properties and {@code JOBMETRICS_*} variables,
     * which apply too; {@code groupingParameters} name the identifying job parameters that join the grouping key.
     * Attach it with {@link #attach(Job)}.
     */
    public static JobMetricsBatchListener of(Map<String, String> settings, List<String> groupingParameters) {
        return new JobMetricsBatchListener(new BatchRuns(settings, groupingParameters, System.getProperties(),
                System.getenv(), System.err));
    }

    /**
     * Attaches this listener to {@code job} and each of its steps (job, step, chunk, item and skip callbacks), as
     * the Spring Boot auto-configuration does for every job bean, and returns the job:
     * {@code return metrics.attach(new JobBuilder("importJob", repository).start(load).build());}
     */
    public Job attach(Job job) {
        new ListenerAttacher(() -> this, System.err).postProcessAfterInitialization(job, job.getName());
        return job;
    }

    @Override
    public void beforeJob(JobExecution jobExecution) {
        Map<String, String> identifying = new LinkedHashMap<>();
        for (Map.Entry<String, JobParameter<?>> p : jobExecution.getJobParameters().getIdentifyingParameters()
                .entrySet()) {
            identifying.put(p.getKey(), String.valueOf(p.getValue().getValue()));
        }
        runs.jobStarted(jobExecution.getId(), jobExecution.getJobInstance().getJobName(), identifying);
    }

    @Override
    public void afterJob(JobExecution jobExecution) {
        boolean success = jobExecution.getStatus() == BatchStatus.COMPLETED
                && !ExitStatus.FAILED.getExitCode().equals(jobExecution.getExitStatus().getExitCode());
        runs.jobEnded(jobExecution.getId(), success, jobExecution.getAllFailureExceptions());
    }

    @Override
    public void beforeStep(StepExecution stepExecution) {
        runs.stepStarted(stepExecution.getJobExecutionId(), stepExecution.getId(), stepExecution.getStepName());
    }

    @Override
    public ExitStatus afterStep(StepExecution stepExecution) {
        List<Throwable> failures = stepExecution.getStatus() == BatchStatus.FAILED
                ? stepExecution.getFailureExceptions() : List.of();
        runs.stepEnded(stepExecution.getId(), stepExecution.getReadCount(), stepExecution.getWriteCount(),
                failures);
        return null;
    }

    @Override
    public void afterChunk(ChunkContext context) {
        StepRecords records = records(context.getStepContext().getStepExecution());
        if (records != null) {
            records.chunkDone();
        }
    }

    @Override
    public void beforeProcess(Object item) {
        StepRecords records = current();
        if (records != null) {
            records.beforeProcess();
        }
    }

    @Override
    public void afterProcess(Object item, Object result) {
        StepRecords records = current();
        if (records != null) {
            records.afterProcess(item, result);
        }
    }

    @Override
    public void onProcessError(Object item, Exception e) {
        StepRecords records = current();
        if (records != null) {
            records.onProcessError(item);
        }
    }

    @Override
    public void beforeWrite(Chunk<?> items) {
        StepRecords records = current();
        if (records != null) {
            records.beforeWrite();
        }
    }

    @Override
    public void afterWrite(Chunk<?> items) {
        StepRecords records = current();
        if (records != null) {
            records.afterWrite(items.getItems());
        }
    }

    @Override
    public void onSkipInRead(Throwable t) {
        StepRecords records = current();
        if (records != null) {
            records.skippedInRead(t);
        }
    }

    @Override
    public void onSkipInProcess(Object item, Throwable t) {
        StepRecords records = current();
        if (records != null) {
            records.skippedInProcess(item, t);
        }
    }

    @Override
    public void onSkipInWrite(Object item, Throwable t) {
        StepRecords records = current();
        if (records != null) {
            records.skippedInWrite(item, t);
        }
    }

    private StepRecords records(StepExecution stepExecution) {
        return stepExecution == null || stepExecution.getId() == null ? null : runs.step(stepExecution.getId());
    }

    private StepRecords current() {
        StepRecords only = runs.onlyStep();
        if (only != null) {
            return only;
        }
        // Item callbacks carry no step execution; Spring Batch keeps the current one for the thread.
        org.springframework.batch.core.scope.context.StepContext context =
                org.springframework.batch.core.scope.context.StepSynchronizationManager.getContext();
        return context == null ? null : records(context.getStepExecution());
    }
}

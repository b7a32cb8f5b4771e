package io.github.jobmetrics.springbatch.v5;

import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.springframework.batch.core.Job;
import org.springframework.batch.core.Step;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.item.support.ListItemReader;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

/** A job that attaches the listener itself, as plain Spring Batch code does: 1..6, odd items filtered. */
@Configuration
@EnableAutoConfiguration
public class ManualListenerJobs5 {
    @Bean
    public JobMetricsBatchListener metrics(@Value("${test.gateway}") String gateway) {
        return JobMetricsBatchListener.of(Map.of("gateway", gateway), List.of());
    }

    @Bean
    @StepScope
    public ListItemReader<Integer> six() {
        return new ListItemReader<>(IntStream.rangeClosed(1, 6).boxed().toList());
    }

    @Bean
    public Job manualJob(JobRepository repository, PlatformTransactionManager tx, ListItemReader<Integer> six,
            JobMetricsBatchListener metrics) {
        Step copy = new StepBuilder("copy", repository)
                .<Integer, Integer>chunk(4, tx)
                .reader(six)
                .processor(item -> item % 2 == 0 ? item : null)
                .writer(chunk -> { })
                .build();
        return metrics.attach(new JobBuilder("manualJob", repository).start(copy).build());
    }
}

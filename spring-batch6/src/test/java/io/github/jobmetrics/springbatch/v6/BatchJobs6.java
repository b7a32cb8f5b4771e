package io.github.jobmetrics.springbatch.v6;

import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.builder.FlowBuilder;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.flow.Flow;
import org.springframework.batch.core.job.flow.support.SimpleFlow;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.ItemProcessor;
import org.springframework.batch.infrastructure.item.ItemWriter;
import org.springframework.batch.infrastructure.item.support.ListItemReader;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Real Spring Batch 6 jobs, written as any application writes them (nothing of jobmetrics in them).
 * {@code importJob} reads 1..10 in chunks of 4: the processor filters multiples of 3 and throws on 5, the writer
 * throws on a chunk holding 8, both skipped, and item 2's first attempt fails and is retried; then a tasklet step. {@code failingJob}'s only step throws.
 */
@Configuration
@EnableAutoConfiguration
public class BatchJobs6 {
    /** Items the import job's writer wrote, in order. */
    public static final List<Integer> WRITTEN = new CopyOnWriteArrayList<>();

    /** Step-scoped, so that every execution reads 1..10 afresh. */
    @Bean
    @StepScope
    public ListItemReader<Integer> numbers() {
        return new ListItemReader<>(IntStream.rangeClosed(1, 10).boxed().toList());
    }

    /**
     * Step-scoped, so that every execution's item 2 fails its first attempt only (then a retry succeeds); with the
     * job parameter {@code corrupt=true} item 4 throws what no policy skips, and the job fails.
     */
    @Bean
    @StepScope
    public ItemProcessor<Integer, Integer> checks(@Value("#{jobParameters['corrupt']}") String corrupt) {
        AtomicBoolean flakedOnce = new AtomicBoolean();
        boolean failAtFour = "true".equals(corrupt);
        return item -> {
            if (item == 4 && failAtFour) {
                throw new UnsupportedOperationException("corrupt item 4");
            }
            if (item == 2 && flakedOnce.compareAndSet(false, true)) {
                throw new FlakyLookupException();
            }
            if (item == 5) {
                throw new IllegalArgumentException("bad item 5");
            }
            return item % 3 == 0 ? null : item;
        };
    }

    @Bean
    public Step load(JobRepository repository, PlatformTransactionManager tx, ItemProcessor<Integer, Integer> checks) {
        ItemWriter<Integer> writer = chunk -> {
            if (chunk.getItems().contains(8)) {
                throw new IllegalStateException("cannot write 8");
            }
            WRITTEN.addAll(chunk.getItems());
        };
        return new StepBuilder("load", repository)
                .<Integer, Integer>chunk(4)
                .transactionManager(tx)
                .reader(numbers())
                .processor(checks)
                .writer(writer)
                .faultTolerant()
                .skip(IllegalArgumentException.class)
                .skip(IllegalStateException.class)
                .skipLimit(5)
                .retry(FlakyLookupException.class)
                .retryLimit(3)
                .build();
    }

    @Bean
    public Job importJob(JobRepository repository, PlatformTransactionManager tx, Step load) {
        Step report = new StepBuilder("report", repository)
                .tasklet((contribution, context) -> RepeatStatus.FINISHED, tx)
                .build();
        return new JobBuilder("importJob", repository).start(load).next(report).build();
    }

    @Bean
    public Job failingJob(JobRepository repository, PlatformTransactionManager tx) {
        Step explode = new StepBuilder("explode", repository)
                .tasklet((contribution, context) -> {
                    throw new IllegalStateException("boom");
                }, tx)
                .build();
        return new JobBuilder("failingJob", repository).start(explode).build();
    }

    /** A failure that passes when tried again. */
    public static final class FlakyLookupException extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }

    /** Both steps of {@code parallelJob} wait for each other at their first item: surely in progress at once. */
    private final CyclicBarrier bothInProgress = new CyclicBarrier(2);

    /** Step-scoped: 1..100 afresh for every execution. */
    @Bean
    @StepScope
    public ListItemReader<Integer> leftItems() {
        return new ListItemReader<>(IntStream.rangeClosed(1, 100).boxed().toList());
    }

    /** Step-scoped: 1..50 afresh for every execution. */
    @Bean
    @StepScope
    public ListItemReader<Integer> rightItems() {
        return new ListItemReader<>(IntStream.rangeClosed(1, 50).boxed().toList());
    }

    private Step parallelStep(String name, ListItemReader<Integer> items, JobRepository repository,
            PlatformTransactionManager tx) {
        ItemProcessor<Integer, Integer> meetTheOtherStep = item -> {
            if (item == 1) {
                bothInProgress.await(10, TimeUnit.SECONDS);
            }
            return item;
        };
        return new StepBuilder(name, repository)
                .<Integer, Integer>chunk(10)
                .transactionManager(tx)
                .reader(items)
                .processor(meetTheOtherStep)
                .writer(chunk -> { })
                .build();
    }

    /** Two chunk steps in parallel (a split flow, steps that are not beans): each counts into its own stage. */
    @Bean
    public Job parallelJob(JobRepository repository, PlatformTransactionManager tx) {
        Flow left = new FlowBuilder<SimpleFlow>("leftFlow")
                .start(parallelStep("left", leftItems(), repository, tx)).build();
        Flow right = new FlowBuilder<SimpleFlow>("rightFlow")
                .start(parallelStep("right", rightItems(), repository, tx)).build();
        Flow both = new FlowBuilder<SimpleFlow>("both").split(new SimpleAsyncTaskExecutor()).add(left, right).build();
        return new JobBuilder("parallelJob", repository).start(both).end().build();
    }
}

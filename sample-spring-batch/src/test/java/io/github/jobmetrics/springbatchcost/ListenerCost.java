package io.github.jobmetrics.springbatchcost;

import io.github.jobmetrics.springbatch.v5.JobMetricsBatchListener;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.Job;
import org.springframework.batch.core.JobParametersBuilder;
import org.springframework.batch.core.Step;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.launch.JobLauncher;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.item.ItemReader;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The cost per item of the Spring Batch listener: the same chunk job (a counting reader, a processor that filters
 * one item in ten, a writer that does nothing, chunks of 1000, the JDBC job repository on in-memory H2) run
 * alternately without and with {@link JobMetricsBatchListener}, in one JVM after warm-up rounds; prints the median
 * time per item of each and the difference. Not a test: {@code scripts/bench} runs it.
 *
 * <p>Arguments: items per run (default 1,000,000), measured rounds (default 7).
 */
public final class ListenerCost {
    private ListenerCost() {
    }

    public static void main(String[] args) throws Exception {
        int items = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        int warmup = 3;
        PrintStream out = System.out;
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(CostJobs.class)
                .properties("spring.batch.job.enabled=false", "spring.main.banner-mode=off",
                        "logging.level.root=warn", "jobmetrics.enabled=false",
                        "spring.datasource.url=jdbc:h2:mem:cost;DB_CLOSE_DELAY=-1")
                .run()) {
            JobLauncher launcher = context.getBean(JobLauncher.class);
            Job plain = context.getBean("plainJob", Job.class);
            Job measured = context.getBean("measuredJob", Job.class);
            List<Double> plainNs = new ArrayList<>();
            List<Double> measuredNs = new ArrayList<>();
            for (int round = 0; round < warmup + rounds; round++) {
                // Alternating which goes first keeps a drift of the machine's load out of the difference.
                double p;
                double m;
                if (round % 2 == 0) {
                    p = nanosPerItem(launcher, plain, items, round);
                    m = nanosPerItem(launcher, measured, items, round);
                } else {
                    m = nanosPerItem(launcher, measured, items, round);
                    p = nanosPerItem(launcher, plain, items, round);
                }
                if (round >= warmup) {
                    plainNs.add(p);
                    measuredNs.add(m);
                }
            }
            double p = median(plainNs);
            double m = median(measuredNs);
            out.printf("| items per run | rounds | without listener ns/item | with listener ns/item | cost ns/item |%n");
            out.printf("|---:|---:|---:|---:|---:|%n");
            out.printf("| %d | %d | %.1f | %.1f | %.1f |%n", items, rounds, p, m, m - p);
        }
    }

    private static double nanosPerItem(JobLauncher launcher, Job job, int items, int round) throws Exception {
        long begin = System.nanoTime();
        BatchStatus status = launcher.run(job, new JobParametersBuilder().addLong("items", (long) items)
                .addLong("round", (long) round).toJobParameters()).getStatus();
        long nanos = System.nanoTime() - begin;
        if (status != BatchStatus.COMPLETED) {
            throw new IllegalStateException(job.getName() + " ended " + status);
        }
        return (double) nanos / items;
    }

    private static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /** The two jobs, identical but for the listener. */
    @Configuration
    @EnableAutoConfiguration
    public static class CostJobs {
        private static Step step(String name, JobRepository repository, PlatformTransactionManager tx) {
            return new StepBuilder(name, repository)
                    .<Integer, Integer>chunk(1000, tx)
                    .reader(new CountingReader())
                    .processor(item -> item % 10 == 0 ? null : item)
                    .writer(chunk -> { })
                    .build();
        }

        @Bean
        public Job plainJob(JobRepository repository, PlatformTransactionManager tx) {
            return new JobBuilder("plainJob", repository).start(step("plainStep", repository, tx)).build();
        }

        @Bean
        public Job measuredJob(JobRepository repository, PlatformTransactionManager tx) {
            // No gateway: the run is measured in full and printed on stderr instead of pushed.
            JobMetricsBatchListener metrics = JobMetricsBatchListener.of(Map.of("record-slo", "1ms"), List.of());
            return metrics.attach(new JobBuilder("measuredJob", repository)
                    .start(step("measuredStep", repository, tx)).build());
        }
    }

    /** Reads 0..items-1, the count taken from the job parameter {@code items} at the start of each step. */
    static final class CountingReader implements ItemReader<Integer>,
            org.springframework.batch.core.StepExecutionListener {
        private int next;
        private int end;

        @Override
        public void beforeStep(org.springframework.batch.core.StepExecution stepExecution) {
            next = 0;
            end = stepExecution.getJobParameters().getLong("items").intValue();
        }

        @Override
        public Integer read() {
            return next < end ? next++ : null;
        }
    }
}

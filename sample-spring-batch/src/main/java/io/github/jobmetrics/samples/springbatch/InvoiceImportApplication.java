package io.github.jobmetrics.samples.springbatch;

import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.springframework.batch.core.Job;
import org.springframework.batch.core.Step;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.item.ItemProcessor;
import org.springframework.batch.item.support.ListItemReader;
import org.springframework.batch.repeat.RepeatStatus;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * An ordinary Spring Boot batch application with no jobmetrics code: the {@code jobmetrics-spring-batch}
 * dependency and the {@code jobmetrics.*} properties in application.yml are all it has of jobmetrics.
 *
 * <p>{@code invoiceImport} reads invoices 1..100 in chunks of 10: every 7th is invalid (skipped, an error), every
 * 10th that is valid has nothing to book (filtered), the rest are booked; then a tasklet step reports the total.
 * Run it with the job parameters on the command line:
 * {@code java -jar app.jar --jobmetrics.gateway=http://127.0.0.1:9091 region=eu}.
 */
@SpringBootApplication
public class InvoiceImportApplication {
    private final AtomicLong booked = new AtomicLong();

    public static void main(String[] args) {
        System.exit(SpringApplication.exit(SpringApplication.run(InvoiceImportApplication.class, args)));
    }

    @Bean
    @StepScope
    public ListItemReader<Integer> invoices() {
        return new ListItemReader<>(IntStream.rangeClosed(1, 100).boxed().toList());
    }

    @Bean
    public ItemProcessor<Integer, Integer> validate() {
        return invoice -> {
            if (invoice % 7 == 0) {
                throw new InvalidInvoiceException();
            }
            return invoice % 10 == 0 ? null : invoice;
        };
    }

    @Bean
    public Step book(JobRepository repository, PlatformTransactionManager tx, ListItemReader<Integer> invoices,
            ItemProcessor<Integer, Integer> validate) {
        return new StepBuilder("book", repository)
                .<Integer, Integer>chunk(10, tx)
                .reader(invoices)
                .processor(validate)
                .writer(chunk -> booked.addAndGet(chunk.size()))
                .faultTolerant()
                .skip(InvalidInvoiceException.class)
                .skipLimit(20)
                .build();
    }

    @Bean
    public Job invoiceImport(JobRepository repository, PlatformTransactionManager tx, Step book) {
        Step report = new StepBuilder("report", repository)
                .tasklet((contribution, context) -> {
                    System.out.println("booked " + booked.get() + " invoices");
                    return RepeatStatus.FINISHED;
                }, tx)
                .build();
        return new JobBuilder("invoiceImport", repository).start(book).next(report).build();
    }

    /** An invoice that cannot be booked. */
    public static final class InvalidInvoiceException extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }
}

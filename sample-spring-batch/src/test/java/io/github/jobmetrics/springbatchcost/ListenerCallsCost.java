package io.github.jobmetrics.springbatchcost;

import io.github.jobmetrics.springbatch.v5.JobMetricsBatchListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.batch.core.JobExecution;
import org.springframework.batch.core.JobInstance;
import org.springframework.batch.core.JobParameters;
import org.springframework.batch.core.StepExecution;
import org.springframework.batch.core.scope.context.StepSynchronizationManager;
import org.springframework.batch.item.Chunk;

/** The listener's own per-item calls, without Spring Batch around them: what the listener itself costs. */
public final class ListenerCallsCost {
    private ListenerCallsCost() {
    }

    public static void main(String[] args) {
        int items = args.length > 0 ? Integer.parseInt(args[0]) : 10_000_000;
        JobMetricsBatchListener listener = JobMetricsBatchListener.of(Map.of("record-slo", "1ms"), List.of());
        JobExecution job = new JobExecution(new JobInstance(1L, "costJob"), 1L, new JobParameters());
        listener.beforeJob(job);
        StepExecution step = new StepExecution("costStep", job, 2L);
        listener.beforeStep(step);
        StepSynchronizationManager.register(step);
        Integer[] values = new Integer[1000];
        for (int i = 0; i < values.length; i++) {
            values[i] = i + 100_000;
        }
        for (int round = 0; round < 5; round++) {
            long begin = System.nanoTime();
            for (int done = 0; done < items; done += 1000) {
                List<Integer> out = new ArrayList<>(1000);
                for (Integer item : values) {
                    listener.beforeProcess(item);
                    Integer result = item % 10 == 0 ? null : item;
                    listener.afterProcess(item, result);
                    if (result != null) {
                        out.add(result);
                    }
                }
                Chunk<Integer> chunk = new Chunk<>(out);
                listener.beforeWrite(chunk);
                listener.afterWrite(chunk);
            }
            System.out.printf("round %d: %.1f ns/item%n", round, (double) (System.nanoTime() - begin) / items);
        }
        StepSynchronizationManager.close();
    }
}

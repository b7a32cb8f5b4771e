package io.github.jobmetrics.springbatch.v5;

import java.io.PrintStream;
import java.lang.reflect.Field;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.function.Supplier;
import org.springframework.batch.core.Job;
import org.springframework.batch.core.Step;
import org.springframework.batch.core.job.AbstractJob;
import org.springframework.batch.core.job.flow.Flow;
import org.springframework.batch.core.job.flow.FlowHolder;
import org.springframework.batch.core.job.flow.FlowJob;
import org.springframework.batch.core.job.flow.State;
import org.springframework.batch.core.job.flow.support.SimpleFlow;
import org.springframework.batch.core.step.StepHolder;
import org.springframework.batch.core.step.AbstractStep;
import org.springframework.batch.core.step.StepLocator;
import org.springframework.batch.core.step.item.ChunkOrientedTasklet;
import org.springframework.batch.core.step.item.SimpleChunkProcessor;
import org.springframework.batch.core.step.tasklet.TaskletStep;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Attaches the listener to every job and step bean, and to the steps of every job, so that Spring Boot
 * applications are measured without touching job code. Each job and step gets a listener once, however many ways
 * it is reached and whether by this or by {@link JobMetricsBatchListener#attach} (a listener counted twice would
 * count every item twice).
 *
 * <p>Spring Batch 5 offers no public way to add item listeners to a step once built: the chunk processor of a
 * chunk step is read reflectively ({@code ChunkOrientedTasklet.chunkProcessor}). Where that fails (a step of a
 * kind not known here) the step is still a stage with its counts, without per-item records, and this is said once.
 */
final class ListenerAttacher implements BeanPostProcessor {
    private final Supplier<JobMetricsBatchListener> listener;
    private final PrintStream err;

    ListenerAttacher(Supplier<JobMetricsBatchListener> listener, PrintStream err) {
        this.listener = listener;
        this.err = err;
    }

    /** Records that {@code target} gets the listener now; false when it already has it (kept by the listener). */
    private boolean firstTime(Object target) {
        return listener.get().attached.add(target);
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof Job job) {
            attachJob(job);
        } else if (bean instanceof Step step) {
            attachStep(step);
        }
        return bean;
    }

    private void attachJob(Job job) {
        if (!(job instanceof AbstractJob abstractJob) || !firstTime(job)) {
            return;
        }
        abstractJob.registerJobExecutionListener(listener.get());
        if (job instanceof FlowJob flowJob) {
            // Not getStepNames(): a flow job caches the steps it finds at the first call, and before its flows
            // are initialized it finds none of those in a split, for good.
            Flow flow = flow(flowJob);
            if (flow != null) {
                attachFlow(flow, Collections.newSetFromMap(new IdentityHashMap<>()));
            }
        } else if (job instanceof StepLocator locator) {
            for (String name : locator.getStepNames()) {
                attachStep(locator.getStep(name));
            }
        }
    }

    private void attachFlow(Flow flow, Set<Flow> seen) {
        if (!seen.add(flow)) {
            return;
        }
        if (flow instanceof SimpleFlow simple) {
            try {
                // What the flow does at its first start anyway: build its states from its transitions.
                simple.afterPropertiesSet();
            } catch (Exception e) {
                err.println("jobmetrics: cannot read the steps of flow " + flow.getName() + " (" + e
                        + "); they are not measured");
                return;
            }
        }
        for (State state : flow.getStates()) {
            if (state instanceof StepHolder holder) {
                attachStep(holder.getStep());
            } else if (state instanceof FlowHolder holder) {
                for (Flow inner : holder.getFlows()) {
                    attachFlow(inner, seen);
                }
            }
        }
    }

    private Flow flow(FlowJob job) {
        try {
            Field field = FlowJob.class.getDeclaredField("flow");
            field.setAccessible(true);
            return (Flow) field.get(job);
        } catch (ReflectiveOperationException | RuntimeException e) {
            err.println("jobmetrics: cannot read the flow of job " + job.getName() + " (" + e
                    + "); its steps are not measured unless they are beans");
            return null;
        }
    }

    private void attachStep(Step step) {
        if (!(step instanceof AbstractStep abstractStep) || !firstTime(step)) {
            return;
        }
        JobMetricsBatchListener l = listener.get();
        abstractStep.registerStepExecutionListener(l);
        if (step instanceof TaskletStep taskletStep) {
            taskletStep.registerChunkListener(l);
            if (taskletStep.getTasklet() instanceof ChunkOrientedTasklet<?> tasklet) {
                SimpleChunkProcessor<?, ?> processor = chunkProcessor(tasklet);
                if (processor != null) {
                    processor.registerListener(l);
                } else {
                    err.println("jobmetrics: cannot attach item listeners to step " + step.getName()
                            + "; its items are counted at its end only, without records");
                }
            }
        }
    }

    private static SimpleChunkProcessor<?, ?> chunkProcessor(ChunkOrientedTasklet<?> tasklet) {
        try {
            Field field = ChunkOrientedTasklet.class.getDeclaredField("chunkProcessor");
            field.setAccessible(true);
            return field.get(tasklet) instanceof SimpleChunkProcessor<?, ?> processor ? processor : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}

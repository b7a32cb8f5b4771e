package io.github.jobmetrics.springbatch;

import static java.util.Objects.requireNonNull;

import io.github.jobmetrics.api.Stage;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The records of one step execution, fed by Spring Batch's item, chunk and skip callbacks and counted into the
 * step's {@link Stage}. Spring-free, so both Spring Batch lines share it.
 *
 * <p>An item is one record, counted once when its fate is final, because a fault-tolerant step may process the
 * same item again after a rollback: a written item when its chunk's write succeeded (its processing time plus an
 * equal share of the chunk's write time), a filtered item the first time the processor returns null for it
 * (its processing time), a skipped item when Spring Batch reports the skip (failed, labelled with the exception's
 * simple class name), and a step that fails counts one failed record per failure exception. Items read and
 * written are the stage's input and output, taken from the step execution's own counts at the end.
 *
 * <p>Thread-safe: a multi-threaded step calls back from several threads, each with its own chunk.
 */
public final class StepRecords {
    private final Stage stage;
    private final ThreadLocal<long[]> processStart = ThreadLocal.withInitial(() -> new long[1]);
    private final ThreadLocal<long[]> writeStart = ThreadLocal.withInitial(() -> new long[1]);
    /** Processing time of each processed item, by the processor's result, until the item is written. */
    private final Map<Object, Long> processedNanos = Collections.synchronizedMap(new IdentityHashMap<>());
    /** Processing time of the last failed attempt of each item, by the item, until it is skipped. */
    private final Map<Object, Long> failedNanos = Collections.synchronizedMap(new IdentityHashMap<>());
    /** Items of the chunks in progress that the processor filtered, so that a reprocessed chunk counts them once. */
    private final Set<Object> filtered = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));

    public StepRecords(Stage stage) {
        this.stage = requireNonNull(stage, "stage must not be null");
    }

    /** The stage this step counts into. */
    public Stage stage() {
        return stage;
    }

    /** Before the processor sees an item. */
    public void beforeProcess() {
        processStart.get()[0] = System.nanoTime();
    }

    /** After the processor returned {@code result} for {@code item}; null means the item was filtered. */
    public void afterProcess(Object item, Object result) {
        long begin = processStart.get()[0];
        if (result == null) {
            if (filtered.add(item)) {
                stage.success(begin);
            }
            return;
        }
        processedNanos.put(result, System.nanoTime() - begin);
    }

    /** After the processor threw for {@code item}: kept for the skip that may follow, counted then. */
    public void onProcessError(Object item) {
        failedNanos.put(item, System.nanoTime() - processStart.get()[0]);
    }

    /** Before a chunk's items are written. */
    public void beforeWrite() {
        writeStart.get()[0] = System.nanoTime();
    }

    /** After {@code items} were written: each is one successful record. */
    public void afterWrite(List<?> items) {
        if (items.isEmpty()) {
            return;
        }
        long now = System.nanoTime();
        long share = (now - writeStart.get()[0]) / items.size();
        for (Object item : items) {
            Long processing = processedNanos.remove(item);
            stage.success(now - share - (processing == null ? 0 : processing));
        }
    }

    /** A chunk was committed: its items are final, a rollback cannot bring them back for processing. */
    public void chunkDone() {
        filtered.clear();
    }

    /** An item the reader failed on was skipped. */
    public void skippedInRead(Throwable error) {
        stage.failure(System.nanoTime(), error);
    }

    /** {@code item} was skipped after the processor threw {@code error}. */
    public void skippedInProcess(Object item, Throwable error) {
        Long nanos = failedNanos.remove(item);
        stage.failure(System.nanoTime() - (nanos == null ? 0 : nanos), error);
    }

    /** {@code item} was skipped after the writer threw {@code error}. */
    public void skippedInWrite(Object item, Throwable error) {
        Long processing = processedNanos.remove(item);
        stage.failure(System.nanoTime() - (processing == null ? 0 : processing), error);
    }

    /**
     * The step ended: its items read and written become the stage's input and output, and each exception that
     * failed it one failed record.
     */
    public void stepEnded(long read, long written, List<Throwable> failures) {
        stage.input(read);
        stage.output(written);
        long now = System.nanoTime();
        for (Throwable failure : failures) {
            stage.failure(now, Failures.cause(failure));
        }
        processedNanos.clear();
        failedNanos.clear();
        filtered.clear();
    }
}

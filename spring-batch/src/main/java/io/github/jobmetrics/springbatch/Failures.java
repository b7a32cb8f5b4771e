package io.github.jobmetrics.springbatch;

/** The exception that says why a step failed, under Spring Batch's own wrappers. */
final class Failures {
    private static final String SPRING_BATCH = "org.springframework.batch.";
    private static final int MAX_DEPTH = 10;

    private Failures() {
    }

    /**
     * {@code failure} itself, or for Spring Batch's wrappers (a skip limit exceeded, retries exhausted, a listener
     * that failed) the first cause that is the job's own exception: that is what the error label should name.
     */
    static Throwable cause(Throwable failure) {
        Throwable current = failure;
        for (int i = 0; i < MAX_DEPTH && current.getCause() != null
                && current.getClass().getName().startsWith(SPRING_BATCH); i++) {
            current = current.getCause();
        }
        return current;
    }
}

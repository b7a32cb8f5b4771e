package io.github.jobmetrics.springbatch;

import java.util.List;

/** The exception that says why a step failed, under Spring Batch's own wrappers. */
final class Failures {
    /** Packages whose exceptions wrap the job's own: Spring Batch's, and the retry of Spring Retry and Spring 7. */
    private static final List<String> WRAPPERS = List.of("org.springframework.batch.", "org.springframework.retry.",
            "org.springframework.core.retry.");
    private static final int MAX_DEPTH = 10;

    private Failures() {
    }

    /**
     * {@code failure} itself, or for Spring Batch's and Spring's retry wrappers (a skip limit exceeded, retries
     * exhausted, a listener that failed) the first cause that is the job's own exception: that is what the error
     * label should name.
     */
    static Throwable cause(Throwable failure) {
        Throwable current = failure;
        for (int i = 0; i < MAX_DEPTH && current.getCause() != null
                && isWrapper(current); i++) {
            current = current.getCause();
        }
        return current;
    }

    private static boolean isWrapper(Throwable error) {
        String name = error.getClass().getName();
        for (String wrapper : WRAPPERS) {
            if (name.startsWith(wrapper)) {
                return true;
            }
        }
        return false;
    }
}

package io.github.jobmetrics.cli;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The terminating signals the runner caught, in order. The first stops the job; one that arrives later cuts short
 * whatever the runner is waiting for then (reading the job's textfile), so no wait outlasts a signal.
 */
final class StopRequests {
    private final List<String> received = new ArrayList<>();
    private final List<Waiter> waiters = new ArrayList<>();

    private record Waiter(int seen, CompletableFuture<String> next) {
    }

    /** Records a signal by name, such as {@code SIGTERM}. Called from the JVM's signal thread. */
    synchronized void receive(String signal) {
        received.add(signal);
        for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
            Waiter w = it.next();
            if (received.size() > w.seen) {
                w.next.complete(received.get(w.seen));
                it.remove();
            }
        }
    }

    /** Completes with the first signal. */
    CompletableFuture<String> first() {
        return after(0);
    }

    /** Completes with the first signal that arrives from now on. */
    synchronized CompletableFuture<String> next() {
        return after(received.size());
    }

    private synchronized CompletableFuture<String> after(int seen) {
        CompletableFuture<String> next = new CompletableFuture<>();
        if (received.size() > seen) {
            next.complete(received.get(seen));
        } else {
            waiters.add(new Waiter(seen, next));
        }
        return next;
    }
}

package io.github.jobmetrics.agent.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Makes the {@link Weaver} on a daemon thread of its own from the agent's first moments, when some setting may
 * name a pattern: loading ASM then overlaps with reading the settings and installing the exit capture, which
 * otherwise come first on the way to {@code main}. {@link RecordTransformer#install} takes it over.
 */
public final class WeaverStart implements Runnable {
    private final CompletableFuture<Weaver> weaver = new CompletableFuture<>();
    private final Thread thread;

    private WeaverStart() {
        thread = new Thread(this, "jobmetrics-agent-weaver-start");
        thread.setDaemon(true);
    }

    /** Starts making the weaver now. */
    public static WeaverStart begin() {
        WeaverStart start = new WeaverStart();
        start.thread.start();
        return start;
    }

    @Override
    public void run() {
        try {
            weaver.complete(Weaver.create());
        } catch (RuntimeException | LinkageError e) {
            weaver.completeExceptionally(e);
        }
    }

    /** The weaver, waiting for it if it is still being made; throws what making it threw. */
    Weaver get() {
        try {
            return weaver.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof LinkageError) {
                throw (LinkageError) cause;
            }
            throw cause instanceof RuntimeException ? (RuntimeException) cause : e;
        }
    }

    /** Whether {@code t} is the thread making the weaver, whose own class loads are never woven. */
    boolean isMaking(Thread t) {
        return t == thread;
    }
}

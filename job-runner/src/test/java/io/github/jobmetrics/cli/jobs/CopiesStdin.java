package io.github.jobmetrics.cli.jobs;

import java.io.IOException;

/** Test job: says "ready" on stderr, then copies stdin to stdout until end of input. */
public final class CopiesStdin {
    private CopiesStdin() {
    }

    public static void main(String[] args) throws IOException {
        System.err.println("ready");
        System.err.flush();
        System.in.transferTo(System.out);
        System.out.flush();
    }
}

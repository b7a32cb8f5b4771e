package io.github.jobmetrics.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Waits, within a bound, for a server process the test started to answer 200 on its readiness URL. */
public final class ReadyProbe {
    private ReadyProbe() {
    }

    /** True once {@code ready} answers 200; false when {@code max} passes or the process dies first. */
    public static boolean await(HttpClient http, Process process, URI ready, Duration max)
            throws InterruptedException {
        long end = System.nanoTime() + max.toNanos();
        while (System.nanoTime() < end && process.isAlive()) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(1))
                        .build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return true;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(50);
        }
        return false;
    }
}

package io.github.jobmetrics.samples;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A plain Java job for the runner-and-agent tests. {@code own-textfile}: three records of {@link #step} and its own
 * metric written to {@code JOBMETRICS_TEXTFILE}; {@code throw}: main dies of an exception; {@code exit N}:
 * {@code System.exit(N)}.
 */
public final class HandoffJob {
    private HandoffJob() {
    }

    static int step(int row) {
        return row * 2;
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "own-textfile": {
                int sum = 0;
                for (int row = 0; row < 3; row++) {
                    sum += step(row);
                }
                Files.writeString(Path.of(System.getenv("JOBMETRICS_TEXTFILE")),
                        "# TYPE own_rows_total counter\nown_rows_total 7\n", StandardCharsets.UTF_8);
                System.out.println("sum " + sum);
                break;
            }
            case "throw":
                throw new IllegalStateException("told to fail");
            case "exit":
                System.exit(Integer.parseInt(args[1]));
                break;
            default:
                throw new IllegalArgumentException("own-textfile, throw or exit N");
        }
    }
}

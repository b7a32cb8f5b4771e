package io.github.jobmetrics.cli.jobs;

import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.FileDescriptor;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/** Test job: writes as many MiB of 'x' to stdout as its argument says. */
public final class WritesMegabytes {
    private WritesMegabytes() {
    }

    public static void main(String[] args) throws IOException {
        byte[] block = new byte[1 << 20];
        Arrays.fill(block, (byte) 'x');
        try (OutputStream out = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16)) {
            for (int i = 0; i < Integer.parseInt(args[0]); i++) {
                out.write(block);
            }
        }
    }
}

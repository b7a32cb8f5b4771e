package io.github.jobmetrics.samples;

import com.google.protobuf.Value;
import java.util.Arrays;
import org.xerial.snappy.Snappy;

/**
 * A plain job that uses its own snappy-java and protobuf-java, as Kafka, Spark and Parquet jobs do: it compresses
 * and encodes each of {@code args[0]} rows through {@link #record}, checks they come back, and prints on stdout
 * which jar each library came from.
 */
public final class OwnLibrariesJob {
    private OwnLibrariesJob() {
    }

    static byte[] record(int row) throws Exception {
        byte[] encoded = Value.newBuilder().setStringValue("row " + row).build().toByteArray();
        byte[] back = Snappy.uncompress(Snappy.compress(encoded));
        if (!Arrays.equals(encoded, back) || !Value.parseFrom(back).getStringValue().equals("row " + row)) {
            throw new IllegalStateException("row " + row + " did not come back");
        }
        return back;
    }

    public static void main(String[] args) throws Exception {
        int rows = Integer.parseInt(args[0]);
        for (int row = 0; row < rows; row++) {
            record(row);
        }
        System.out.println("snappy from " + Snappy.class.getProtectionDomain().getCodeSource().getLocation());
        System.out.println("protobuf from " + Value.class.getProtectionDomain().getCodeSource().getLocation());
    }
}

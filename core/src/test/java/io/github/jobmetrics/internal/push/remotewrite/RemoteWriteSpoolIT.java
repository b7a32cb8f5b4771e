package io.github.jobmetrics.internal.push.remotewrite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jobmetrics.internal.push.GroupingKey;
import io.github.jobmetrics.internal.push.PushReport;
import io.github.jobmetrics.internal.push.PushRequest;
import io.github.jobmetrics.internal.push.Spool;
import io.github.jobmetrics.internal.push.remotewrite.prompb.WriteRequest;
import io.github.jobmetrics.testing.FreePort;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xerial.snappy.Snappy;

/**
 * A remote write that cannot be delivered waits in the spool and is written by a later run, before that run's own,
 * to the same receiver only; a write the receiver refuses (4xx) is neither retried nor spooled.
 */
class RemoteWriteSpoolIT {
    private static final long FIRST_END = 1_764_480_000_000L;
    private static final long SECOND_END = FIRST_END + 60_000;
    @TempDir Path dir;
    private final List<String> err = new ArrayList<>();
    private final ScriptedReceiver receiver;

    RemoteWriteSpoolIT() throws Exception {
        receiver = new ScriptedReceiver();
    }

    @AfterEach
    void stop() {
        receiver.close();
    }

    private PushReport write(URI url, long end) {
        RemoteWriteSink sink = new RemoteWriteSink(url, new RemoteWritePusher(url, Map.of(), Optional::empty, null),
                GroupingKey.of(SeededRuns.JOB, Map.of()), Duration.ofSeconds(2), 1, Spool.withDefaults(dir, err::add),
                err::add);
        return sink.deliver(SeededRuns.run(SeededRuns.THREE_RUNS[0], end), end);
    }

    private List<String> files(String suffix) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(suffix)).toList();
        }
    }

    private static long timestamp(ScriptedReceiver.Received r) throws Exception {
        return WriteRequest.parseFrom(Snappy.uncompress(r.body())).getTimeseries(0).getSamples(0).getTimestamp();
    }

    @Test
    void aWriteThatMeetsOnlyServerErrorsIsSpooledAndTheNextRunWritesItFirstToTheSameReceiver() throws Exception {
        receiver.then(503, "ingester restarting", null).then(503, "ingester restarting", null);

        PushReport first = write(receiver.writeUri(), FIRST_END);
        assertEquals(PushReport.Outcome.SPOOLED, first.outcome(), first.line());
        assertTrue(first.line().contains("answered 503") && first.line().contains("saved to "), first.line());
        assertEquals(1, files(".push").size());

        PushReport second = write(receiver.writeUri(), SECOND_END);
        assertEquals(PushReport.Outcome.PUSHED, second.outcome(), second.line());
        assertEquals(4, receiver.received().size(), "two refused attempts, then the spooled run, then this one");
        assertEquals(FIRST_END, timestamp(receiver.received().get(2)));
        assertEquals(SECOND_END, timestamp(receiver.received().get(3)));
        assertEquals(List.of(), files(".push"));
        assertTrue(err.stream().anyMatch(l -> l.contains("delivered spooled") && l.contains("remote-write receiver "
                + receiver.writeUri())), err.toString());
    }

    @Test
    void aWriteToAnUnreachableReceiverIsSpooledAndNeverWrittenToAnotherReceiver() throws Exception {
        URI unreachable = URI.create("http://127.0.0.1:" + FreePort.next() + "/api/v1/write");

        PushReport first = write(unreachable, FIRST_END);
        assertEquals(PushReport.Outcome.SPOOLED, first.outcome(), first.line());

        PushReport other = write(receiver.writeUri(), SECOND_END);
        assertEquals(PushReport.Outcome.PUSHED, other.outcome(), other.line());
        assertEquals(1, receiver.received().size(), "only the run meant for this receiver");
        assertEquals(SECOND_END, timestamp(receiver.received().get(0)));
        assertEquals(1, files(".push").size(), "the write for the unreachable receiver still waits");
    }

    @Test
    void aClientErrorIsNeitherRetriedNorSpooledAndIsSaidInOneLine() throws Exception {
        receiver.then(400, "out of order sample", null);

        PushReport report = write(receiver.writeUri(), FIRST_END);

        assertEquals(PushReport.Outcome.LOST, report.outcome(), report.line());
        assertTrue(report.line().contains("answered 400: out of order sample")
                && report.line().contains("not retried and not spooled"), report.line());
        assertEquals(1, receiver.received().size());
        assertEquals(List.of(), files(".push"));
    }

    @Test
    void aSpooledWriteTheReceiverThenRefusesIsMovedAsideInOneLineAndTheRunIsStillWritten() throws Exception {
        receiver.then(503, "", null).then(503, "", null);
        write(receiver.writeUri(), FIRST_END);
        receiver.then(400, "out of order sample", null);

        PushReport second = write(receiver.writeUri(), SECOND_END);

        assertEquals(PushReport.Outcome.PUSHED, second.outcome(), second.line());
        assertEquals(1, files(".rejected").size());
        assertEquals(List.of(), files(".push"));
        assertEquals(1, err.stream().filter(l -> l.contains("was refused by its remote-write receiver")
                && l.contains("out of order sample")).count(), err.toString());
    }

    @Test
    void aGatewayEntryForTheReceiversOwnUrlIsNeverWrittenToTheReceiver() throws Exception {
        Spool.withDefaults(dir, err::add).save(receiver.writeUri(), new PushRequest(PushRequest.Method.PUT,
                "/metrics/job/" + SeededRuns.JOB, "# TYPE a gauge\na 1\n".getBytes(StandardCharsets.UTF_8)));

        PushReport report = write(receiver.writeUri(), FIRST_END);

        assertEquals(PushReport.Outcome.PUSHED, report.outcome(), report.line());
        assertEquals(1, receiver.received().size());
        assertEquals(1, files(".push").size());
    }
}

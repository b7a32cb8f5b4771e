package io.github.jobmetrics.internal.textformat;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;

/**
 * Decodes UTF-8, reporting malformed bytes only after every character before them has been delivered.
 *
 * <p>{@code InputStreamReader} decodes ahead and throws as soon as a chunk contains a bad byte, discarding the
 * characters before it, which would make the parser blame the wrong line.
 */
final class StrictUtf8Reader extends Reader {

    private final InputStream in;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private final ByteBuffer bytes = ByteBuffer.allocate(8192).flip();
    private boolean endOfBytes;
    private boolean flushed;

    StrictUtf8Reader(InputStream in) {
        this.in = requireNonNull(in, "in must not be null");
    }

    @Override
    public int read(char[] target, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        CharBuffer out = CharBuffer.wrap(target, offset, length);
        while (true) {
            if (flushed) {
                return -1;
            }
            CoderResult result = decoder.decode(bytes, out, endOfBytes);
            int produced = out.position() - offset;
            if (result.isError()) {
                if (produced > 0) {
                    return produced;
                }
                result.throwException();
            }
            if (produced > 0) {
                return produced;
            }
            if (endOfBytes) {
                // A decoder may not decode again after flushing, hence the flag checked above.
                decoder.flush(out);
                flushed = true;
                produced = out.position() - offset;
                return produced > 0 ? produced : -1;
            }
            refill();
        }
    }

    private void refill() throws IOException {
        bytes.compact();
        int read = in.read(bytes.array(), bytes.position(), bytes.remaining());
        if (read < 0) {
            endOfBytes = true;
        } else {
            bytes.position(bytes.position() + read);
        }
        bytes.flip();
    }

    @Override
    public void close() {
        // The caller owns the stream.
    }
}

package dev.yieldloop.net;

import dev.yieldloop.Promise;
import java.io.EOFException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A pending stream read of a {@link Connection} (asyncio's {@code StreamReader.readline}, {@code readexactly}, {@code
 * readuntil}): given the connection's {@link InboundBuffer} and whether the stream has ended, it either completes its
 * promise, taking what it needs, or asks for more bytes.
 *
 * <p>Threading: loop thread only.
 *
 * @param <R> what the read produces
 */
abstract class StreamRead<R> {

    final Promise<R> promise;

    StreamRead(Promise<R> promise) {
        this.promise = promise;
    }

    /**
     * Completes the promise from {@code in} if it can.
     *
     * @param in the buffered bytes
     * @param eof whether the peer has ended the stream (no more bytes will come)
     * @return true when the promise was completed (value or failure), false when more bytes are needed
     */
    abstract boolean tryComplete(InboundBuffer in, boolean eof);

    /** {@code readExactly(n)}: exactly n bytes; an end of stream before them fails with {@link EOFException}. */
    static final class Exactly extends StreamRead<ByteBuffer> {
        private final int n;

        Exactly(Promise<ByteBuffer> promise, int n) {
            super(promise);
            this.n = n;
        }

        @Override
        boolean tryComplete(InboundBuffer in, boolean eof) {
            if (in.size() >= n) {
                promise.complete(in.take(n));
                return true;
            }
            if (eof) {
                promise.fail(new EOFException("end of stream after " + in.size() + " of " + n + " bytes"));
                return true;
            }
            return false;
        }
    }

    /** {@code readUntil(delimiter, max)}: the bytes up to and including the delimiter, at most max in all. */
    static final class Until extends StreamRead<ByteBuffer> {
        private final byte[] delimiter;
        private final int maxBytes;
        private int scannedTo;

        Until(Promise<ByteBuffer> promise, byte[] delimiter, int maxBytes) {
            super(promise);
            this.delimiter = delimiter;
            this.maxBytes = maxBytes;
        }

        @Override
        boolean tryComplete(InboundBuffer in, boolean eof) {
            int at = in.indexOf(delimiter, scannedTo);
            if (at >= 0) {
                int length = at + delimiter.length;
                if (length > maxBytes) {
                    promise.fail(new StreamLimitException("data before the delimiter", maxBytes));
                } else {
                    promise.complete(in.take(length));
                }
                return true;
            }
            scannedTo = Math.max(0, in.size() - delimiter.length + 1); // never rescan what cannot start a match
            if (in.size() >= maxBytes) {
                promise.fail(new StreamLimitException("data before the delimiter", maxBytes));
                return true;
            }
            if (eof) {
                if (in.isEmpty()) {
                    promise.complete(null);
                } else {
                    promise.fail(new EOFException("end of stream after " + in.size() + " bytes without the delimiter"));
                }
                return true;
            }
            return false;
        }
    }

    /** {@code readLine(max)}: a line without its CRLF or LF, decoded as UTF-8; null at a clean end of stream. */
    static final class Line extends StreamRead<String> {
        private static final byte[] LF = {'\n'};
        private final int maxBytes;
        private int scannedTo;

        Line(Promise<String> promise, int maxBytes) {
            super(promise);
            this.maxBytes = maxBytes;
        }

        @Override
        boolean tryComplete(InboundBuffer in, boolean eof) {
            int at = in.indexOf(LF, scannedTo);
            if (at >= 0) {
                int contentBytes = at > 0 && in.get(at - 1) == '\r' ? at - 1 : at;
                if (contentBytes > maxBytes) {
                    promise.fail(new StreamLimitException("line", maxBytes));
                    return true;
                }
                ByteBuffer line = in.take(at + 1);
                promise.complete(new String(line.array(), 0, contentBytes, StandardCharsets.UTF_8));
                return true;
            }
            scannedTo = in.size();
            if (in.size() > maxBytes + 1) { // + 1: the CR of a CRLF may already be here
                promise.fail(new StreamLimitException("line", maxBytes));
                return true;
            }
            if (eof) {
                if (in.isEmpty()) {
                    promise.complete(null);
                } else { // the last line had no terminator: it is still a line (as BufferedReader.readLine has it)
                    int size = in.size();
                    ByteBuffer tail = in.take(size);
                    int contentBytes = tail.get(size - 1) == '\r' ? size - 1 : size;
                    promise.complete(new String(tail.array(), 0, contentBytes, StandardCharsets.UTF_8));
                }
                return true;
            }
            return false;
        }
    }
}

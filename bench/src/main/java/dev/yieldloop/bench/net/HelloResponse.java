package dev.yieldloop.bench.net;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The hello servers' fixed HTTP/1.1 response and the request-head scanner they share, so that Yieldloop's and Netty's
 * hello servers do exactly the same work: find each {@code \r\n\r\n} and answer it.
 *
 * <p>Thread-safe, except {@link Scanner}: one per connection, on that connection's thread.
 */
final class HelloResponse {

    /** The whole response: status line, two headers, a 13-byte body; keep-alive is HTTP/1.1's default. */
    static final byte[] BYTES = ("HTTP/1.1 200 OK\r\n"
                    + "Content-Type: text/plain\r\n"
                    + "Content-Length: 13\r\n"
                    + "\r\n"
                    + "Hello, world!")
            .getBytes(StandardCharsets.US_ASCII);

    private HelloResponse() {}

    /**
     * {@code count} responses back to back, in a new buffer ready to write.
     *
     * @param count how many requests ended in the bytes just read, at least 1
     * @return a buffer from position 0 to its limit
     */
    static ByteBuffer responses(int count) {
        if (count == 1) {
            return ByteBuffer.wrap(BYTES);
        }
        ByteBuffer out = ByteBuffer.allocate(BYTES.length * count);
        for (int i = 0; i < count; i++) {
            out.put(BYTES);
        }
        return out.flip();
    }

    /** Counts request heads by their {@code \r\n\r\n} terminator, across reads. Not thread-safe. */
    static final class Scanner {
        private int matched;

        /**
         * Consumes the readable bytes of {@code in}.
         *
         * @param in the bytes just read, from position to limit
         * @return how many request heads ended in them
         */
        int scan(ByteBuffer in) {
            int requests = 0;
            for (int i = in.position(); i < in.limit(); i++) {
                requests += step(in.get(i));
            }
            return requests;
        }

        /**
         * Consumes one byte.
         *
         * @param b the byte
         * @return 1 if it ended a request head, else 0
         */
        int step(byte b) {
            boolean expectCr = (matched & 1) == 0;
            if (b == (expectCr ? '\r' : '\n')) {
                if (++matched == 4) {
                    matched = 0;
                    return 1;
                }
            } else {
                matched = b == '\r' ? 1 : 0;
            }
            return 0;
        }
    }
}

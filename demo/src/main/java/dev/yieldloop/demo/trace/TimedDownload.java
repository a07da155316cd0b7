package dev.yieldloop.demo.trace;

import dev.yieldloop.demo.io.HttpResponseParser;
import dev.yieldloop.demo.io.HttpResult;
import dev.yieldloop.demo.io.HttpUrl;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;

/**
 * One blocking HTTP/1.1 download on a fresh connection that notes its milestones on {@link System#nanoTime()}: start,
 * request sent, first byte, done. The client of the traced sequential, threads and process-pool runs.
 *
 * @param result what came back
 * @param startNanos when it began
 * @param sentNanos when the request had been written
 * @param firstByteNanos when the first response byte had been read
 * @param doneNanos when the response was complete
 */
public record TimedDownload(HttpResult result, long startNanos, long sentNanos, long firstByteNanos, long doneNanos) {

    /** Read buffer, in bytes. */
    static final int BUFFER_BYTES = 8 * 1024;

    /**
     * Downloads {@code url}, blocking the calling thread.
     *
     * @param url the URL
     * @param timeoutMillis connect and read timeout, in milliseconds
     * @return the result and its milestones
     * @throws IOException on a connection, timeout or protocol failure
     */
    public static TimedDownload get(HttpUrl url, int timeoutMillis) throws IOException {
        long start = System.nanoTime();
        try (Socket socket = new Socket()) {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(url.host(), url.port()), timeoutMillis);
            socket.setSoTimeout(timeoutMillis);
            socket.getOutputStream().write(url.getRequest());
            long sent = System.nanoTime();
            long firstByte = 0;
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[BUFFER_BYTES];
            HttpResponseParser parser = new HttpResponseParser();
            while (true) {
                int n = in.read(buffer);
                if (firstByte == 0) {
                    firstByte = System.nanoTime();
                }
                if (n < 0) {
                    parser.endOfStream();
                    break;
                }
                if (parser.feed(ByteBuffer.wrap(buffer, 0, n))) {
                    break;
                }
            }
            return new TimedDownload(parser.result(), start, sent, firstByte, System.nanoTime());
        }
    }
}

package dev.yieldloop.demo.io;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeoutException;

/**
 * A blocking HTTP/1.1 client over one {@link Socket}, reused across requests to the same host while the server keeps
 * it alive: the demo's analogue of a Python {@code requests.Session}, used by the sequential and thread strategies.
 *
 * <p>Threading: one thread at a time (each worker thread has its own client).
 */
public final class BlockingHttpClient implements Closeable {

    private final byte[] buffer = new byte[16 * 1024];
    private Socket socket;
    private String socketHost;
    private int socketPort;

    /** Creates a client with no connection yet. */
    public BlockingHttpClient() {}

    /**
     * Downloads {@code url}, blocking the calling thread.
     *
     * @param url the URL
     * @param timeoutNanos the deadline for the whole download (connect to last byte), in nanoseconds
     * @return the response's status, size and CRC-32
     * @throws IOException on a connection or protocol failure
     * @throws TimeoutException if the deadline passes first
     */
    public HttpResult get(HttpUrl url, long timeoutNanos) throws IOException, TimeoutException {
        long deadlineNanos = System.nanoTime() + timeoutNanos;
        boolean reused = socket != null && url.host().equals(socketHost) && url.port() == socketPort;
        try {
            return attempt(url, deadlineNanos, reused);
        } catch (IOException e) {
            close();
            if (!reused || !(e instanceof RetryableException)) {
                throw e;
            }
            return attempt(url, deadlineNanos, false); // the server closed an idle keep-alive connection: retry once
        }
    }

    private HttpResult attempt(HttpUrl url, long deadlineNanos, boolean reuse) throws IOException, TimeoutException {
        if (!reuse) {
            close();
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(url.host(), url.port()), remainingMillis(url, deadlineNanos));
            socketHost = url.host();
            socketPort = url.port();
        }
        HttpResponseParser parser = new HttpResponseParser();
        try {
            socket.getOutputStream().write(url.getRequest());
            InputStream in = socket.getInputStream();
            while (true) {
                socket.setSoTimeout(remainingMillis(url, deadlineNanos));
                int n;
                try {
                    n = in.read(buffer);
                } catch (SocketTimeoutException e) {
                    close();
                    throw timeout(url);
                }
                if (n < 0) {
                    close();
                    if (!parser.started()) {
                        throw new RetryableException("connection closed before the response to " + url);
                    }
                    parser.endOfStream(); // completes a close-delimited body, or throws: the response was cut short
                    return parser.result();
                }
                if (parser.feed(ByteBuffer.wrap(buffer, 0, n))) {
                    if (!parser.reusable()) {
                        close();
                    }
                    return parser.result();
                }
            }
        } catch (IOException e) {
            if (reuse && !parser.started() && !(e instanceof RetryableException)) {
                throw new RetryableException("reused connection failed before the response: " + e);
            }
            throw e;
        }
    }

    private static int remainingMillis(HttpUrl url, long deadlineNanos) throws TimeoutException {
        long remaining = (deadlineNanos - System.nanoTime()) / 1_000_000;
        if (remaining <= 0) {
            throw timeout(url);
        }
        return (int) Math.min(Integer.MAX_VALUE, remaining);
    }

    private static TimeoutException timeout(HttpUrl url) {
        return new TimeoutException("download of " + url + " passed its deadline");
    }

    /** Closes the kept-alive connection, if any. */
    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                // nothing to do: the socket is gone either way
            }
            socket = null;
        }
    }

    /** A failure on a reused connection before any response byte: the request is safe to send again. */
    private static final class RetryableException extends IOException {
        private static final long serialVersionUID = 1L;

        RetryableException(String message) {
            super(message);
        }
    }
}

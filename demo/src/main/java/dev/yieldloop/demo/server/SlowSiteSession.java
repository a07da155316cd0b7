package dev.yieldloop.demo.server;

import dev.yieldloop.Coroutine;
import dev.yieldloop.LoopLog;
import dev.yieldloop.Promise;
import dev.yieldloop.Step;
import dev.yieldloop.net.ReadTimeoutException;
import dev.yieldloop.net.TcpConnection;
import dev.yieldloop.net.WriteTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;

/**
 * One connection of the {@link SlowSiteServer}, as a coroutine written by hand: each {@code case} of {@link #resume()}
 * runs from one marked point to the next.
 *
 * <pre>
 *   READ ──request──→ sleep(delay) ──→ RESPOND ──write──→ WRITTEN ──keep-alive──→ READ
 *    │                                                      └─close──→ LINGER ──EOF/2 s──→ closed
 *    ├─malformed──→ write 400/414/431 ──→ LINGER
 *    └─EOF, reset, header deadline or idle timeout ──→ closed
 * </pre>
 *
 * <p>After the last response the output is shut down and the input drained for up to {@value #LINGER_MILLIS} ms
 * ("lingering close", as Apache and nginx do), so a client still sending is not answered with a reset that could
 * destroy the response before it reads it.
 *
 * <p>Deadlines: the header deadline covers a request's head only; every read (between requests and inside a body)
 * has the idle timeout, and queued response bytes the write timeout (both set on the connection by the server). A
 * client going away or timing out is an expected event: one DEBUG line with its address, never a stack trace.
 *
 * <p>Threading: runs on the server's loop thread.
 */
final class SlowSiteSession implements Coroutine<Void> {

    /** How long the input is drained after the output is shut down, in milliseconds. */
    static final long LINGER_MILLIS = 2_000;

    /** Most bytes drained while lingering before closing anyway. */
    static final long LINGER_MAX_BYTES = 1 << 20;

    private static final System.Logger LOG = System.getLogger(SlowSiteSession.class.getName());

    private enum Phase {
        READ,
        RESPOND,
        WRITTEN,
        LINGER
    }

    private final SlowSiteServer server;
    private final TcpConnection connection;
    private final HttpRequestParser parser = new HttpRequestParser();
    private final ByteBuffer in = ByteBuffer.allocate(16 * 1024);
    private Phase phase = Phase.READ;
    private Promise<Integer> read;
    private Promise<Void> write;
    private HttpRequestParser.Request request;
    private boolean closeAfterWrite;
    private boolean rejected;
    private long requestDeadlineNanos = -1;
    private long lingerDeadlineNanos;
    private long lingerBytes;

    SlowSiteSession(SlowSiteServer server, TcpConnection connection) {
        this.server = server;
        this.connection = connection;
    }

    @Override
    public Step<Void> resume() {
        while (true) {
            switch (phase) {
                case READ -> {
                    if (read != null) {
                        Promise<Integer> done = read;
                        read = null;
                        if (!done.isSucceeded() || done.result() < 0) {
                            return closeAfter(done); // EOF, reset, header deadline or idle timeout
                        }
                    }
                    in.flip();
                    HttpRequestParser.Result result = parser.feed(in);
                    in.compact();
                    if (result instanceof HttpRequestParser.Request r) {
                        request = r;
                        requestDeadlineNanos = -1;
                        phase = Phase.RESPOND;
                        long delayMillis = server.options().delayMillis();
                        if (delayMillis > 0) {
                            return Step.sleep(Duration.ofMillis(delayMillis));
                        }
                    } else if (result instanceof HttpRequestParser.Reject reject) {
                        server.countRejected();
                        write = connection.write(SlowSiteServer.rejection(reject));
                        closeAfterWrite = true;
                        rejected = true;
                        phase = Phase.WRITTEN;
                        return Step.await(write);
                    } else {
                        return awaitRequestBytes();
                    }
                }
                case RESPOND -> {
                    closeAfterWrite = SlowSiteServer.closesAfter(request);
                    write = connection.write(server.response(request));
                    request = null;
                    phase = Phase.WRITTEN;
                    return Step.await(write);
                }
                case WRITTEN -> {
                    if (!write.isSucceeded()) {
                        return closeAfter(write); // the peer reset, went away or stopped reading mid-response
                    }
                    write = null;
                    if (!rejected) {
                        server.countServed();
                    }
                    if (server.draining()) {
                        return close(); // the server is closing: the response went out, no keep-alive
                    }
                    if (!closeAfterWrite) {
                        phase = Phase.READ; // keep-alive: a pipelined request may already be buffered
                        continue;
                    }
                    connection.shutdownOutput();
                    lingerDeadlineNanos = server.loop().nanoTime() + LINGER_MILLIS * 1_000_000;
                    phase = Phase.LINGER;
                }
                case LINGER -> {
                    if (read != null) {
                        Promise<Integer> done = read;
                        read = null;
                        if (!done.isSucceeded() || done.result() < 0) {
                            return close();
                        }
                        lingerBytes += done.result();
                    }
                    long remainingNanos = lingerDeadlineNanos - server.loop().nanoTime();
                    if (remainingNanos <= 0 || lingerBytes > LINGER_MAX_BYTES) {
                        return close();
                    }
                    in.clear();
                    read = connection.read(in).orTimeout(Duration.ofNanos(remainingNanos));
                    return Step.await(read);
                }
                default -> throw new IllegalStateException("unknown phase " + phase);
            }
        }
    }

    /**
     * Waits for more request bytes: under the header deadline while a request head is arriving; otherwise (between
     * requests, inside a body) only under the connection's per-read idle timeout.
     */
    private Step<Void> awaitRequestBytes() {
        if (parser.inHead()) {
            long now = server.loop().nanoTime();
            if (requestDeadlineNanos < 0) {
                requestDeadlineNanos = now + server.options().headerTimeout().toNanos();
            }
            read = connection.read(in).orTimeout(Duration.ofNanos(Math.max(0, requestDeadlineNanos - now)));
        } else {
            read = connection.read(in);
        }
        return Step.await(read);
    }

    /** Closes after a read or write that failed or hit end of stream: counts timeouts, logs one DEBUG/INFO line. */
    private Step<Void> closeAfter(Promise<?> done) {
        if (done.isFailed()) {
            Throwable cause = done.failure();
            String peer = connection.description();
            if (cause instanceof WriteTimeoutException) {
                server.countWriteTimeout(((WriteTimeoutException) cause).stalledNanos());
                LoopLog.expected(LOG, System.Logger.Level.INFO, peer + " stopped reading; connection aborted", cause);
            } else if (cause instanceof ReadTimeoutException || cause instanceof TimeoutException) {
                server.countIdleTimeout();
                LoopLog.expected(LOG, System.Logger.Level.DEBUG, peer + " timed out", cause);
            } else {
                LoopLog.expected(LOG, System.Logger.Level.DEBUG, peer + " went away", cause);
            }
        }
        return close();
    }

    /** Whether the connection waits between requests with no request begun: safe to close at once. */
    boolean idle() {
        return phase == Phase.READ && !parser.inRequest();
    }

    private Step<Void> close() {
        connection.close();
        return Step.done(null);
    }

    @Override
    public Step<Void> resumeCancelled(CancellationException cancellation) {
        connection.close(); // the server is closing: the pending read or write was cancelled with the task
        throw cancellation;
    }
}

package dev.yieldloop.demo.io;

import dev.yieldloop.Coroutine;
import dev.yieldloop.EventLoop;
import dev.yieldloop.Promise;
import dev.yieldloop.Step;
import dev.yieldloop.net.TcpConnection;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * One download as a task body on the event loop: the HTTP/1.1 client of the {@code event-loop} strategy, written on
 * {@link TcpConnection}. Each {@code return Step.await(…)} is a marked point where the task gives the loop thread to the
 * others, the Java spelling of the article's {@code async with session.get(url)}:
 *
 * <pre>
 *   START ──connect──→ CONNECTING ──write request──→ SENDING ──→ READING ──read…──→ done (status, size, CRC-32)
 * </pre>
 *
 * <p>Every wait carries what is left of the download's deadline ({@link Promise#orTimeout(Duration)}), so a stuck
 * server fails the download with a {@link TimeoutException}; whatever way it ends (value, failure, cancellation), {@link
 * #onExit(Throwable)} closes the connection.
 *
 * <p>Why a hand-written state machine and not a straight-line body ({@code loop.spawnAsync(name, a -> …)}): where the
 * JDK offers no continuations (JDK 17, or a JVM without {@code jdk.internal.vm} exported) straight-line bodies run under
 * a baton, one thread per body, and the {@code event-loop} strategy is measured precisely to show that one thread does
 * the whole job. The hand form runs on the loop thread on every JDK; {@code docs/coroutine-by-hand.md} sets it beside
 * its straight-line twin.
 *
 * <p>Threading: runs on its loop's thread.
 */
public final class LoopDownload implements Coroutine<HttpResult> {

    /** Read buffer per download, in bytes: 2,000 downloads in flight hold 16 MiB. */
    static final int BUFFER_BYTES = 8 * 1024;

    private enum Phase {
        START,
        CONNECTING,
        SENDING,
        READING
    }

    private final EventLoop loop;
    private final HttpUrl url;
    private final InetSocketAddress address;
    private final Duration timeout;
    private final HttpResponseParser parser = new HttpResponseParser();
    private Phase phase = Phase.START;
    private long deadlineNanos;
    private Promise<TcpConnection> connecting;
    private TcpConnection connection;
    private Promise<Void> sending;
    private Promise<Integer> reading;
    private ByteBuffer buffer;

    /**
     * Creates the download; spawn it as a task to run it.
     *
     * @param loop the loop it runs on
     * @param url what to download
     * @param address the server's resolved address
     * @param timeout the deadline for the whole download, from the task's first step
     */
    public LoopDownload(EventLoop loop, HttpUrl url, InetSocketAddress address, Duration timeout) {
        this.loop = loop;
        this.url = url;
        this.address = address;
        this.timeout = timeout;
    }

    @Override
    public Step<HttpResult> resume() throws Exception {
        switch (phase) {
            case START -> {
                deadlineNanos = loop.nanoTime() + timeout.toNanos();
                connecting = TcpConnection.connect(loop, address).orTimeout(remaining());
                phase = Phase.CONNECTING;
                return Step.await(connecting);
            }
            case CONNECTING -> {
                connection = connecting.get();
                sending = connection.write(ByteBuffer.wrap(url.getRequest())).orTimeout(remaining());
                phase = Phase.SENDING;
                return Step.await(sending);
            }
            case SENDING -> {
                sending.get();
                buffer = ByteBuffer.allocate(BUFFER_BYTES);
                phase = Phase.READING;
                return awaitRead();
            }
            case READING -> {
                int n = reading.get();
                if (n < 0) {
                    parser.endOfStream(); // completes a close-delimited body, or throws: the response was cut short
                    return finish();
                }
                buffer.flip();
                if (parser.feed(buffer)) {
                    return finish();
                }
                buffer.clear();
                return awaitRead();
            }
            default -> throw new IllegalStateException("unknown phase " + phase);
        }
    }

    private Step<HttpResult> awaitRead() {
        reading = connection.read(buffer).orTimeout(remaining());
        return Step.await(reading);
    }

    private Step<HttpResult> finish() {
        return Step.done(parser.result()); // onExit closes the connection
    }

    private Duration remaining() {
        return Duration.ofNanos(Math.max(0, deadlineNanos - loop.nanoTime()));
    }

    /** The state machine's {@code finally}: runs once however the download ends, and closes the connection. */
    @Override
    public void onExit(Throwable failureOrNull) {
        if (connection != null) {
            connection.abort(); // nothing queued is worth sending once the download is over
        }
    }
}

package dev.yieldloop.net;

// Over the house's 400-line aim, on purpose: this is the public face of a stream socket, 23 public operations whose
// contracts (units, threading, outcomes, what they throw) are their Javadoc, which is most of the file, plus connect
// and closing, which drive ConnectionState. The work behind them is in InboundReader (the pending read, stream reads,
// the read deadline), OutboundBuffer (write queue, watermarks, write deadline), StreamRead and InboundBuffer. Splitting
// the API itself would give one concept two names.

import dev.yieldloop.EventLoop;
import dev.yieldloop.Promise;
import dev.yieldloop.internal.IoRegistration;
import dev.yieldloop.internal.LoopInternals;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Objects;

/**
 * A non-blocking stream connection driven by an {@link EventLoop}, over any {@link SocketChannel}: TCP ({@link
 * TcpConnection}) or a Unix domain socket ({@link #connect(EventLoop, UnixDomainSocketAddress)}, JDK 16+). Connect,
 * read, write, shut down, close; each operation that may wait returns a {@link Promise}. It is asyncio's transport with
 * its {@code StreamReader}/{@code StreamWriter} on top, and Netty's {@code Channel} with its {@code
 * ChannelOutboundBuffer}: the connection owns its outbound buffer, the watermarks on it, the write deadline and the
 * stream reads, so every protocol on the loop (HTTP, the process pool's frames) uses the same ones.
 *
 * <p>Interest ops follow one rule: {@code OP_READ} is set only while a {@link #read(ByteBuffer)} is pending, {@code
 * OP_WRITE} only while written bytes are queued after a partial write, {@code OP_CONNECT} only while connecting. So an
 * idle connection costs the selector nothing.
 *
 * <p>Backpressure by watermarks (Netty's {@code WriteBufferWaterMark}, asyncio's {@code drain()}): once more than
 * {@link #highWatermarkBytes()} are queued the connection is not {@linkplain #isWritable() writable}, and {@link
 * #awaitWritable()} waits until the queue drains to {@link #lowWatermarkBytes()} or below. A writer that awaits
 * writability before each write keeps the queue under the high watermark plus one write, however slow the peer.
 *
 * <p>Outcomes, not exceptions: end of stream is a read of {@code -1}; a reset or a local close fails the pending
 * promises with the {@link IOException}; cancelling a pending read's promise drops {@code OP_READ}, cancelling a
 * pending connect closes the channel, cancelling a queued write removes it if none of its bytes went out yet.
 *
 * <p>Streams (asyncio's {@code StreamReader}): {@link #readLine(int)}, {@link #readExactly(int)} and {@link
 * #readUntil(byte[], int)} read through the loop's shared read buffer and keep per connection only the bytes a caller
 * has not taken yet, so an idle connection holds no buffer. They mix freely with {@link #read(ByteBuffer)}, which takes
 * buffered bytes first.
 *
 * <p>Closing follows asyncio's transport: {@link #close()} stops reading, sends what is queued, then closes; {@link
 * #abort()} closes at once and fails the queued writes; {@link #closed()} completes when the channel is closed.
 *
 * <p>Deadlines a server needs against peers that stop: a {@linkplain #setWriteTimeout write timeout} aborts the
 * connection when queued writes make no progress for that long (a peer that never reads), and a {@linkplain
 * #setReadTimeout read timeout} fails a read that gets no byte for that long (an idle peer). Both are off by default
 * and run on the loop's clock.
 *
 * <p>Threading: loop thread only, except {@link #loop()}, {@link #remoteAddress()}, {@link #description()} and {@link
 * #toString()}.
 */
public sealed class Connection implements AutoCloseable permits TcpConnection {

    private final EventLoop loop;
    private final SocketChannel channel;
    private final String remote;
    private final String writableDescription;
    private final SocketAddress remoteAddress;
    private final IoRegistration registration;
    private final OutboundBuffer outbound;
    private final InboundReader reader;

    /** Default high watermark: 64 KiB queued makes the connection unwritable. */
    public static final int DEFAULT_HIGH_WATERMARK_BYTES = 64 * 1024;

    /** Default low watermark: draining to 32 KiB makes it writable again. */
    public static final int DEFAULT_LOW_WATERMARK_BYTES = 32 * 1024;

    /** The connect promise while {@link ConnectionState#CONNECTING}: of this connection, typed by its creator. */
    private Promise<? super Connection> connecting;

    /** Where the connection is in its life; changes only through {@link #transitionTo(ConnectionState)}. */
    private ConnectionState state;

    private Promise<Void> closedPromise;
    /** Run once when the channel closes; how a {@link Server} forgets the connections it accepted. */
    Runnable onClosed;

    Connection(
            EventLoop loop, SocketChannel channel, SocketAddress remoteAddress, String remote, ConnectionState initial)
            throws IOException {
        this.loop = loop;
        this.state = initial;
        this.channel = channel;
        this.remoteAddress = remoteAddress;
        this.remote = remote;
        this.writableDescription = "writable " + remote;
        this.outbound = new OutboundBuffer(loop, remote, this::abortWith);
        this.registration = LoopInternals.register(loop, channel, remote, this::onReady);
        this.reader = new InboundReader(loop, channel, registration, remote);
    }

    /**
     * Loop thread only. Opens a connection to a Unix domain socket (JDK 16+); the promise completes once the server
     * has accepted it. Everything else is as over TCP.
     *
     * @param loop the loop that will drive the connection
     * @param address the socket file to connect to
     * @return a promise of the connection; failed with the {@link IOException} the attempt met (for instance a {@link
     *     java.net.SocketException} when no server listens there); cancelling it closes the half-open channel
     * @throws IllegalStateException off the loop thread or once the loop is closed
     */
    public static Promise<Connection> connect(EventLoop loop, UnixDomainSocketAddress address) {
        Objects.requireNonNull(address, "address");
        Promise<Connection> promise = loop.newPromise("connect " + describe(address));
        SocketChannel ch = null;
        try {
            ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            ch.configureBlocking(false);
            startConnect(new Connection(loop, ch, address, describe(address), ConnectionState.CONNECTING), promise);
        } catch (IOException | RuntimeException e) {
            closeQuietly(ch);
            promise.fail(e);
        }
        return promise;
    }

    /**
     * Starts {@code conn}'s connect to its remote address; {@code promise} completes with {@code conn} once connected.
     */
    static <C extends Connection> void startConnect(C conn, Promise<C> promise) throws IOException {
        Connection c = conn;
        if (c.channel.connect(c.remoteAddress)) {
            c.transitionTo(ConnectionState.OPEN);
            promise.complete(conn);
        } else {
            @SuppressWarnings("unchecked") // the promise is only ever completed with conn itself, a C
            Promise<? super Connection> untyped = (Promise<? super Connection>) (Promise<?>) promise;
            c.connecting = untyped;
            c.registration.addInterest(SelectionKey.OP_CONNECT);
            promise.onCancel(c::abort);
        }
    }

    /** Wraps a channel accepted by a {@link Server}; {@code local} names the listening address. */
    static Connection accepted(EventLoop loop, SocketChannel ch, SocketAddress local) throws IOException {
        ch.configureBlocking(false);
        if (ch.getRemoteAddress() instanceof InetSocketAddress) {
            return TcpConnection.accepted(loop, ch);
        }
        return new Connection(loop, ch, local, describe(local) + " (accepted)", ConnectionState.OPEN);
    }

    /**
     * How a socket address is shown in descriptions and snapshots.
     *
     * @param address a TCP or Unix domain address
     * @return {@code host:port}, or {@code unix:} and the socket's path
     */
    static String describe(SocketAddress address) {
        if (address instanceof InetSocketAddress inet) {
            return inet.getHostString() + ":" + inet.getPort();
        }
        if (address instanceof UnixDomainSocketAddress unix) {
            return "unix:" + unix.getPath();
        }
        return String.valueOf(address);
    }

    /**
     * Loop thread only. Reads some bytes into {@code dst}, waiting until at least one byte or the end of stream
     * arrives. One read may be pending at a time.
     *
     * @param dst the buffer to fill from its position; must have space remaining
     * @return a promise of the number of bytes read (at least 1), or -1 at end of stream; failed with the {@link
     *     IOException} on reset or if the connection is closed; cancelling it drops the read interest
     * @throws IllegalStateException if a read is already pending, {@code dst} is full, or off the loop thread
     */
    public Promise<Integer> read(ByteBuffer dst) {
        return reader.read(dst, state.canRead());
    }

    /**
     * Loop thread only. Reads one line (asyncio's {@code readline}): the bytes up to a LF, without the LF or a CR before
     * it, decoded as UTF-8. A last line that the end of stream cuts short is returned as it is.
     *
     * @param maxBytes the longest line accepted, in bytes without the terminator
     * @return a promise of the line, or of null at a clean end of stream (nothing buffered); failed with {@link
     *     StreamLimitException} when a line exceeds {@code maxBytes}, with the {@link IOException} of a reset, or with
     *     {@link ClosedChannelException} once closed; cancelling it keeps the buffered bytes for the next read
     * @throws IllegalStateException if a read is already pending, or off the loop thread
     * @throws IllegalArgumentException if {@code maxBytes < 1}
     */
    public Promise<String> readLine(int maxBytes) {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be positive: " + maxBytes);
        }
        return reader.startStreamRead(new StreamRead.Line(reader.newPromise(), maxBytes), state.canRead());
    }

    /**
     * Loop thread only. Reads exactly {@code n} bytes (asyncio's {@code readexactly}).
     *
     * @param n how many bytes, at least 0
     * @return a promise of a new buffer holding them (position 0, limit n); failed with {@link java.io.EOFException}
     *     when the stream ends first, or as {@link #readLine(int)} fails
     * @throws IllegalStateException if a read is already pending, or off the loop thread
     * @throws IllegalArgumentException if {@code n < 0}
     */
    public Promise<ByteBuffer> readExactly(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must not be negative: " + n);
        }
        return reader.startStreamRead(new StreamRead.Exactly(reader.newPromise(), n), state.canRead());
    }

    /**
     * Loop thread only. Reads up to and including {@code delimiter} (asyncio's {@code readuntil}).
     *
     * @param delimiter the bytes that end the data, at least one
     * @param maxBytes the most bytes accepted, delimiter included
     * @return a promise of a new buffer with the data and the delimiter, or of null at a clean end of stream; failed
     *     with {@link StreamLimitException} when {@code maxBytes} pass without the delimiter, with {@link
     *     java.io.EOFException} when the stream ends after some bytes but before the delimiter, or as {@link
     *     #readLine(int)} fails
     * @throws IllegalStateException if a read is already pending, or off the loop thread
     * @throws IllegalArgumentException if the delimiter is empty or {@code maxBytes < delimiter.length}
     */
    public Promise<ByteBuffer> readUntil(byte[] delimiter, int maxBytes) {
        if (delimiter.length == 0 || maxBytes < delimiter.length) {
            throw new IllegalArgumentException("need a non-empty delimiter no longer than maxBytes");
        }
        return reader.startStreamRead(
                new StreamRead.Until(reader.newPromise(), delimiter.clone(), maxBytes), state.canRead());
    }

    /**
     * Loop thread only. Writes all of {@code src}: at once as far as the socket takes it, the rest queued and written
     * as the socket drains ({@code OP_WRITE}). Writes go out in call order.
     *
     * @param src the bytes, from position to limit; the connection takes ownership until the promise completes
     * @return a promise completed when every byte was handed to the socket; failed with {@link ClosedChannelException}
     *     after {@link #shutdownOutput()} or {@link #close()}, or with the {@link IOException} of a reset
     * @throws IllegalStateException off the loop thread
     */
    public Promise<Void> write(ByteBuffer src) {
        Promise<Void> promise = loop.newPromise(writableDescription);
        if (!state.canWrite()) {
            promise.fail(new ClosedChannelException());
            return promise;
        }
        if (outbound.isEmpty()) {
            try {
                channel.write(src);
            } catch (IOException e) {
                promise.fail(e);
                return promise;
            }
            if (!src.hasRemaining()) {
                promise.complete(null);
                return promise;
            }
        }
        OutboundBuffer.PendingWrite pending = outbound.add(src, promise);
        registration.addInterest(SelectionKey.OP_WRITE);
        promise.onCancel(() -> dropQueuedWrite(pending));
        return promise;
    }

    /**
     * Thread-safe. The loop driving this connection.
     *
     * @return the loop
     */
    public EventLoop loop() {
        return loop;
    }

    /**
     * Loop thread only. Bytes accepted by {@link #write(ByteBuffer)} and not yet handed to the socket.
     *
     * @return queued bytes
     */
    public long queuedWriteBytes() {
        loop.checkInLoop("Connection.queuedWriteBytes");
        return outbound.queuedBytes();
    }

    /**
     * Loop thread only. Whether a writer should go on writing: false from the moment more than the high watermark is
     * queued until the queue drains to the low watermark.
     *
     * @return true when below the high watermark (with the hysteresis described above)
     */
    public boolean isWritable() {
        loop.checkInLoop("Connection.isWritable");
        return outbound.isWritable();
    }

    /**
     * Loop thread only. Waits until the connection is {@linkplain #isWritable() writable} (asyncio's {@code
     * StreamWriter.drain()}).
     *
     * @return a promise completed at once when writable, else when the queue drains to the low watermark; failed with
     *     {@link ClosedChannelException} if the connection closes first
     */
    public Promise<Void> awaitWritable() {
        loop.checkInLoop("Connection.awaitWritable");
        if (!state.canWrite()) {
            return loop.newFailedPromise(new ClosedChannelException());
        }
        return outbound.awaitWritable();
    }

    /**
     * Loop thread only. Sets the watermarks.
     *
     * @param lowBytes queued bytes at or below which the connection becomes writable again
     * @param highBytes queued bytes above which it stops being writable
     * @throws IllegalArgumentException unless {@code 0 <= lowBytes <= highBytes}
     */
    public void setWriteWatermarks(long lowBytes, long highBytes) {
        loop.checkInLoop("Connection.setWriteWatermarks");
        if (lowBytes < 0 || lowBytes > highBytes) {
            throw new IllegalArgumentException("need 0 <= low <= high, got low=" + lowBytes + " high=" + highBytes);
        }
        outbound.setWatermarks(lowBytes, highBytes);
    }

    /**
     * Loop thread only. The high watermark.
     *
     * @return bytes
     */
    public long highWatermarkBytes() {
        loop.checkInLoop("Connection.highWatermarkBytes");
        return outbound.highWatermarkBytes();
    }

    /**
     * Loop thread only. The low watermark.
     *
     * @return bytes
     */
    public long lowWatermarkBytes() {
        loop.checkInLoop("Connection.lowWatermarkBytes");
        return outbound.lowWatermarkBytes();
    }

    /**
     * Loop thread only. Half-closes the connection: writes already queued still go out, then FIN is sent (asyncio's
     * {@code write_eof()}); the read side stays open. Writes after this call fail at once.
     *
     * @throws IllegalStateException off the loop thread
     */
    public void shutdownOutput() {
        loop.checkInLoop("Connection.shutdownOutput");
        if (state != ConnectionState.OPEN) {
            return; // already half-closed, closing or closed
        }
        transitionTo(ConnectionState.OUTPUT_SHUTDOWN);
        if (outbound.isEmpty()) {
            sendFin();
        } // else flushWrites() sends it once the queue drains
    }

    private void sendFin() {
        try {
            channel.shutdownOutput();
        } catch (IOException e) {
            // already closed or reset: the next read reports it
        }
    }

    /**
     * Loop thread only. Whether the connection is open.
     *
     * @return false once {@link #close()} or {@link #abort()} was called, also while queued writes still drain
     */
    public boolean isOpen() {
        loop.checkInLoop("Connection.isOpen");
        return state != ConnectionState.CLOSING && state != ConnectionState.CLOSED;
    }

    /**
     * Thread-safe. The peer's address: for a Unix domain connection the socket file connected to, or for one accepted
     * by a {@link Server} the address it listens on (the accepting side's peer has no name).
     *
     * @return the remote address
     */
    public SocketAddress remoteAddress() {
        return remoteAddress;
    }

    /**
     * Thread-safe. The peer as {@code host:port} or {@code unix:path}, as shown in snapshots.
     *
     * @return the description
     */
    public String description() {
        return remote;
    }

    /**
     * Loop thread only. The current interest ops, for tests and diagnostics.
     *
     * @return the {@link SelectionKey} interest ops, 0 once closed
     */
    public int interestOps() {
        loop.checkInLoop("Connection.interestOps");
        return registration.interestOps();
    }

    /**
     * Loop thread only. Closes the connection gracefully (asyncio's {@code transport.close()}): reading stops at once (a
     * pending read or connect fails with {@link ClosedChannelException}, later reads and writes fail the same way), the
     * queued writes are still sent, and then the channel is closed and {@link #closed()} completes. A peer that never
     * reads keeps the queue from draining: {@link #abort()} ends that, as does a server's graceful close at its
     * deadline. Closing twice does nothing.
     */
    @Override
    public void close() {
        loop.checkInLoop("Connection.close");
        if (state == ConnectionState.CLOSING || state == ConnectionState.CLOSED) {
            return;
        }
        ClosedChannelException cause = new ClosedChannelException();
        if (outbound.isEmpty()) {
            closeNow(cause);
        } else {
            transitionTo(ConnectionState.CLOSING); // flushWrites() closes once the queue drains
            reader.failPending(cause);
        }
    }

    /**
     * Loop thread only. Closes the connection at once (asyncio's {@code transport.abort()}): queued writes fail with
     * {@link ClosedChannelException} and their bytes are dropped, a pending read or connect fails the same way. Works
     * also while a {@link #close()} is draining. Aborting a closed connection does nothing.
     */
    public void abort() {
        loop.checkInLoop("Connection.abort");
        if (state != ConnectionState.CLOSED) {
            closeNow(new ClosedChannelException());
        }
    }

    /**
     * Loop thread only. A promise completed when the channel is closed, by {@link #close()} once its writes drained,
     * by {@link #abort()}, or after a failed connect.
     *
     * @return the promise; already complete once closed
     */
    public Promise<Void> closed() {
        loop.checkInLoop("Connection.closed");
        if (state == ConnectionState.CLOSED) {
            return loop.newSucceededPromise(null);
        }
        if (closedPromise == null) {
            closedPromise = loop.newPromise("closed " + remote);
        }
        return closedPromise;
    }

    private void closeNow(IOException cause) {
        transitionTo(ConnectionState.CLOSED);
        closeQuietly(channel);
        outbound.close(cause);
        reader.failPending(cause);
        if (connecting != null) {
            Promise<? super Connection> c = connecting;
            connecting = null;
            c.fail(cause);
        }
        Runnable hook = onClosed;
        onClosed = null;
        if (hook != null) {
            hook.run();
        }
        if (closedPromise != null) {
            closedPromise.complete(null);
        }
    }

    // ---- deadlines
    // ---------------------------------------------------------------------------------------------------

    /**
     * Loop thread only. Sets the write timeout: when bytes are queued (the socket took less than was written) and none
     * of them goes out for {@code timeout}, the connection is aborted: closed with a reset, so the kernel drops its
     * send buffer too, and every pending operation fails with {@link WriteTimeoutException}. Progress, not completion,
     * is timed: a slow reader that keeps reading is never cut. The clock starts when a write is queued (hyper's and
     * Go's write deadlines, Netty's {@code WriteTimeoutHandler}).
     *
     * @param timeout the longest time without write progress, on the loop's clock; zero turns it off (the default)
     * @throws IllegalArgumentException if {@code timeout} is negative
     * @throws IllegalStateException off the loop thread
     */
    public void setWriteTimeout(Duration timeout) {
        loop.checkInLoop("Connection.setWriteTimeout");
        outbound.setTimeout(checkTimeout(timeout));
    }

    /**
     * Loop thread only. Sets the read timeout: a {@link #read(ByteBuffer)}, {@link #readLine(int)}, {@link
     * #readExactly(int)} or {@link #readUntil(byte[], int)} that waits and gets no byte for {@code timeout} fails with
     * {@link ReadTimeoutException}; the connection stays open. It is a per-read idle timeout (a
     * blocking socket's {@code SO_TIMEOUT}), so a slow upload that keeps sending is never cut. It applies to reads that
     * start waiting after the call.
     *
     * @param timeout the longest wait for a byte, on the loop's clock; zero turns it off (the default)
     * @throws IllegalArgumentException if {@code timeout} is negative
     * @throws IllegalStateException off the loop thread
     */
    public void setReadTimeout(Duration timeout) {
        loop.checkInLoop("Connection.setReadTimeout");
        reader.setTimeout(checkTimeout(timeout));
    }

    private static long checkTimeout(Duration timeout) {
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must be >= 0, got " + timeout);
        }
        return timeout.toNanos();
    }

    /**
     * Closes the connection with a reset ({@code SO_LINGER} 0: the kernel drops unsent bytes) and fails every pending
     * operation with {@code cause}. Closing twice does nothing.
     */
    private void abortWith(IOException cause) {
        if (state == ConnectionState.CLOSED) {
            return;
        }
        try {
            channel.setOption(StandardSocketOptions.SO_LINGER, 0);
        } catch (IOException | RuntimeException e) {
            // already closed or reset: closing below is all that is left
        }
        closeNow(cause);
    }

    /**
     * Loop thread only. Where the connection is in its life, for tests and diagnostics.
     *
     * @return the state
     */
    ConnectionState state() {
        return state;
    }

    /**
     * The one place the connection's state changes.
     *
     * @param next the new state
     * @throws IllegalStateException when {@link ConnectionState#canMoveTo} does not allow the change; the message
     *     names both states and the peer
     */
    void transitionTo(ConnectionState next) {
        if (!state.canMoveTo(next)) {
            throw new IllegalStateException("illegal connection transition " + state + " → " + next + " for " + remote);
        }
        state = next;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + remote + (state == ConnectionState.CLOSED ? ", closed]" : "]");
    }

    private void onReady(int readyOps) {
        if ((readyOps & SelectionKey.OP_CONNECT) != 0) {
            finishConnect();
        }
        if ((readyOps & SelectionKey.OP_WRITE) != 0 && state != ConnectionState.CLOSED) {
            flushWrites();
        }
        if ((readyOps & SelectionKey.OP_READ) != 0 && state != ConnectionState.CLOSED) {
            reader.onReadable();
        }
    }

    private void finishConnect() {
        Promise<? super Connection> promise = connecting;
        registration.removeInterest(SelectionKey.OP_CONNECT);
        connecting = null;
        if (promise == null) {
            return;
        }
        try {
            channel.finishConnect();
            transitionTo(ConnectionState.OPEN);
            promise.complete(this);
        } catch (IOException e) {
            abort();
            promise.fail(e);
        }
    }

    private void flushWrites() {
        try {
            if (!outbound.flushTo(channel) || state == ConnectionState.CLOSED) {
                return; // the socket is full: OP_WRITE stays set
            }
            registration.removeInterest(SelectionKey.OP_WRITE);
            if (state == ConnectionState.CLOSING) {
                closeNow(new ClosedChannelException()); // the graceful close asked for while writes were queued
            } else if (state == ConnectionState.OUTPUT_SHUTDOWN) {
                sendFin(); // the half-close asked for while writes were queued
            }
        } catch (IOException e) {
            outbound.failAll(e);
            registration.removeInterest(SelectionKey.OP_WRITE);
            if (state == ConnectionState.CLOSING) {
                closeNow(e);
            }
        } finally {
            if (state != ConnectionState.CLOSED) {
                outbound.updateWritability(); // last: a writer woken here may queue again and set OP_WRITE
            }
        }
    }

    private void dropQueuedWrite(OutboundBuffer.PendingWrite pending) {
        if (outbound.removeUntouched(pending) && outbound.isEmpty()) {
            registration.removeInterest(SelectionKey.OP_WRITE);
            if (state == ConnectionState.CLOSING) {
                closeNow(new ClosedChannelException());
            }
        }
    }

    static void closeQuietly(SocketChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // nothing left to do with a channel that fails to close
            }
        }
    }
}

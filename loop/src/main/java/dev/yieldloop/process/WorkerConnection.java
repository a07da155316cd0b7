package dev.yieldloop.process;

import dev.yieldloop.Promise;
import dev.yieldloop.net.Connection;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * The pool's framing over one worker's {@link Connection} (a Unix domain socket): cuts incoming bytes into messages for
 * the pool with a {@link FrameDecoder}, and sends frames through the connection's outbound buffer. A read is pending
 * for the connection's whole life: the pool always wants to hear a result or an end of stream, which is how a crash
 * shows up first.
 *
 * <p>Threading: loop thread only.
 */
final class WorkerConnection {

    /** What the pool hears from a connection. */
    interface Listener {
        /** A whole message arrived. */
        void onMessage(WorkerConnection connection, Wire.Message message);

        /** End of stream, a read or write error, or a protocol error: the connection is closed already. */
        void onBroken(WorkerConnection connection, String reason);
    }

    /** At most this many bytes are read before the reader yields to the loop, so one big result cannot hold it long. */
    private static final int MAX_BYTES_PER_TURN = 1 << 20;

    private final Connection connection;
    private final FrameDecoder decoder;
    private final Listener listener;
    private final ByteBuffer in = ByteBuffer.allocate(64 * 1024);
    private final Promise<Void> ended;
    private boolean closed;

    /** The worker this connection belongs to: null until its HELLO was accepted. */
    Worker worker;

    /**
     * Wraps {@code connection}; {@link #start()} begins reading.
     *
     * @param connection a connection accepted on the pool's socket
     * @param frameCapBytes the largest frame body accepted, in bytes
     * @param listener told of each message and of the end
     */
    WorkerConnection(Connection connection, int frameCapBytes, Listener listener) {
        this.connection = connection;
        this.decoder = new FrameDecoder(frameCapBytes);
        this.listener = listener;
        this.ended = connection.loop().newPromise("end of " + connection.description());
    }

    /** Starts reading: messages may reach the listener before this returns. */
    void start() {
        readMore();
    }

    /** Reads and decodes while bytes are there, up to {@link #MAX_BYTES_PER_TURN}; then waits for the next read. */
    private void readMore() {
        int total = 0;
        while (!closed) {
            if (total >= MAX_BYTES_PER_TURN) {
                connection.loop().scheduleAfter(0, TimeUnit.NANOSECONDS, this::readMore);
                return;
            }
            in.clear();
            Promise<Integer> read = connection.read(in);
            if (!read.isDone()) {
                read.onComplete(done -> {
                    if (onRead(done) > 0) {
                        readMore();
                    }
                });
                return;
            }
            int n = onRead(read);
            if (n <= 0) {
                return;
            }
            total += n;
        }
    }

    /** Handles one finished read; returns the bytes it brought, or 0 when the connection is done. */
    private int onRead(Promise<Integer> read) {
        if (closed) {
            return 0;
        }
        if (!read.isSucceeded()) {
            broken("read failed: " + read.failure());
            return 0;
        }
        int n = read.result();
        if (n < 0) {
            broken(decoder.inFrame() ? "connection closed mid-frame (truncated frame)" : "connection closed");
            return 0;
        }
        in.flip();
        try {
            byte[] body;
            while (!closed && (body = decoder.next(in)) != null) {
                listener.onMessage(this, Wire.parse(body));
            }
        } catch (ProtocolException e) {
            broken("protocol error: " + e.getMessage());
            return 0;
        }
        return closed ? 0 : n;
    }

    /**
     * A promise completed once this connection is closed, by its end of stream, an error or {@link #close()}: after
     * a worker's process exits, the pool waits for it, so that a last answer or a truncated frame is seen before the
     * exit is judged.
     *
     * @return the promise
     */
    Promise<Void> ended() {
        return ended;
    }

    /** Queues a frame on the connection; a failed write breaks the connection. */
    void send(ByteBuffer frame) {
        if (closed) {
            return;
        }
        connection.write(frame).onComplete(done -> {
            if (done.isFailed()) {
                broken("write failed: " + done.failure());
            }
        });
    }

    /** Closes the connection, tells the listener why, then completes {@link #ended()}; only the first time. */
    private void broken(String reason) {
        if (!closed) {
            closed = true;
            connection.abort();
            listener.onBroken(this, reason);
            ended.complete(null);
        }
    }

    /** Closes the connection at once (queued frames are dropped); idempotent. */
    void close() {
        if (!closed) {
            closed = true;
            connection.abort();
            ended.complete(null);
        }
    }
}

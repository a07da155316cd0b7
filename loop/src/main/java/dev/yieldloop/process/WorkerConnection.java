package dev.yieldloop.process;

import dev.yieldloop.internal.IoHandler;
import dev.yieldloop.internal.IoRegistration;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;

/**
 * The loop's end of one worker's Unix domain socket: cuts incoming bytes into messages for the pool, and queues
 * outgoing frames with {@code OP_WRITE} set only while a partial write waits (the loop's interest rule). {@code
 * OP_READ} stays set for the connection's whole life: the pool always wants to hear a result or an EOF, which is how
 * a crash shows up first.
 *
 * <p>Threading: loop thread only (it is an {@link IoHandler} of the pool's loop).
 */
final class WorkerConnection implements IoHandler {

    /** What the pool hears from a connection. */
    interface Listener {
        /** A whole message arrived. */
        void onMessage(WorkerConnection connection, Wire.Message message);

        /** EOF, a read or write error, or a protocol error: the connection is closed already. */
        void onBroken(WorkerConnection connection, String reason);
    }

    /** At most this many bytes are read per readiness event, so one big result cannot hold the loop for long. */
    private static final int MAX_BYTES_PER_EVENT = 1 << 20;

    private final SocketChannel channel;
    private final FrameDecoder decoder;
    private final Listener listener;
    private final ByteBuffer in = ByteBuffer.allocate(64 * 1024);
    private final ArrayDeque<ByteBuffer> out = new ArrayDeque<>();
    private IoRegistration registration;
    private boolean closed;

    /** The worker this connection belongs to: null until its HELLO was accepted. */
    Worker worker;

    WorkerConnection(SocketChannel channel, int frameCapBytes, Listener listener) {
        this.channel = channel;
        this.decoder = new FrameDecoder(frameCapBytes);
        this.listener = listener;
    }

    void attach(IoRegistration registration) {
        this.registration = registration;
        registration.addInterest(SelectionKey.OP_READ);
    }

    @Override
    public void onReady(int readyOps) {
        if ((readyOps & SelectionKey.OP_WRITE) != 0) {
            flush();
        }
        if (!closed && (readyOps & SelectionKey.OP_READ) != 0) {
            readAvailable();
        }
    }

    /**
     * Reads what the socket still holds, to its end: called when the worker's process has exited, so that a last
     * answer or a truncated frame is seen before the exit is handled, whichever event the loop noticed first.
     */
    void drainToEnd() {
        for (int rounds = 0; !closed && rounds < 1024; rounds++) {
            if (readAvailable() == 0 && !closed) {
                broken(decoder.inFrame() ? "connection closed mid-frame (truncated frame)" : "connection closed");
            }
        }
    }

    /** Reads up to {@link #MAX_BYTES_PER_EVENT} bytes; returns how many it read. */
    private int readAvailable() {
        int total = 0;
        try {
            while (!closed && total < MAX_BYTES_PER_EVENT) {
                in.clear();
                int n = channel.read(in);
                if (n < 0) {
                    broken(decoder.inFrame() ? "connection closed mid-frame (truncated frame)" : "connection closed");
                    return total;
                }
                if (n == 0) {
                    return total;
                }
                total += n;
                in.flip();
                byte[] body;
                while (!closed && (body = decoder.next(in)) != null) {
                    listener.onMessage(this, Wire.parse(body));
                }
            }
        } catch (ProtocolException e) {
            broken("protocol error: " + e.getMessage());
        } catch (IOException e) {
            broken("read failed: " + e);
        }
        return total;
    }

    /** Queues a frame and writes what the socket takes now. */
    void send(ByteBuffer frame) {
        if (closed) {
            return;
        }
        out.add(frame);
        flush();
    }

    private void flush() {
        try {
            while (!out.isEmpty()) {
                ByteBuffer head = out.peek();
                channel.write(head);
                if (head.hasRemaining()) {
                    registration.addInterest(SelectionKey.OP_WRITE);
                    return;
                }
                out.poll();
            }
            registration.removeInterest(SelectionKey.OP_WRITE);
        } catch (IOException e) {
            broken("write failed: " + e);
        }
    }

    private void broken(String reason) {
        if (!closed) {
            close();
            listener.onBroken(this, reason);
        }
    }

    /** Closes the socket and drops its registration; idempotent. */
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        out.clear();
        if (registration != null) {
            registration.cancel();
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing a Unix domain socket cannot usefully fail; the fd is released either way
        }
    }

    boolean isClosed() {
        return closed;
    }
}

package dev.yieldloop.net;

import dev.yieldloop.EventLoop;
import dev.yieldloop.Promise;
import dev.yieldloop.Timer;
import dev.yieldloop.internal.IoRegistration;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SelectionKey;
import java.util.concurrent.TimeUnit;

/**
 * A {@link Connection}'s read half: the one pending read (into the caller's buffer, or a {@link StreamRead} served from
 * the {@link InboundBuffer}, asyncio's {@code StreamReader}), the end of stream once seen, {@code OP_READ} set only
 * while a read waits, and the read deadline, a per-read idle timeout (a blocking socket's {@code SO_TIMEOUT}).
 *
 * <p>It does not know the connection's state: the connection tells it whether reads may start, and fails the pending
 * read when it closes.
 *
 * <p>Threading: loop thread only.
 */
final class InboundReader {

    private final EventLoop loop;
    private final ReadableByteChannel channel;
    private final IoRegistration registration;
    private final String remote;
    private final String description;
    private final InboundBuffer inbound = new InboundBuffer();

    private Promise<Integer> pendingRead;
    private ByteBuffer readBuffer;
    private StreamRead<?> streamRead;
    private boolean eof;
    // The read deadline; 0 = off, in nanoseconds on the loop's clock.
    private long timeoutNanos;
    private Timer timer;

    /**
     * A reader with nothing pending.
     *
     * @param channel the connection's channel
     * @param registration its registration, for {@code OP_READ} and the loop's shared read buffer
     * @param remote the peer, for descriptions and messages
     */
    InboundReader(EventLoop loop, ReadableByteChannel channel, IoRegistration registration, String remote) {
        this.loop = loop;
        this.channel = channel;
        this.registration = registration;
        this.remote = remote;
        this.description = "readable " + remote;
    }

    /** A new promise for a read, described as the readiness it waits for. */
    <R> Promise<R> newPromise() {
        return loop.newPromise(description);
    }

    /**
     * {@link Connection#read(ByteBuffer)}: buffered bytes first, then the channel, then waiting.
     *
     * @param open whether the connection lets reads start; if not, the promise fails with {@link
     *     ClosedChannelException}
     */
    Promise<Integer> read(ByteBuffer dst, boolean open) {
        Promise<Integer> promise = newPromise();
        checkNoPendingRead();
        if (!dst.hasRemaining()) {
            throw new IllegalStateException("read buffer has no space remaining");
        }
        if (!open) {
            promise.fail(new ClosedChannelException());
            return promise;
        }
        if (!inbound.isEmpty()) {
            promise.complete(inbound.takeInto(dst)); // bytes a stream read left behind come first
            return promise;
        }
        if (eof) {
            promise.complete(-1);
            return promise;
        }
        try {
            int n = channel.read(dst);
            if (n < 0) {
                eof = true;
            }
            if (n != 0) {
                promise.complete(n);
                return promise;
            }
        } catch (IOException e) {
            promise.fail(e);
            return promise;
        }
        pendingRead = promise;
        readBuffer = dst;
        registration.addInterest(SelectionKey.OP_READ);
        promise.onCancel(this::dropPendingRead);
        armTimer();
        return promise;
    }

    /**
     * Starts a stream read: completes it from the buffered bytes if it can, else waits for more.
     *
     * @param open whether the connection lets reads start; if not, the promise fails with {@link
     *     ClosedChannelException}
     */
    <R> Promise<R> startStreamRead(StreamRead<R> request, boolean open) {
        checkNoPendingRead();
        if (!open) {
            request.promise.fail(new ClosedChannelException());
            return request.promise;
        }
        if (request.tryComplete(inbound, eof)) {
            return request.promise;
        }
        streamRead = request;
        registration.addInterest(SelectionKey.OP_READ);
        request.promise.onCancel(this::dropStreamRead);
        armTimer();
        return request.promise;
    }

    private void checkNoPendingRead() {
        loop.checkInLoop("Connection read");
        if (pendingRead != null || streamRead != null) {
            throw new IllegalStateException("a read is already pending on " + remote);
        }
    }

    /** The channel is readable ({@code OP_READ}): serves the pending read. */
    void onReadable() {
        if (streamRead != null) {
            continueStreamRead();
        } else {
            completeRead();
        }
    }

    /** Fails the pending read, if any, with {@code cause}, and stops its clock. */
    void failPending(IOException cause) {
        if (pendingRead != null) {
            Promise<Integer> read = pendingRead;
            dropPendingRead();
            read.fail(cause);
        }
        if (streamRead != null) {
            StreamRead<?> read = streamRead;
            dropStreamRead();
            read.promise.fail(cause);
        }
    }

    /** Sets the read timeout in nanoseconds (0 = off), for reads that start waiting from now on. */
    void setTimeout(long nanos) {
        timeoutNanos = nanos;
    }

    private void armTimer() {
        if (timeoutNanos > 0) {
            timer = loop.scheduleAfter(timeoutNanos, TimeUnit.NANOSECONDS, this::onTimeout);
        }
    }

    private void disarmTimer() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }

    private void onTimeout() {
        timer = null;
        failPending(new ReadTimeoutException(
                remote + ": no byte arrived within " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms"));
    }

    private void completeRead() {
        Promise<Integer> promise = pendingRead;
        if (promise == null) {
            registration.removeInterest(SelectionKey.OP_READ);
            return;
        }
        int n;
        try {
            n = channel.read(readBuffer);
        } catch (IOException e) {
            dropPendingRead();
            promise.fail(e);
            return;
        }
        if (n == 0) {
            return; // spurious wake-up: keep waiting
        }
        if (n < 0) {
            eof = true;
        }
        dropPendingRead();
        promise.complete(n);
    }

    private void dropPendingRead() {
        disarmTimer();
        pendingRead = null;
        readBuffer = null;
        registration.removeInterest(SelectionKey.OP_READ);
    }

    /** One read into the loop's shared buffer, keeping only what the pending stream read has not taken. */
    private void continueStreamRead() {
        StreamRead<?> request = streamRead;
        ByteBuffer shared = registration.sharedReadBuffer();
        shared.clear();
        int n;
        try {
            n = channel.read(shared);
        } catch (IOException e) {
            dropStreamRead();
            request.promise.fail(e);
            return;
        }
        if (n == 0) {
            return; // spurious wake-up: keep waiting
        }
        if (n < 0) {
            eof = true;
        } else {
            shared.flip();
            inbound.append(shared);
        }
        if (request.tryComplete(inbound, eof)) {
            if (streamRead == request) {
                dropStreamRead();
            }
        } else if (timer != null) {
            disarmTimer(); // bytes arrived: the idle clock starts again
            armTimer();
        }
    }

    private void dropStreamRead() {
        disarmTimer();
        streamRead = null;
        registration.removeInterest(SelectionKey.OP_READ);
    }
}

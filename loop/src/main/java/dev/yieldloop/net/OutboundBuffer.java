package dev.yieldloop.net;

import dev.yieldloop.EventLoop;
import dev.yieldloop.Promise;
import dev.yieldloop.Timer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A {@link Connection}'s outbound buffer (Netty's {@code ChannelOutboundBuffer}): the writes the socket has not taken
 * yet, in call order, with the byte count that drives the high/low watermarks (Netty's {@code WriteBufferWaterMark},
 * asyncio's {@code set_write_buffer_limits} and {@code drain()}), and the write deadline that times the queue's
 * progress (Netty's {@code WriteTimeoutHandler}).
 *
 * <p>It never touches interest ops or the connection's state: the connection sets {@code OP_WRITE} while this buffer
 * is not empty and decides what an empty buffer means (a pending close or half-close).
 *
 * <p>Threading: loop thread only.
 */
final class OutboundBuffer {

    private final EventLoop loop;
    private final String description;
    private final Consumer<WriteTimeoutException> onStall;
    private final ArrayDeque<PendingWrite> writes = new ArrayDeque<>();
    private long queuedBytes;

    private long highWatermarkBytes = Connection.DEFAULT_HIGH_WATERMARK_BYTES;
    private long lowWatermarkBytes = Connection.DEFAULT_LOW_WATERMARK_BYTES;
    private boolean writable = true;
    private Promise<Void> writability;

    // The write deadline; 0 = off. Times are on the loop's clock, in nanoseconds.
    private long timeoutNanos;
    private long lastProgressNanos;
    private Timer timer;

    /**
     * An empty buffer.
     *
     * @param loop the connection's loop, for promises and the deadline's clock
     * @param description the peer, for promise descriptions and the deadline's message
     * @param onStall called when queued bytes made no progress for the write timeout
     */
    OutboundBuffer(EventLoop loop, String description, Consumer<WriteTimeoutException> onStall) {
        this.loop = loop;
        this.description = description;
        this.onStall = onStall;
    }

    /** A write the socket has not fully taken; {@code length} is its size when queued, in bytes. */
    record PendingWrite(ByteBuffer buffer, Promise<Void> promise, int length) {}

    boolean isEmpty() {
        return writes.isEmpty();
    }

    /** Bytes queued and not yet handed to the socket. */
    long queuedBytes() {
        return queuedBytes;
    }

    /** Queues what is left of {@code src} after the socket took what it could; starts the deadline's clock. */
    PendingWrite add(ByteBuffer src, Promise<Void> promise) {
        PendingWrite pending = new PendingWrite(src, promise, src.remaining());
        writes.add(pending);
        armTimer();
        queuedBytes += src.remaining();
        updateWritability();
        return pending;
    }

    /**
     * Writes queued bytes until the socket is full or the queue is empty, completing each fully written write's
     * promise (its listeners run here and may write or close). It leaves writability alone: the caller first sets its
     * interest ops for what is left, then calls {@link #updateWritability()}, whose waiters may write again at once.
     *
     * @return true when the queue is empty
     * @throws IOException from the channel; the write that met it stays queued
     */
    boolean flushTo(WritableByteChannel channel) throws IOException {
        while (!writes.isEmpty()) {
            PendingWrite head = writes.peek();
            int before = head.buffer.remaining();
            channel.write(head.buffer);
            int written = before - head.buffer.remaining();
            if (written > 0 && timeoutNanos > 0) {
                lastProgressNanos = loop.nanoTime();
            }
            queuedBytes -= written;
            if (head.buffer.hasRemaining()) {
                return false; // the socket is full
            }
            writes.poll();
            head.promise.complete(null);
        }
        return true;
    }

    /**
     * Removes a cancelled write if none of its bytes went out yet; a write already partly sent stays queued, since
     * dropping its tail would corrupt the byte stream.
     *
     * @return true when it was removed
     */
    boolean removeUntouched(PendingWrite pending) {
        if (pending.buffer.remaining() == pending.length && writes.remove(pending)) {
            queuedBytes -= pending.length;
            updateWritability();
            return true;
        }
        return false;
    }

    /** Fails every queued write with {@code cause}; the caller then calls {@link #updateWritability()}. */
    void failAll(IOException cause) {
        failWrites(cause);
    }

    /** The connection closed: fails the queued writes, then a writability waiter, with {@code cause}; stops the clock. */
    void close(IOException cause) {
        cancelTimer();
        failWrites(cause);
        Promise<Void> waiting = writability;
        writability = null;
        if (waiting != null) {
            waiting.fail(cause);
        }
    }

    private void failWrites(IOException cause) {
        while (!writes.isEmpty()) {
            writes.poll().promise.fail(cause);
        }
        queuedBytes = 0;
    }

    /** Whether fewer bytes are queued than the high watermark, with hysteresis down to the low one. */
    boolean isWritable() {
        return writable;
    }

    /** A promise completed once writable: at once when writable, else when the queue drains to the low watermark. */
    Promise<Void> awaitWritable() {
        if (writable) {
            return loop.newSucceededPromise(null);
        }
        if (writability == null || writability.isDone()) { // a cancelled waiter may have cancelled the last one
            writability = loop.newPromise("writable " + description);
        }
        return writability;
    }

    /** Sets the watermarks, in bytes; the caller checked {@code 0 <= low <= high}. */
    void setWatermarks(long lowBytes, long highBytes) {
        this.lowWatermarkBytes = lowBytes;
        this.highWatermarkBytes = highBytes;
        updateWritability();
    }

    long highWatermarkBytes() {
        return highWatermarkBytes;
    }

    long lowWatermarkBytes() {
        return lowWatermarkBytes;
    }

    /**
     * Turns unwritable above the high watermark, and writable again at or below the low one, completing the
     * writability waiter then (its listeners run here and may write).
     */
    void updateWritability() {
        if (writable && queuedBytes > highWatermarkBytes) {
            writable = false;
        } else if (!writable && queuedBytes <= lowWatermarkBytes) {
            writable = true;
            Promise<Void> waiting = writability;
            writability = null;
            if (waiting != null) {
                waiting.complete(null);
            }
        }
    }

    /** Sets the write timeout in nanoseconds (0 = off); with bytes queued, the clock starts now. */
    void setTimeout(long nanos) {
        timeoutNanos = nanos;
        if (!writes.isEmpty()) {
            lastProgressNanos = loop.nanoTime();
            armTimer();
        }
    }

    /** Called after a write was queued: starts the no-progress clock if the queue was empty, arms the timer. */
    private void armTimer() {
        if (timeoutNanos <= 0) {
            return;
        }
        if (writes.size() == 1) {
            lastProgressNanos = loop.nanoTime();
        }
        if (timer == null) {
            timer = loop.scheduleAt(lastProgressNanos + timeoutNanos, this::onTimer);
        }
    }

    /** One timer per connection, re-armed from the last progress: progress itself costs a clock read, no timer. */
    private void onTimer() {
        timer = null;
        if (writes.isEmpty() || timeoutNanos <= 0) {
            return;
        }
        long stalledNanos = loop.nanoTime() - lastProgressNanos;
        if (stalledNanos >= timeoutNanos) {
            onStall.accept(new WriteTimeoutException(
                    description + ": " + queuedBytes + " queued bytes made no progress for "
                            + TimeUnit.NANOSECONDS.toMillis(stalledNanos) + " ms",
                    stalledNanos));
            return;
        }
        timer = loop.scheduleAt(lastProgressNanos + timeoutNanos, this::onTimer);
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }
}

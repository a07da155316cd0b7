package dev.yieldloop.internal;

import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.util.function.Supplier;

/**
 * A channel registered with a loop's selector, with the interest ops its owner sets (asyncio's {@code add_reader} /
 * {@code add_writer}, libuv's {@code uv_poll_t}). Obtained from {@link LoopInternals#register}.
 *
 * <p>The interest rule: set an interest op only while someone waits for that readiness, and clear it when they stop,
 * so that an idle channel never wakes the selector.
 *
 * <p>Threading: loop thread only.
 */
public final class IoRegistration {

    /** The size of the loop's shared read buffer ({@link #sharedReadBuffer()}), in bytes. */
    public static final int SHARED_READ_BUFFER_BYTES = 64 * 1024;

    private final LoopThread loopThread;
    private final SelectionKey key;
    private final IoHandler handler;
    private final String description;
    private final Supplier<ByteBuffer> sharedReadBuffer;

    /**
     * Loop thread only. Called by the loop once it registered the channel; the key's attachment is this registration.
     *
     * @param loopThread the loop's confinement guard
     * @param key the channel's selection key
     * @param handler called in phase 3 when the channel is ready
     * @param description what the channel is, for snapshots and error reports
     * @param sharedReadBuffer the loop's shared read buffer of {@value #SHARED_READ_BUFFER_BYTES} bytes, allocated
     *     on first use
     */
    public IoRegistration(
            LoopThread loopThread,
            SelectionKey key,
            IoHandler handler,
            String description,
            Supplier<ByteBuffer> sharedReadBuffer) {
        this.loopThread = loopThread;
        this.key = key;
        this.handler = handler;
        this.description = description;
        this.sharedReadBuffer = sharedReadBuffer;
    }

    /**
     * Loop thread only. The loop's one read buffer, shared by every channel of the loop: read into it, take or copy out
     * what must outlive the read, and leave nothing in it across an await. Keeping a read buffer per loop instead of
     * per connection is what lets an idle connection hold no buffer (Netty's pooled allocator and nginx do the same).
     *
     * @return a direct buffer of {@value #SHARED_READ_BUFFER_BYTES} bytes, contents undefined, cleared by the caller
     *     before use
     * @throws IllegalStateException off the loop thread
     */
    public ByteBuffer sharedReadBuffer() {
        loopThread.check("IoRegistration.sharedReadBuffer");
        return sharedReadBuffer.get();
    }

    /**
     * Loop thread only. The registered channel.
     *
     * @return the channel
     */
    public SelectableChannel channel() {
        return key.channel();
    }

    /**
     * Thread-safe. What the channel is, as shown in snapshots (e.g. {@code 127.0.0.1:41234}).
     *
     * @return the description given at registration
     */
    public String description() {
        return description;
    }

    /**
     * Loop thread only. The current interest ops.
     *
     * @return the {@link SelectionKey} ops, 0 once cancelled
     */
    public int interestOps() {
        loopThread.check("IoRegistration.interestOps");
        return key.isValid() ? key.interestOps() : 0;
    }

    /**
     * Loop thread only. Adds {@code ops} to the interest set. Does nothing once cancelled or closed.
     *
     * @param ops {@link SelectionKey} ops valid for the channel
     */
    public void addInterest(int ops) {
        loopThread.check("IoRegistration.addInterest");
        if (key.isValid()) {
            int current = key.interestOps();
            if ((current | ops) != current) {
                key.interestOps(current | ops);
            }
        }
    }

    /**
     * Loop thread only. Removes {@code ops} from the interest set. Does nothing once cancelled or closed.
     *
     * @param ops {@link SelectionKey} ops
     */
    public void removeInterest(int ops) {
        loopThread.check("IoRegistration.removeInterest");
        if (key.isValid()) {
            int current = key.interestOps();
            if ((current & ~ops) != current) {
                key.interestOps(current & ~ops);
            }
        }
    }

    /**
     * Loop thread only. Whether the registration is still active.
     *
     * @return false once cancelled or once the channel is closed
     */
    public boolean isValid() {
        loopThread.check("IoRegistration.isValid");
        return key.isValid();
    }

    /**
     * Loop thread only. Deregisters the channel from the selector; the channel itself stays open.
     */
    public void cancel() {
        loopThread.check("IoRegistration.cancel");
        key.cancel();
    }

    /**
     * Loop thread only. Called by the loop in phase 3 when the channel is ready: runs the handler.
     *
     * @param readyOps the {@link SelectionKey} ops found ready
     * @throws Exception whatever the handler threw; the loop reports it
     */
    public void dispatch(int readyOps) throws Exception {
        handler.onReady(readyOps);
    }

    @Override
    public String toString() {
        return description;
    }
}

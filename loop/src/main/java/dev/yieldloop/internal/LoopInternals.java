package dev.yieldloop.internal;

import dev.yieldloop.EventLoop;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.util.Objects;

/**
 * The bridge from the module's own packages ({@code dev.yieldloop.net}, {@code dev.yieldloop.process}) to what the
 * event loop keeps off its public API: registering a channel with the loop's selector. The loop grants the access once,
 * from its static initializer, so the loop's engine stays private and this package reaches only what is granted (the
 * JDK's {@code SharedSecrets} / {@code JavaLangAccess} pattern).
 *
 * <p>This package is not exported by the module: code outside {@code dev.yieldloop} cannot call it.
 */
public final class LoopInternals {

    /** What the event loop grants this package. Implemented by the loop, set once through {@link #grant(Access)}. */
    @FunctionalInterface
    public interface Access {

        /**
         * Loop thread only. Registers a channel with the loop's selector, with no interest ops yet.
         *
         * @param loop the loop
         * @param channel a channel in non-blocking mode
         * @param description what the channel is, for snapshots and error reports
         * @param handler called in phase 3 when the channel is ready
         * @return the registration
         * @throws ClosedChannelException if the channel is closed
         */
        IoRegistration register(EventLoop loop, SelectableChannel channel, String description, IoHandler handler)
                throws ClosedChannelException;
    }

    private static volatile Access access;

    private LoopInternals() {}

    /**
     * Called once, by the event loop's static initializer. Any event loop instance exists only after that, so every
     * caller of {@link #register} finds the access set.
     *
     * @param granted the loop's implementation
     * @throws IllegalStateException if the access was granted before
     */
    public static synchronized void grant(Access granted) {
        if (access != null) {
            throw new IllegalStateException("loop internals already granted");
        }
        access = Objects.requireNonNull(granted, "granted");
    }

    /**
     * Loop thread only. Registers a non-blocking channel with {@code loop}'s selector, with no interest ops yet; the
     * caller adds them through the returned registration while it waits for readiness (asyncio's {@code add_reader}).
     *
     * @param loop the loop whose selector the channel joins
     * @param channel a channel in non-blocking mode
     * @param description what the channel is, for snapshots and error reports (e.g. its remote address)
     * @param handler called in phase 3 of the iteration when the channel is ready
     * @return the registration
     * @throws IllegalStateException off the loop thread, once the loop is closed, or if the channel is blocking
     * @throws ClosedChannelException if the channel is closed
     */
    public static IoRegistration register(
            EventLoop loop, SelectableChannel channel, String description, IoHandler handler)
            throws ClosedChannelException {
        Objects.requireNonNull(loop, "loop");
        return access.register(loop, channel, description, handler);
    }
}

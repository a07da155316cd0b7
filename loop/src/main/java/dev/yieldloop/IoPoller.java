package dev.yieldloop;

import dev.yieldloop.internal.IoHandler;
import dev.yieldloop.internal.IoRegistration;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Iterator;
import java.util.Set;

/**
 * The loop's selector and what hangs on it: channel registration, phase 2 (select, the only place the loop blocks) and
 * phase 3 (dispatching ready keys to their {@link IoHandler}s), the inbox whose wake-up protocol wraps the blocking
 * select, and the read buffer every channel of the loop shares (libuv's {@code uv__io_poll}, Netty's {@code
 * NioIoHandler}).
 *
 * <p>Threading: loop thread only, except {@link #inbox} (whose offer and wake-up are thread-safe) and {@link
 * #channelCount()} once the loop is closed.
 */
final class IoPoller {

    private final LoopCore core;
    private final Selector selector;
    /** The inbox other threads write to; its wake-up protocol needs this selector. */
    final Inbox inbox;

    private ByteBuffer sharedReadBuffer;
    private long interruptsCleared;

    /**
     * Opens the selector.
     *
     * @throws UncheckedIOException if the selector cannot be opened
     */
    IoPoller(LoopCore core) {
        this.core = core;
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open selector", e);
        }
        this.inbox = new Inbox(selector);
    }

    /** Registers a non-blocking channel with no interest ops yet; see {@code LoopInternals.register}. */
    IoRegistration register(SelectableChannel channel, String description, IoHandler handler)
            throws ClosedChannelException {
        core.thread.check("register");
        core.checkOpen("register");
        if (channel.isBlocking()) {
            throw new IllegalStateException("register: channel must be in non-blocking mode");
        }
        SelectionKey key = channel.register(selector, 0);
        IoRegistration registration =
                new IoRegistration(core.thread, key, handler, description, this::sharedReadBuffer);
        key.attach(registration);
        return registration;
    }

    /** The read buffer every channel of this loop shares, allocated on first use. */
    private ByteBuffer sharedReadBuffer() {
        if (sharedReadBuffer == null) {
            sharedReadBuffer = ByteBuffer.allocateDirect(IoRegistration.SHARED_READ_BUFFER_BYTES);
        }
        return sharedReadBuffer;
    }

    /** Phase 2: the only place the loop blocks; 0 polls, a negative timeout waits until woken. */
    void select(long timeoutNanos) {
        try {
            if (timeoutNanos == 0 || !inbox.prepareToSleep()) {
                selector.selectNow();
            } else {
                try {
                    if (timeoutNanos < 0) {
                        selector.select();
                    } else {
                        // Round up: select(0) means "forever", so a sub-millisecond wait must become 1 ms, not 0.
                        selector.select(Math.max(1, (timeoutNanos + 999_999) / 1_000_000));
                    }
                } finally {
                    inbox.awake();
                }
            }
        } catch (IOException e) {
            core.failures.report("select", null, e);
        }
        if (Thread.interrupted()) {
            // An interrupt makes every later select return at once: clear it so the loop cannot spin (Netty #2426).
            if (interruptsCleared++ == 0) {
                LoopLog.log(
                        FailureReporter.LOG,
                        System.Logger.Level.WARNING,
                        "event loop thread was interrupted; interrupt cleared",
                        null);
            }
        }
    }

    /** Phase 3: dispatch ready keys to their handlers, which complete promises and so ready the waiting tasks. */
    int processIoEvents() {
        Set<SelectionKey> selected = selector.selectedKeys();
        if (selected.isEmpty()) {
            return 0;
        }
        int n = 0;
        for (Iterator<SelectionKey> it = selected.iterator(); it.hasNext(); ) {
            SelectionKey key = it.next();
            it.remove();
            if (!key.isValid()) {
                continue;
            }
            IoRegistration registration = (IoRegistration) key.attachment();
            n++;
            try {
                registration.dispatch(key.readyOps());
            } catch (Throwable t) {
                core.failures.report("I/O handler of " + registration.description(), null, t);
            }
        }
        return n;
    }

    /** Channels registered with the selector; 0 once closed. */
    int channelCount() {
        return core.isClosed() ? 0 : selector.keys().size();
    }

    /** Closes every registered channel, then the selector. */
    void close() {
        for (SelectionKey key : selector.keys()) {
            closeQuietly(key.channel());
        }
        closeQuietly(selector);
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Throwable e) { // an Error too: close() must release what it can and return
            LoopLog.log(FailureReporter.LOG, System.Logger.Level.DEBUG, "error while closing " + c, e);
        }
    }
}

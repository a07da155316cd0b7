package dev.yieldloop.internal;

/**
 * Called by the loop when a registered channel is ready for some of its interest ops (the callback layer under {@code
 * dev.yieldloop.net}; asyncio's protocol callbacks, libuv's {@code uv_poll_cb}).
 *
 * <p>Threading: called on the loop thread, during phase 3 of the iteration. It must not block. An exception it throws is
 * reported to the loop's {@link dev.yieldloop.ExceptionHandler}; the registration stays as it was.
 */
@FunctionalInterface
public interface IoHandler {

    /**
     * The channel is ready.
     *
     * @param readyOps the {@link java.nio.channels.SelectionKey} ops found ready, a subset of the interest ops
     * @throws Exception reported to the loop's exception handler
     */
    void onReady(int readyOps) throws Exception;
}

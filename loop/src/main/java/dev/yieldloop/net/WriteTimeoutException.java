package dev.yieldloop.net;

import java.net.SocketTimeoutException;

/**
 * A connection's queued writes made no progress for its {@linkplain TcpConnection#setWriteTimeout write timeout}: the
 * peer stopped reading. The connection was aborted (closed with a reset, so the kernel drops its send buffer) and every
 * pending operation on it failed with this exception (hyper's and Go's write deadlines, Netty's {@code
 * WriteTimeoutHandler}).
 *
 * <p>Threading: an immutable exception, safe to pass between threads.
 */
public final class WriteTimeoutException extends SocketTimeoutException {

    private static final long serialVersionUID = 1L;

    /** How long the queued writes had made no progress when the connection was aborted, in nanoseconds. */
    private final long stalledNanos;

    /**
     * Creates the exception.
     *
     * @param message which connection, and for how long nothing was written
     * @param stalledNanos how long the queued writes had made no progress when the connection was aborted, in
     *     nanoseconds on the loop's clock; at least the write timeout, more when the loop ran the deadline's timer late
     */
    public WriteTimeoutException(String message, long stalledNanos) {
        super(message);
        this.stalledNanos = stalledNanos;
    }

    /**
     * How long the queued writes had made no progress when the connection was aborted: the write timeout plus however
     * late the loop ran the deadline's timer (a saturated loop runs it late).
     *
     * @return nanoseconds on the loop's clock
     */
    public long stalledNanos() {
        return stalledNanos;
    }
}

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

    /**
     * Creates the exception.
     *
     * @param message which connection, and for how long nothing was written
     */
    public WriteTimeoutException(String message) {
        super(message);
    }
}

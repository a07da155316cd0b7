package dev.yieldloop.net;

import java.net.SocketTimeoutException;

/**
 * A pending read of a connection got no byte within its {@linkplain TcpConnection#setReadTimeout read timeout} (a
 * per-read idle timeout, like a blocking socket's {@code SO_TIMEOUT} or Netty's {@code ReadTimeoutHandler}). The
 * connection stays open; the caller decides whether to close it.
 *
 * <p>Threading: an immutable exception, safe to pass between threads.
 */
public final class ReadTimeoutException extends SocketTimeoutException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message which connection, and for how long nothing arrived
     */
    public ReadTimeoutException(String message) {
        super(message);
    }
}

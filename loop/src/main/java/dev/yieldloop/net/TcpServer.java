package dev.yieldloop.net;

import dev.yieldloop.EventLoop;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A {@link Server} listening on a TCP address: it adds only binding to a host and port, and hands each accepted
 * connection over as a {@link TcpConnection} (asyncio's {@code start_server}, libuv's {@code uv_tcp_bind} and {@code
 * uv_listen}). Accepting, its EMFILE back-off, pausing and graceful close are the {@link Server}'s.
 *
 * <p>Threading: loop thread only, except {@link #localAddress()}.
 */
public final class TcpServer extends Server {

    private TcpServer(EventLoop loop, ServerSocketChannel channel, Consumer<TcpConnection> onAccept)
            throws IOException {
        super(loop, channel, c -> onAccept.accept((TcpConnection) c));
    }

    /**
     * Loop thread only. Binds a listener and starts accepting.
     *
     * @param loop the loop that will drive it
     * @param address where to listen; port 0 picks a free port
     * @param backlog the accept queue length asked of the OS (capped by {@code somaxconn})
     * @param onAccept called on the loop thread with each new connection; it owns the connection
     * @return the server
     * @throws IOException if the address cannot be bound
     * @throws IllegalStateException off the loop thread or once the loop is closed
     */
    public static TcpServer listen(
            EventLoop loop, InetSocketAddress address, int backlog, Consumer<TcpConnection> onAccept)
            throws IOException {
        Objects.requireNonNull(onAccept, "onAccept");
        loop.checkInLoop("TcpServer.listen");
        ServerSocketChannel ch = bind(ServerSocketChannel.open(), address, backlog);
        try {
            return new TcpServer(loop, ch, onAccept);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /**
     * Thread-safe. The bound address (with the real port when 0 was asked for).
     *
     * @return the local host and port
     */
    @Override
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) super.localAddress();
    }
}

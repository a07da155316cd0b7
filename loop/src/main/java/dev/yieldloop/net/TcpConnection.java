package dev.yieldloop.net;

import dev.yieldloop.EventLoop;
import dev.yieldloop.Promise;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.channels.SocketChannel;
import java.util.Objects;

/**
 * A {@link Connection} over TCP: what it adds is the TCP part only, connecting to a host and port, {@code
 * TCP_NODELAY} on, and the peer as an {@link InetSocketAddress}. Reads, writes, watermarks, deadlines and closing are
 * the {@link Connection}'s (asyncio's TCP transport, libuv's {@code uv_tcp_t}, Netty's {@code NioSocketChannel}).
 *
 * <p>Threading: loop thread only, except {@link #loop()}, {@link #remoteAddress()}, {@link #description()} and {@link
 * #toString()}.
 */
public final class TcpConnection extends Connection {

    private final InetSocketAddress remoteAddress;

    private TcpConnection(
            EventLoop loop, SocketChannel channel, InetSocketAddress remoteAddress, ConnectionState initial)
            throws IOException {
        super(loop, channel, remoteAddress, describe(remoteAddress), initial);
        this.remoteAddress = remoteAddress;
    }

    /**
     * Loop thread only. Opens a connection to {@code address}; the promise completes once the TCP handshake is done.
     *
     * @param loop the loop that will drive the connection
     * @param address where to connect; must be resolved
     * @return a promise of the connection; failed with {@link java.net.ConnectException} when refused, with {@link
     *     UnknownHostException} for an unresolved address, or with the {@link IOException} the attempt met; cancelling
     *     it closes the half-open channel
     * @throws IllegalStateException off the loop thread or once the loop is closed
     */
    public static Promise<TcpConnection> connect(EventLoop loop, InetSocketAddress address) {
        Objects.requireNonNull(address, "address");
        Promise<TcpConnection> promise = loop.newPromise("connect " + describe(address));
        if (address.isUnresolved()) {
            promise.fail(new UnknownHostException(address.getHostString()));
            return promise;
        }
        SocketChannel ch = null;
        try {
            ch = SocketChannel.open();
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            startConnect(new TcpConnection(loop, ch, address, ConnectionState.CONNECTING), promise);
        } catch (IOException | RuntimeException e) {
            closeQuietly(ch);
            promise.fail(e);
        }
        return promise;
    }

    /** Wraps an accepted TCP channel, already non-blocking; used by {@link Connection#accepted}. */
    static TcpConnection accepted(EventLoop loop, SocketChannel ch) throws IOException {
        ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
        SocketAddress remote = ch.getRemoteAddress();
        InetSocketAddress inet = remote instanceof InetSocketAddress i ? i : new InetSocketAddress(0);
        return new TcpConnection(loop, ch, inet, ConnectionState.OPEN);
    }

    /**
     * Thread-safe. The peer's address.
     *
     * @return the remote host and port
     */
    @Override
    public InetSocketAddress remoteAddress() {
        return remoteAddress;
    }
}

package dev.yieldloop.net;

import dev.yieldloop.EventLoop;
import dev.yieldloop.LoopLog;
import dev.yieldloop.Promise;
import dev.yieldloop.Timer;
import dev.yieldloop.internal.IoRegistration;
import dev.yieldloop.internal.LoopInternals;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A non-blocking listener on an {@link EventLoop}, on a Unix domain socket ({@link #listen(EventLoop,
 * UnixDomainSocketAddress, int, Consumer)}, JDK 16+) or over TCP ({@link TcpServer}): each accepted {@link Connection}
 * is handed to a callback on the loop thread, which typically spawns a task for it (asyncio's {@code start_server} and
 * {@code start_unix_server}, libuv's {@code uv_listen}).
 *
 * <p>Accept survives running out of file descriptors (EMFILE): on an accept failure the listener drops {@code
 * OP_ACCEPT} for {@link #ACCEPT_BACKOFF_MILLIS} ms and then resumes, so the loop neither spins nor stops serving the
 * connections it has (libuv, Netty #1328). An episode of failures is logged twice, never per failure: one warning
 * when it begins, one line with the count of refused accepts when accepting works again. Logging there needs no new
 * file descriptor ({@link LoopLog}).
 *
 * <p>Threading: loop thread only, except {@link #localAddress()}.
 */
public sealed class Server implements AutoCloseable permits TcpServer {

    /** How long accepting pauses after an accept failure such as EMFILE, in milliseconds. */
    public static final long ACCEPT_BACKOFF_MILLIS = 100;

    /** At most this many connections are accepted per readiness event, so one listener cannot starve the loop. */
    static final int ACCEPTS_PER_EVENT = 64;

    private static final System.Logger LOG = System.getLogger(Server.class.getName());

    private final EventLoop loop;
    private final ServerSocketChannel channel;
    private final SocketAddress localAddress;
    private final Consumer<Connection> onAccept;
    private final IoRegistration registration;
    /** The accepted connections still open, for {@link #closeGracefully(Duration)}. */
    private final Set<Connection> connections = new LinkedHashSet<>();

    private Timer backoff;
    private long acceptFailures;
    private long episodeFailures; // refused accepts in the current EMFILE episode; 0 when accepting works
    private long episodeStartNanos;
    private boolean closed;
    private boolean paused;

    Server(EventLoop loop, ServerSocketChannel channel, Consumer<Connection> onAccept) throws IOException {
        this.loop = loop;
        this.channel = channel;
        this.onAccept = onAccept;
        this.localAddress = channel.getLocalAddress();
        this.registration =
                LoopInternals.register(loop, channel, "listener " + Connection.describe(localAddress), this::onReady);
        registration.addInterest(SelectionKey.OP_ACCEPT);
    }

    /**
     * Loop thread only. Listens on a Unix domain socket and starts accepting. The socket file is created here and
     * removed by {@link #close()} (as asyncio's {@code start_unix_server} does); access to it follows the file's
     * permissions, so put it in a directory only its users can enter.
     *
     * @param loop the loop that will drive it
     * @param address the socket file to create; it must not exist yet
     * @param backlog the accept queue length asked of the OS (capped by {@code somaxconn}); 0 for the default
     * @param onAccept called on the loop thread with each new connection; it owns the connection
     * @return the server
     * @throws IOException if the socket cannot be bound, for instance because the file exists
     * @throws IllegalStateException off the loop thread or once the loop is closed
     */
    public static Server listen(
            EventLoop loop, UnixDomainSocketAddress address, int backlog, Consumer<Connection> onAccept)
            throws IOException {
        Objects.requireNonNull(onAccept, "onAccept");
        loop.checkInLoop("Server.listen");
        ServerSocketChannel ch = bind(ServerSocketChannel.open(StandardProtocolFamily.UNIX), address, backlog);
        try {
            return new Server(loop, ch, onAccept);
        } catch (IOException | RuntimeException e) {
            ch.close();
            Files.deleteIfExists(address.getPath());
            throw e;
        }
    }

    /** Binds {@code ch} non-blocking to {@code address}; closes it if that fails. */
    static ServerSocketChannel bind(ServerSocketChannel ch, SocketAddress address, int backlog) throws IOException {
        try {
            ch.configureBlocking(false);
            if (address instanceof InetSocketAddress) {
                ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            }
            ch.bind(address, backlog);
            return ch;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /**
     * Thread-safe. The bound address (with the real port when 0 was asked for).
     *
     * @return the local address: a host and port, or a Unix domain socket's file
     */
    public SocketAddress localAddress() {
        return localAddress;
    }

    /**
     * Loop thread only. How many accepts have failed (EMFILE and the like) since the server started.
     *
     * @return the count
     */
    public long acceptFailures() {
        loop.checkInLoop("Server.acceptFailures");
        return acceptFailures;
    }

    /**
     * Loop thread only. Stops listening and closes the listening socket (a Unix domain socket's file is removed);
     * accepted connections stay open.
     */
    @Override
    public void close() {
        loop.checkInLoop("Server.close");
        if (closed) {
            return;
        }
        closed = true;
        if (backoff != null) {
            backoff.cancel();
            backoff = null;
        }
        try {
            channel.close();
            if (localAddress instanceof UnixDomainSocketAddress unix) {
                Files.deleteIfExists(unix.getPath());
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "error closing listener", e);
        }
    }

    /**
     * Loop thread only. Stops accepting, as {@link #close()} does, then closes every accepted connection still open
     * gracefully ({@link Connection#close()}: reads stop, queued writes are sent, then the channel closes); whatever
     * is still open at the deadline is aborted (asyncio's {@code Server.close()} plus {@code close_clients()}, then
     * {@code abort_clients()}).
     *
     * @param timeout how long the connections may take to send their queued writes
     * @return a promise completed once every accepted connection is closed, at the latest at the deadline
     * @throws IllegalStateException off the loop thread
     */
    public Promise<Void> closeGracefully(Duration timeout) {
        loop.checkInLoop("Server.closeGracefully");
        close();
        Promise<Void> done = loop.newPromise("graceful close of " + localAddress);
        List<Connection> open = new ArrayList<>(connections);
        if (open.isEmpty()) {
            done.complete(null);
            return done;
        }
        int[] remaining = {open.size()};
        Timer deadline = loop.scheduleAfter(timeout.toNanos(), TimeUnit.NANOSECONDS, () -> {
            for (Connection c : new ArrayList<>(connections)) {
                c.abort();
            }
        });
        for (Connection c : open) {
            c.closed().onComplete(p -> {
                if (--remaining[0] == 0) {
                    deadline.cancel();
                    done.complete(null);
                }
            });
            c.close();
        }
        return done;
    }

    /**
     * Loop thread only. How many accepted connections are still open.
     *
     * @return the count
     */
    public int openConnections() {
        loop.checkInLoop("Server.openConnections");
        return connections.size();
    }

    private void onReady(int readyOps) {
        for (int i = 0; i < ACCEPTS_PER_EVENT && !closed && !paused; i++) {
            SocketChannel ch;
            try {
                ch = channel.accept();
            } catch (IOException e) {
                backOff(e);
                return;
            }
            if (episodeFailures > 0) {
                endFailureEpisode();
            }
            if (ch == null) {
                return;
            }
            Connection conn;
            try {
                conn = Connection.accepted(loop, ch, localAddress);
            } catch (IOException e) {
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // the peer is gone already
                }
                continue;
            }
            connections.add(conn);
            Connection accepted = conn;
            conn.onClosed = () -> connections.remove(accepted);
            onAccept.accept(conn);
        }
    }

    private void backOff(IOException cause) {
        acceptFailures++;
        if (episodeFailures++ == 0) {
            episodeStartNanos = System.nanoTime();
            LoopLog.log(
                    LOG,
                    System.Logger.Level.WARNING,
                    "accept failed on " + localAddress + " (" + cause + "); pausing accept " + ACCEPT_BACKOFF_MILLIS
                            + " ms at a time until it works again",
                    null);
        }
        registration.removeInterest(SelectionKey.OP_ACCEPT);
        backoff = loop.scheduleAfter(ACCEPT_BACKOFF_MILLIS, TimeUnit.MILLISECONDS, () -> {
            backoff = null;
            if (!closed && !paused) {
                registration.addInterest(SelectionKey.OP_ACCEPT);
            }
        });
    }

    /**
     * Loop thread only. Stops accepting until {@link #resumeAccepting()}: {@code OP_ACCEPT} is dropped, so the loop
     * does not wake for new connections, which wait in the kernel's backlog (Netty's {@code autoRead(false)} on a server
     * channel; a server at its connection limit uses it). Pausing twice does nothing.
     *
     * @throws IllegalStateException off the loop thread
     */
    public void pauseAccepting() {
        loop.checkInLoop("Server.pauseAccepting");
        paused = true;
        if (!closed) {
            registration.removeInterest(SelectionKey.OP_ACCEPT);
        }
    }

    /**
     * Loop thread only. Accepts again after {@link #pauseAccepting()}: connections waiting in the backlog are accepted
     * in the next iterations (unless an EMFILE back-off is running; it resumes when that ends).
     *
     * @throws IllegalStateException off the loop thread
     */
    public void resumeAccepting() {
        loop.checkInLoop("Server.resumeAccepting");
        paused = false;
        if (!closed && backoff == null) {
            registration.addInterest(SelectionKey.OP_ACCEPT);
        }
    }

    /**
     * Loop thread only. Whether {@link #pauseAccepting()} is in force.
     *
     * @return true while paused
     */
    public boolean isAcceptingPaused() {
        loop.checkInLoop("Server.isAcceptingPaused");
        return paused;
    }

    private void endFailureEpisode() {
        LoopLog.log(
                LOG,
                System.Logger.Level.INFO,
                "accepting again on " + localAddress + " after " + episodeFailures + " refused accept(s) over "
                        + (System.nanoTime() - episodeStartNanos) / 1_000_000 + " ms",
                null);
        episodeFailures = 0;
    }
}

package dev.yieldloop.net;

import java.io.IOException;
import java.lang.reflect.Field;
import java.net.ServerSocket;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Set;

/**
 * Fault injection for a {@link Server}: stands in for its listening channel so that the next {@code failures}
 * accepts throw the {@link IOException} a process at its file-descriptor limit gets (EMFILE), then hands every call
 * to the real channel. The real channel stays registered with the selector, so readiness is real.
 */
final class FailingAccepts extends ServerSocketChannel {
    private final ServerSocketChannel real;
    private int failuresLeft;
    private int calls;

    private FailingAccepts(ServerSocketChannel real, int failures) {
        super(real.provider());
        this.real = real;
        this.failuresLeft = failures;
    }

    /** Puts a failing stand-in in place of {@code server}'s channel; returns it, to count the accept calls. */
    static FailingAccepts install(TcpServer server, int failures) throws ReflectiveOperationException {
        Field f = Server.class.getDeclaredField("channel");
        f.setAccessible(true);
        FailingAccepts fake = new FailingAccepts((ServerSocketChannel) f.get(server), failures);
        f.set(server, fake);
        return fake;
    }

    /** How many times the server called accept(). */
    int calls() {
        return calls;
    }

    @Override
    public SocketChannel accept() throws IOException {
        calls++;
        if (failuresLeft > 0) {
            failuresLeft--;
            throw new IOException("Too many open files (injected)");
        }
        return real.accept();
    }

    @Override
    public ServerSocketChannel bind(SocketAddress local, int backlog) throws IOException {
        real.bind(local, backlog);
        return this;
    }

    @Override
    public <T> ServerSocketChannel setOption(SocketOption<T> name, T value) throws IOException {
        real.setOption(name, value);
        return this;
    }

    @Override
    public <T> T getOption(SocketOption<T> name) throws IOException {
        return real.getOption(name);
    }

    @Override
    public Set<SocketOption<?>> supportedOptions() {
        return real.supportedOptions();
    }

    @Override
    public ServerSocket socket() {
        return real.socket();
    }

    @Override
    public SocketAddress getLocalAddress() throws IOException {
        return real.getLocalAddress();
    }

    @Override
    protected void implCloseSelectableChannel() throws IOException {
        real.close();
    }

    @Override
    protected void implConfigureBlocking(boolean block) throws IOException {
        real.configureBlocking(block);
    }
}

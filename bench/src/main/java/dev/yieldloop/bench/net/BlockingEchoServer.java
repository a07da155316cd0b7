package dev.yieldloop.bench.net;

import dev.yieldloop.bench.VirtualThreadSupport;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;

/**
 * TCP echo with blocking sockets and one thread per connection: virtual threads (JDK 21+, default scheduler) or
 * platform threads, the classic design the event loop is compared with.
 *
 * <p>Thread-safe.
 */
final class BlockingEchoServer implements RunningServer {

    private final ServerSocket listener;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final ThreadFactory threads;

    private BlockingEchoServer(ServerSocket listener, ThreadFactory threads) {
        this.listener = listener;
        this.threads = threads;
    }

    static RunningServer start(boolean virtual) throws IOException {
        ThreadFactory factory = virtual
                ? VirtualThreadSupport.factory()
                : r -> {
                    Thread t = new Thread(r, "echo");
                    t.setDaemon(true);
                    return t;
                };
        ServerSocket listener = new ServerSocket(0, 4096, InetAddress.getByName("127.0.0.1"));
        BlockingEchoServer server = new BlockingEchoServer(listener, factory);
        Thread acceptor = factory.newThread(server::acceptLoop);
        acceptor.setDaemon(true);
        acceptor.start();
        return server;
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket s = listener.accept();
                s.setTcpNoDelay(true);
                open.add(s);
                threads.newThread(() -> serve(s)).start();
            } catch (IOException e) {
                if (listener.isClosed()) {
                    return;
                }
            }
        }
    }

    private void serve(Socket s) {
        byte[] buf = new byte[YieldloopServers.BUFFER_BYTES];
        try (s;
                InputStream in = s.getInputStream();
                OutputStream out = s.getOutputStream()) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                out.write(buf, 0, n);
            }
        } catch (IOException e) {
            // a reset by the load client is the normal end
        } finally {
            open.remove(s);
        }
    }

    @Override
    public int port() {
        return listener.getLocalPort();
    }

    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException e) {
            // closing anyway
        }
        for (Socket s : open) {
            try {
                s.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }
}

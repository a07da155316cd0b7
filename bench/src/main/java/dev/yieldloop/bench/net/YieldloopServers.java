package dev.yieldloop.bench.net;

import dev.yieldloop.EventLoop;
import dev.yieldloop.LoopOptions;
import dev.yieldloop.demo.server.SlowSiteServer;
import dev.yieldloop.net.TcpConnection;
import dev.yieldloop.net.TcpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

/**
 * The Yieldloop servers under test, each on one event loop on its own thread: TCP echo and HTTP/1.1 hello written
 * with promise callbacks on {@link TcpConnection}, and the demo's {@link SlowSiteServer} (the code behind {@code java
 * -jar yieldloop-demo.jar server}) with no delay and 10 KiB bodies.
 *
 * <p>Thread-safe: each server is set up through {@link EventLoop#submit} and runs on its loop's thread.
 */
final class YieldloopServers {

    /** Bytes of the per-connection buffer of the echo and hello servers (requests and messages are smaller). */
    static final int BUFFER_BYTES = 512;

    /** Body bytes of the slow-site pages, as the demo's default. */
    static final int SLOW_SITE_BODY_BYTES = 10 * 1024;

    private YieldloopServers() {}

    static RunningServer echo() throws IOException, InterruptedException {
        return onLoop("echo", YieldloopServers::echoSession);
    }

    static RunningServer hello() throws IOException, InterruptedException {
        return onLoop("hello", YieldloopServers::helloSession);
    }

    static RunningServer slowSite() throws IOException, InterruptedException {
        EventLoop loop = new EventLoop(LoopOptions.defaults().withName("slow-site"));
        Thread thread = loop.startThread();
        SlowSiteServer server = call(
                loop,
                () -> SlowSiteServer.start(
                        loop,
                        new InetSocketAddress("127.0.0.1", 0),
                        SlowSiteServer.Options.defaults().withDelayAndBody(0, SLOW_SITE_BODY_BYTES)));
        return running(loop, thread, server.localAddress().getPort(), server::close);
    }

    private static RunningServer onLoop(String name, Consumer<TcpConnection> session)
            throws IOException, InterruptedException {
        EventLoop loop = new EventLoop(LoopOptions.defaults().withName(name));
        Thread thread = loop.startThread();
        TcpServer server =
                call(loop, () -> TcpServer.listen(loop, new InetSocketAddress("127.0.0.1", 0), 4096, session));
        return running(loop, thread, server.localAddress().getPort(), server::close);
    }

    private static RunningServer running(EventLoop loop, Thread thread, int port, Runnable closeOnLoop) {
        return new RunningServer() {
            @Override
            public int port() {
                return port;
            }

            @Override
            public void close() {
                try {
                    loop.submit(() -> {
                                closeOnLoop.run();
                                return null;
                            })
                            .get();
                    loop.stop();
                    thread.join(5_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (ExecutionException e) {
                    // closing a listener does not fail; nothing to report on the way out
                }
            }
        };
    }

    private static <T> T call(EventLoop loop, java.util.concurrent.Callable<T> work)
            throws IOException, InterruptedException {
        try {
            return loop.submit(work).get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException(e.getCause());
        }
    }

    // ---- echo: read some bytes, write them back, read again ---------------------------------------------------------

    private static void echoSession(TcpConnection c) {
        echoRead(c, ByteBuffer.allocate(BUFFER_BYTES));
    }

    private static void echoRead(TcpConnection c, ByteBuffer buf) {
        c.read(buf).onComplete(r -> {
            if (!r.isSucceeded() || r.result() < 0) {
                c.close();
                return;
            }
            buf.flip();
            c.write(buf).onComplete(w -> {
                if (!w.isSucceeded()) {
                    c.close();
                    return;
                }
                buf.clear();
                echoRead(c, buf);
            });
        });
    }

    // ---- hello: one fixed response per request head (keep-alive, pipelining allowed) ------------------------------

    private static void helloSession(TcpConnection c) {
        helloRead(c, ByteBuffer.allocate(BUFFER_BYTES), new HelloResponse.Scanner());
    }

    private static void helloRead(TcpConnection c, ByteBuffer buf, HelloResponse.Scanner scanner) {
        c.read(buf).onComplete(r -> {
            if (!r.isSucceeded() || r.result() < 0) {
                c.close();
                return;
            }
            buf.flip();
            int requests = scanner.scan(buf);
            buf.clear();
            if (requests == 0) {
                helloRead(c, buf, scanner);
                return;
            }
            c.write(HelloResponse.responses(requests)).onComplete(w -> {
                if (!w.isSucceeded()) {
                    c.close();
                    return;
                }
                helloRead(c, buf, scanner);
            });
        });
    }
}

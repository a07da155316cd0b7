package dev.yieldloop.testing;

import dev.yieldloop.Coroutine;
import dev.yieldloop.EventLoop;
import dev.yieldloop.Promise;
import dev.yieldloop.Step;
import dev.yieldloop.net.TcpConnection;
import dev.yieldloop.net.TcpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** A TCP echo server on the loop, for tests: each connection is a task echoing until EOF. */
public final class Echo {

    private Echo() {}

    /** Starts an echo server on 127.0.0.1 and a free port; accepted connections are added to {@code accepted}. */
    public static TcpServer serve(EventLoop loop, List<TcpConnection> accepted) throws IOException {
        return TcpServer.listen(loop, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64, conn -> {
            accepted.add(conn);
            loop.spawn("echo " + conn.description(), echo(conn));
        });
    }

    /** Starts an echo server whose connections are not tracked. */
    public static TcpServer serve(EventLoop loop) throws IOException {
        return serve(loop, new ArrayList<>());
    }

    /** Echoes every byte back until EOF, then closes. */
    public static Coroutine<Void> echo(TcpConnection conn) {
        ByteBuffer buf = ByteBuffer.allocate(4096);
        return new Coroutine<>() {
            Promise<Integer> read;
            Promise<Void> write;

            @Override
            public Step<Void> resume() {
                if (write != null) {
                    write.result();
                    write = null;
                    buf.clear();
                }
                if (read == null) {
                    read = conn.read(buf);
                    return Step.await(read);
                }
                int n = read.result();
                read = null;
                if (n < 0) {
                    conn.close();
                    return Step.done(null);
                }
                buf.flip();
                write = conn.write(buf);
                return Step.await(write);
            }
        };
    }
}

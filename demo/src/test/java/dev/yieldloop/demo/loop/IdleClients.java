package dev.yieldloop.demo.loop;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * The client side of the many-idle-connections test, run as a child JVM so that the two ends' descriptors are counted
 * against two processes: opens {@code count} connections to 127.0.0.1:{@code port} in batches (so the backlog stays
 * under {@code somaxconn}), sends one byte on each and reads its echo, prints {@code echoed N}, then waits (at most
 * {@code maxWaitSeconds}) for the server to close every connection and prints {@code closed N}.
 */
public final class IdleClients {

    private IdleClients() {}

    /**
     * Runs the clients.
     *
     * @param args port, count, max wait in seconds
     * @throws IOException on a connection failure
     */
    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        int count = Integer.parseInt(args[1]);
        long maxWaitNanos = Long.parseLong(args[2]) * 1_000_000_000L;
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
        List<SocketChannel> channels = new ArrayList<>(count);
        ByteBuffer one = ByteBuffer.allocate(1);
        int echoed = 0;
        for (int i = 0; i < count; i++) {
            SocketChannel ch = SocketChannel.open(address);
            channels.add(ch);
            ch.write(ByteBuffer.wrap(new byte[] {(byte) i}));
            one.clear();
            if (ch.read(one) == 1 && one.get(0) == (byte) i) {
                echoed++;
            }
        }
        System.out.println("echoed " + echoed);
        System.out.flush();
        try (Selector selector = Selector.open()) {
            for (SocketChannel ch : channels) {
                ch.configureBlocking(false);
                ch.register(selector, SelectionKey.OP_READ);
            }
            int closed = 0;
            long deadline = System.nanoTime() + maxWaitNanos;
            while (closed < count && System.nanoTime() - deadline < 0) {
                selector.select(500);
                for (SelectionKey key : selector.selectedKeys()) {
                    SocketChannel ch = (SocketChannel) key.channel();
                    one.clear();
                    int n;
                    try {
                        n = ch.read(one);
                    } catch (IOException reset) {
                        n = -1;
                    }
                    if (n < 0) {
                        closed++;
                        key.cancel();
                        ch.close();
                    }
                }
                selector.selectedKeys().clear();
            }
            System.out.println("closed " + closed);
        }
        for (SocketChannel ch : channels) {
            ch.close();
        }
    }
}

package dev.yieldloop.bench.net;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code load} (hidden): the load-generator JVM. In {@code echo} and {@code http} modes it runs the {@link LoadClient}
 * and prints {@code start}, {@code end} and one {@code result k=v ...} line; in {@code idle} mode it opens {@code
 * --conns} connections that send nothing, prints {@code connected N}, and holds them until its standard input ends.
 *
 * <p>Not thread-safe: the client JVM's main thread.
 */
@Command(name = "load", hidden = true, description = "Load generator (used by the bench itself).")
public final class LoadCommand implements Callable<Integer> {

    @Option(names = "--mode", required = true, description = "echo, http or idle")
    String mode;

    @Option(names = "--port", required = true, description = "server port on 127.0.0.1")
    int port;

    @Option(names = "--conns", defaultValue = "100", description = "connections")
    int conns;

    @Option(names = "--warmup-ms", defaultValue = "1000", description = "warm-up, ms")
    long warmupMillis;

    @Option(names = "--measure-ms", defaultValue = "5000", description = "measured window, ms")
    long measureMillis;

    @Option(names = "--path", defaultValue = "/", description = "HTTP path")
    String path;

    @Option(names = "--message-bytes", defaultValue = "64", description = "echo message size, bytes")
    int messageBytes;

    /** Created by picocli. */
    public LoadCommand() {}

    @Override
    public Integer call() throws IOException {
        if (mode.equals("idle")) {
            return idle();
        }
        LoadClient client =
                new LoadClient(mode.equals("echo") ? LoadClient.Mode.ECHO : LoadClient.Mode.HTTP, path, messageBytes);
        LoadClient.Result r =
                client.run(port, conns, warmupMillis * 1_000_000L, measureMillis * 1_000_000L, System.out);
        System.out.println("result " + r.line());
        System.out.flush();
        return 0;
    }

    private int idle() throws IOException {
        List<SocketChannel> open = new ArrayList<>(conns);
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
        try {
            for (int i = 0; i < conns; i++) {
                open.add(SocketChannel.open(address));
            }
            System.out.println("connected " + open.size());
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            while (in.readLine() != null) {
                // hold the connections until the parent closes our input
            }
        } catch (IOException e) {
            System.out.println("failed after " + open.size() + " connections: " + e.getMessage());
            System.out.flush();
        } finally {
            for (SocketChannel ch : open) {
                ch.close();
            }
        }
        return 0;
    }
}

package dev.yieldloop.bench.net;

import dev.yieldloop.bench.Machine;
import dev.yieldloop.bench.Pinning;
import dev.yieldloop.bench.ProcStat;
import dev.yieldloop.bench.Row;
import dev.yieldloop.bench.VirtualThreadSupport;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code conns}: {@code n} idle connections (connected, nothing sent) to each server; the server's used heap after
 * full GCs and its resident set size, before and after, divided by {@code n}. nginx has no Java heap: RSS only.
 *
 * <p>The client JVM needs {@code n} file descriptors and the server as many: the JVM raises its soft {@code
 * RLIMIT_NOFILE} to the hard limit at start, so the check here is against the hard limit (readable in {@code
 * /proc/self/limits}); below {@code n + 256} the run stops with a message naming {@code ulimit -n}.
 *
 * <p>Not thread-safe: the bench's main thread.
 */
public final class ConnsBench {

    private final boolean quick;
    private final PrintStream out;

    /**
     * A runner.
     *
     * @param quick 200 connections instead of 10,000
     * @param out where progress goes
     */
    public ConnsBench(boolean quick, PrintStream out) {
        this.quick = quick;
        this.out = out;
    }

    /**
     * Measures every server.
     *
     * @return rows {@code idle-conns-N}: {@code heap-per-conn} and {@code rss-per-conn} in bytes
     */
    public List<Row> run() {
        int n = quick ? 200 : 10_000;
        String bench = "idle-conns-" + n;
        List<ServerKind> kinds = List.of(
                ServerKind.HTTP_SLOW_SITE,
                ServerKind.HTTP_YIELDLOOP_HELLO,
                ServerKind.ECHO_YIELDLOOP,
                ServerKind.HTTP_NETTY_HELLO,
                ServerKind.ECHO_VIRTUAL_THREADS,
                ServerKind.ECHO_PLATFORM_THREADS);
        List<Row> rows = new ArrayList<>();
        long limit = openFilesHardLimit();
        if (limit >= 0 && limit < n + 256) {
            String reason = "RLIMIT_NOFILE hard limit " + limit + " < " + (n + 256) + " needed for " + n
                    + " connections; raise it (ulimit -n " + (2 * n) + ") and run again";
            out.println("conns: " + reason);
            for (ServerKind k : kinds) {
                rows.add(Row.skipped(bench, system(k), "heap-per-conn", "B", false, reason));
                rows.add(Row.skipped(bench, system(k), "rss-per-conn", "B", false, reason));
            }
            return rows;
        }
        out.println("conns: " + n + " idle connections per server (RLIMIT_NOFILE hard limit "
                + (limit < 0 ? "unknown" : limit) + "); " + Pinning.describe());
        for (ServerKind kind : kinds) {
            if (kind.needsVirtualThreads() && VirtualThreadSupport.unavailableReason() != null) {
                String reason = VirtualThreadSupport.unavailableReason();
                rows.add(Row.skipped(bench, system(kind), "heap-per-conn", "B", false, reason));
                rows.add(Row.skipped(bench, system(kind), "rss-per-conn", "B", false, reason));
                continue;
            }
            rows.addAll(measureJava(bench, kind, n));
        }
        if (Nginx.binary().isPresent()) {
            rows.add(measureNginx(bench, n));
        } else {
            rows.add(Row.skipped(
                    bench,
                    "nginx",
                    "rss-per-conn",
                    "B",
                    false,
                    "nginx is not installed (apt-get install nginx-light)"));
        }
        return rows;
    }

    /** The echo servers' names get an {@code -echo} suffix here, beside the HTTP servers. */
    private static String system(ServerKind kind) {
        return kind.name().startsWith("ECHO_") ? kind.system() + "-echo" : kind.system();
    }

    private List<Row> measureJava(String bench, ServerKind kind, int n) {
        String load = Machine.awaitQuiet(0.25, quick ? 0 : 5_000);
        out.printf("%s: %s (load %s)%n", bench, system(kind), load);
        try (ChildJvm server = ChildJvm.start(
                system(kind),
                Pinning.pin(
                        Pinning.SERVER_CPU, ChildJvm.benchCommand("1g", List.of("serve", "--kind", kind.name()))))) {
            int port = Integer.parseInt(server.awaitLine("listening "));
            server.send("heap");
            long heap0 = Long.parseLong(server.awaitLine("heap "));
            long rss0 = ProcStat.rssBytes(server.pid());
            try (ChildJvm client = idleClient(port, n)) {
                settle(client);
                server.send("heap");
                long heap1 = Long.parseLong(server.awaitLine("heap "));
                long rss1 = ProcStat.rssBytes(server.pid());
                return List.of(
                        Row.ok(
                                bench,
                                system(kind),
                                "heap-per-conn",
                                "B",
                                (heap1 - heap0) / (double) n,
                                null,
                                false,
                                load),
                        Row.ok(
                                bench,
                                system(kind),
                                "rss-per-conn",
                                "B",
                                (rss1 - rss0) / (double) n,
                                null,
                                false,
                                load));
            }
        } catch (IOException | RuntimeException e) {
            String reason = NetBench.oneLine(e);
            return List.of(
                    Row.failed(bench, system(kind), "heap-per-conn", "B", false, reason),
                    Row.failed(bench, system(kind), "rss-per-conn", "B", false, reason));
        }
    }

    private Row measureNginx(String bench, int n) {
        String load = Machine.awaitQuiet(0.25, quick ? 0 : 5_000);
        out.printf("%s: nginx (load %s)%n", bench, load);
        Nginx.Started nginx = null;
        try {
            nginx = Nginx.start(n + 100);
            long rss0 = ProcStat.rssBytes(nginx.child().pid());
            try (ChildJvm client = idleClient(nginx.port(), n)) {
                settle(client);
                long rss1 = ProcStat.rssBytes(nginx.child().pid());
                return Row.ok(bench, "nginx", "rss-per-conn", "B", (rss1 - rss0) / (double) n, null, false, load);
            }
        } catch (IOException | RuntimeException e) {
            return Row.failed(bench, "nginx", "rss-per-conn", "B", false, NetBench.oneLine(e));
        } finally {
            if (nginx != null) {
                nginx.child().terminate();
            }
        }
    }

    private static ChildJvm idleClient(int port, int n) throws IOException {
        List<String> args =
                List.of("load", "--mode", "idle", "--port", Integer.toString(port), "--conns", Integer.toString(n));
        ChildJvm client =
                ChildJvm.start("idle client", Pinning.pin(Pinning.CLIENT_CPU, ChildJvm.benchCommand("512m", args)));
        try {
            String connected = client.awaitLine("connected ");
            if (Integer.parseInt(connected) != n) {
                throw new IOException("only " + connected + " of " + n + " connections opened");
            }
            return client;
        } catch (IOException | RuntimeException e) {
            client.close();
            throw e;
        }
    }

    /** Lets the server accept the last connections of the client's burst before it is measured. */
    private void settle(ChildJvm client) {
        if (!client.isAlive()) {
            return;
        }
        try {
            Thread.sleep(quick ? 300 : 2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The hard {@code Max open files} limit of this process.
     *
     * @return the limit, {@link Long#MAX_VALUE} when unlimited, or -1 when unknown
     */
    static long openFilesHardLimit() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max open files")) {
                    String[] f =
                            line.substring("Max open files".length()).trim().split("\\s+");
                    return f[1].equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(f[1]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return -1;
    }
}

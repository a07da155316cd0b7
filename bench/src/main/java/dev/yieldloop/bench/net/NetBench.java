package dev.yieldloop.bench.net;

import dev.yieldloop.bench.Machine;
import dev.yieldloop.bench.Pinning;
import dev.yieldloop.bench.ProcStat;
import dev.yieldloop.bench.Row;
import dev.yieldloop.bench.VirtualThreadSupport;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code echo} and {@code http} subcommands: each server in its own JVM pinned to the server CPU, driven by the
 * bench's load client in another JVM pinned to the client CPU, for a warm-up and then a measured window. Server CPU
 * per operation is the server process's user + system CPU time over the measured window (every thread of it: I/O,
 * GC, JIT) divided by the round trips completed in that window.
 *
 * <p>Not thread-safe: the bench's main thread.
 */
public final class NetBench {

    private final boolean quick;
    private final PrintStream out;

    /**
     * A runner.
     *
     * @param quick the smoke settings: short windows, fewer connections
     * @param out where progress goes
     */
    public NetBench(boolean quick, PrintStream out) {
        this.quick = quick;
        this.out = out;
    }

    private long warmupMillis() {
        return quick ? 200 : 2_000;
    }

    private long measureMillis() {
        return quick ? 500 : 5_000;
    }

    /**
     * TCP echo: 100 connections × 64-byte ping-pong against each echo server.
     *
     * @return rows {@code echo}: throughput (round trips/s), cpu-per-op (server µs per round trip)
     */
    public List<Row> echo() {
        out.println("echo: 100 connections x 64-byte ping-pong, warm-up " + warmupMillis() + " ms, measured "
                + measureMillis() + " ms; " + Pinning.describe());
        List<Row> rows = new ArrayList<>();
        for (ServerKind kind : List.of(
                ServerKind.ECHO_YIELDLOOP,
                ServerKind.ECHO_NETTY,
                ServerKind.ECHO_VIRTUAL_THREADS,
                ServerKind.ECHO_PLATFORM_THREADS)) {
            rows.addAll(measureJava("echo", kind, "echo", "/", 100));
        }
        return rows;
    }

    /**
     * HTTP/1.1 keep-alive GETs at 100 and 1000 connections: the hello servers (Yieldloop, Netty raw, nginx) on
     * {@code /}, and the slow-site server (and nginx's static file) on {@code /page/1}, 10 KiB. {@code --quick}: 100
     * connections only.
     *
     * @return rows {@code http-hello-cN} and {@code http-10k-page-cN}: throughput, latency-p50, latency-p99,
     *     cpu-per-op
     */
    public List<Row> http() {
        int[] levels = quick ? new int[] {100} : new int[] {100, 1000};
        out.println("http: load from "
                + (Wrk.binary().isPresent()
                        ? "wrk -t1 (keep-alive; whole seconds)"
                        : "the bench's own HTTP/1.1 client (keep-alive, one request in flight per connection)")
                + ", warm-up " + warmupMillis() + " ms, measured " + measureMillis() + " ms; " + Pinning.describe());
        String nginxMissing =
                Nginx.binary().isPresent() ? null : "nginx is not installed (apt-get install nginx-light)";
        List<Row> rows = new ArrayList<>();
        for (int c : levels) {
            String hello = "http-hello-c" + c;
            rows.addAll(measureJava(hello, ServerKind.HTTP_YIELDLOOP_HELLO, "http", "/", c));
            rows.addAll(measureJava(hello, ServerKind.HTTP_NETTY_HELLO, "http", "/", c));
            rows.addAll(
                    nginxMissing == null
                            ? measureNginx(hello, "/", c)
                            : skippedHttp(hello, "nginx-hello", nginxMissing));
            String page = "http-10k-page-c" + c;
            rows.addAll(measureJava(page, ServerKind.HTTP_SLOW_SITE, "http", "/page/1", c));
            rows.addAll(
                    nginxMissing == null
                            ? measureNginx(page, "/page/1", c)
                            : skippedHttp(page, "nginx-static-file", nginxMissing));
        }
        return rows;
    }

    private List<Row> measureJava(String bench, ServerKind kind, String mode, String path, int conns) {
        boolean http = mode.equals("http");
        if (kind.needsVirtualThreads() && VirtualThreadSupport.unavailableReason() != null) {
            return http
                    ? skippedHttp(bench, kind.system(), VirtualThreadSupport.unavailableReason())
                    : skippedEcho(bench, kind.system(), VirtualThreadSupport.unavailableReason());
        }
        String load = Machine.awaitQuiet(0.25, quick ? 0 : 5_000);
        out.printf("%s: %s (load %s)%n", bench, kind.system(), load);
        try (ChildJvm server = ChildJvm.start(
                kind.system(),
                Pinning.pin(
                        Pinning.SERVER_CPU, ChildJvm.benchCommand("1g", List.of("serve", "--kind", kind.name()))))) {
            int port = Integer.parseInt(server.awaitLine("listening "));
            return drive(bench, kind.system(), server.pid(), port, mode, path, conns, load);
        } catch (IOException | RuntimeException e) {
            return http ? failedHttp(bench, kind.system(), e) : failedEcho(bench, kind.system(), e);
        }
    }

    private List<Row> measureNginx(String bench, String path, int conns) {
        String system = path.equals("/") ? "nginx-hello" : "nginx-static-file";
        String load = Machine.awaitQuiet(0.25, quick ? 0 : 5_000);
        out.printf("%s: %s (load %s)%n", bench, system, load);
        Nginx.Started nginx = null;
        try {
            nginx = Nginx.start(conns + 100);
            return drive(bench, system, nginx.child().pid(), nginx.port(), "http", path, conns, load);
        } catch (IOException | RuntimeException e) {
            return failedHttp(bench, system, e);
        } finally {
            if (nginx != null) {
                nginx.child().terminate();
            }
        }
    }

    private List<Row> drive(
            String bench, String system, long serverPid, int port, String mode, String path, int conns, String load)
            throws IOException {
        if (mode.equals("http") && Wrk.binary().isPresent()) {
            return driveWrk(bench, system, serverPid, port, path, conns, load);
        }
        List<String> args = List.of(
                "load",
                "--mode",
                mode,
                "--port",
                Integer.toString(port),
                "--conns",
                Integer.toString(conns),
                "--path",
                path,
                "--warmup-ms",
                Long.toString(warmupMillis()),
                "--measure-ms",
                Long.toString(measureMillis()));
        try (ChildJvm client =
                ChildJvm.start("load client", Pinning.pin(Pinning.CLIENT_CPU, ChildJvm.benchCommand("512m", args)))) {
            client.awaitLine("start");
            long cpu0 = ProcStat.cpuNanos(serverPid);
            client.awaitLine("end");
            long cpu1 = ProcStat.cpuNanos(serverPid);
            Map<String, String> r = parse(client.awaitLine("result "));
            long requests = Long.parseLong(r.get("requests"));
            double seconds = Double.parseDouble(r.get("seconds"));
            long errors = Long.parseLong(r.get("errors"));
            if (requests == 0) {
                throw new IOException("no round trip completed (" + errors + " connection errors)");
            }
            double cpuUsPerOp = (cpu1 - cpu0) / 1000.0 / requests;
            String note = errors == 0 ? null : errors + " connections failed";
            List<Row> rows = new ArrayList<>();
            rows.add(Row.ok(bench, system, "throughput", "ops/s", requests / seconds, null, true, load)
                    .withNote(note));
            if (mode.equals("http")) {
                rows.add(Row.ok(
                        bench, system, "latency-p50", "us", Double.parseDouble(r.get("p50us")), null, false, load));
                rows.add(Row.ok(
                        bench, system, "latency-p99", "us", Double.parseDouble(r.get("p99us")), null, false, load));
            }
            rows.add(Row.ok(bench, system, "cpu-per-op", "us", cpuUsPerOp, null, false, load)
                    .withNote("server CPU over the window, 10 ms ticks"));
            return rows;
        }
    }

    private List<Row> driveWrk(
            String bench, String system, long serverPid, int port, String path, int conns, String load)
            throws IOException {
        try {
            Wrk.run(port, path, conns, warmupMillis()); // warm-up, not recorded
            long cpu0 = ProcStat.cpuNanos(serverPid);
            Wrk.Result r = Wrk.run(port, path, conns, measureMillis());
            long cpu1 = ProcStat.cpuNanos(serverPid);
            if (r.requests() == 0) {
                throw new IOException("wrk completed no request (" + r.errors() + " errors)");
            }
            String note = "wrk -t1 -c" + conns + (r.errors() == 0 ? "" : ", " + r.errors() + " errors");
            return List.of(
                    Row.ok(bench, system, "throughput", "ops/s", r.requests() / r.seconds(), null, true, load)
                            .withNote(note),
                    Row.ok(bench, system, "latency-p50", "us", r.p50us(), null, false, load),
                    Row.ok(bench, system, "latency-p99", "us", r.p99us(), null, false, load),
                    Row.ok(bench, system, "cpu-per-op", "us", (cpu1 - cpu0) / 1000.0 / r.requests(), null, false, load)
                            .withNote("server CPU over the wrk run, 10 ms ticks"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static Map<String, String> parse(String kv) {
        Map<String, String> m = new HashMap<>();
        for (String part : kv.trim().split("\\s+")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                m.put(part.substring(0, eq), part.substring(eq + 1));
            }
        }
        return m;
    }

    private static List<Row> skippedEcho(String bench, String system, String reason) {
        return List.of(
                Row.skipped(bench, system, "throughput", "ops/s", true, reason),
                Row.skipped(bench, system, "cpu-per-op", "us", false, reason));
    }

    private static List<Row> skippedHttp(String bench, String system, String reason) {
        return List.of(
                Row.skipped(bench, system, "throughput", "ops/s", true, reason),
                Row.skipped(bench, system, "latency-p50", "us", false, reason),
                Row.skipped(bench, system, "latency-p99", "us", false, reason),
                Row.skipped(bench, system, "cpu-per-op", "us", false, reason));
    }

    private static List<Row> failedEcho(String bench, String system, Exception e) {
        String reason = oneLine(e);
        return List.of(
                Row.failed(bench, system, "throughput", "ops/s", true, reason),
                Row.failed(bench, system, "cpu-per-op", "us", false, reason));
    }

    private static List<Row> failedHttp(String bench, String system, Exception e) {
        String reason = oneLine(e);
        return List.of(
                Row.failed(bench, system, "throughput", "ops/s", true, reason),
                Row.failed(bench, system, "latency-p50", "us", false, reason),
                Row.failed(bench, system, "latency-p99", "us", false, reason),
                Row.failed(bench, system, "cpu-per-op", "us", false, reason));
    }

    static String oneLine(Throwable e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName()
                + (m == null ? "" : ": " + m.lines().findFirst().orElse(""));
    }
}

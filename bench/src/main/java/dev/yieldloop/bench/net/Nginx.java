package dev.yieldloop.bench.net;

import dev.yieldloop.bench.Pinning;
import dev.yieldloop.demo.server.SlowSiteServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * nginx as the peer that sets the bar for HTTP: one process, one worker ({@code master_process off}), access log
 * off, on 127.0.0.1, serving {@code /} as the same 13-byte hello and {@code /page/1} as a static file with the very
 * body the slow-site server sends for that path. Used only when an {@code nginx} binary is installed ({@code apt-get
 * install nginx-light}).
 *
 * <p>Not thread-safe: the bench's main thread.
 */
final class Nginx {

    private Nginx() {}

    /**
     * The nginx binary, if installed.
     *
     * @return its path, or empty
     */
    static Optional<Path> binary() {
        return Stream.of("/usr/sbin/nginx", "/usr/bin/nginx", "/usr/local/sbin/nginx", "/usr/local/bin/nginx")
                .map(Path::of)
                .filter(Files::isExecutable)
                .findFirst();
    }

    /**
     * Starts nginx pinned to the server CPU, in a fresh temporary prefix.
     *
     * @param maxConnections worker connections to allow
     * @return the child, and the port it serves on
     * @throws IOException if it cannot start or never listens
     */
    static Started start(int maxConnections) throws IOException {
        Path bin = binary().orElseThrow(() -> new IOException("nginx is not installed"));
        Path dir = Files.createTempDirectory("yieldloop-bench-nginx");
        Path root = Files.createDirectories(dir.resolve("www/page"));
        Files.write(root.resolve("1"), SlowSiteServer.body("/page/1", YieldloopServers.SLOW_SITE_BODY_BYTES));
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = probe.getLocalPort();
        }
        String conf = String.join(
                "\n",
                "daemon off;",
                "master_process off;",
                "worker_processes 1;",
                "worker_rlimit_nofile " + (maxConnections * 2 + 100) + ";",
                "pid " + dir.resolve("nginx.pid") + ";",
                "error_log stderr crit;",
                "events { worker_connections " + (maxConnections + 100) + "; }",
                "http {",
                "  access_log off;",
                "  default_type text/plain;",
                "  keepalive_requests 1000000;",
                "  client_body_temp_path " + dir + "/tmp;",
                "  proxy_temp_path " + dir + "/tmp;",
                "  fastcgi_temp_path " + dir + "/tmp;",
                "  uwsgi_temp_path " + dir + "/tmp;",
                "  scgi_temp_path " + dir + "/tmp;",
                "  server {",
                "    listen 127.0.0.1:" + port + " backlog=4096;",
                "    root " + dir.resolve("www") + ";",
                "    location = / { return 200 \"Hello, world!\"; }",
                "  }",
                "}",
                "");
        Path confFile = dir.resolve("nginx.conf");
        Files.writeString(confFile, conf);
        Files.createDirectories(dir.resolve("tmp"));
        ChildJvm child = ChildJvm.start(
                "nginx",
                Pinning.pin(
                        Pinning.SERVER_CPU, List.of(bin.toString(), "-p", dir.toString(), "-c", confFile.toString())));
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
                s.setSoLinger(true, 0); // a probe: close with a reset, leave no TIME_WAIT behind
                return new Started(child, port);
            } catch (IOException notYet) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        child.close();
        throw new IOException("nginx did not listen on 127.0.0.1:" + port + " within 10 s");
    }

    /**
     * A running nginx.
     *
     * @param child its process; closing it stops nginx
     * @param port where it listens on 127.0.0.1
     */
    record Started(ChildJvm child, int port) {}
}

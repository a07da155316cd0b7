package dev.yieldloop.bench.net;

import java.io.IOException;

/**
 * The servers the bench measures: TCP echo and HTTP/1.1 on Yieldloop, Netty, virtual threads and platform threads,
 * and the demo's slow-site server. Each starts on 127.0.0.1 on a free port inside a server JVM ({@link
 * ServeCommand}).
 *
 * <p>Thread-safe (an enum).
 */
public enum ServerKind {
    /** Echo on one Yieldloop event loop. */
    ECHO_YIELDLOOP("yieldloop", false),
    /** Echo on Netty's NIO transport, one event loop thread for accept and I/O. */
    ECHO_NETTY("netty", false),
    /** Echo with blocking sockets, one virtual thread per connection. */
    ECHO_VIRTUAL_THREADS("virtual-threads", true),
    /** Echo with blocking sockets, one platform thread per connection. */
    ECHO_PLATFORM_THREADS("platform-threads", false),
    /** A minimal HTTP/1.1 hello server on one Yieldloop event loop. */
    HTTP_YIELDLOOP_HELLO("yieldloop-hello", false),
    /** The same hello server on Netty's NIO transport, raw bytes (no HTTP codec), one event loop thread. */
    HTTP_NETTY_HELLO("netty-hello", false),
    /** The demo's slow-site server ({@code server --delay-ms 0}, 10 KiB bodies) on one Yieldloop event loop. */
    HTTP_SLOW_SITE("yieldloop-slow-site", false);

    private final String system;
    private final boolean needsVirtualThreads;

    ServerKind(String system, boolean needsVirtualThreads) {
        this.system = system;
        this.needsVirtualThreads = needsVirtualThreads;
    }

    /**
     * The system name in the report.
     *
     * @return e.g. {@code netty}
     */
    public String system() {
        return system;
    }

    /**
     * Whether this server needs JDK 21+.
     *
     * @return true for the virtual-thread server
     */
    public boolean needsVirtualThreads() {
        return needsVirtualThreads;
    }

    /**
     * Starts the server on 127.0.0.1 on a free port.
     *
     * @return the running server
     * @throws IOException if it cannot bind
     * @throws InterruptedException if interrupted while starting
     */
    public RunningServer start() throws IOException, InterruptedException {
        return switch (this) {
            case ECHO_YIELDLOOP -> YieldloopServers.echo();
            case ECHO_NETTY -> NettyServers.echo();
            case ECHO_VIRTUAL_THREADS -> BlockingEchoServer.start(true);
            case ECHO_PLATFORM_THREADS -> BlockingEchoServer.start(false);
            case HTTP_YIELDLOOP_HELLO -> YieldloopServers.hello();
            case HTTP_NETTY_HELLO -> NettyServers.hello();
            case HTTP_SLOW_SITE -> YieldloopServers.slowSite();
        };
    }
}

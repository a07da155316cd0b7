package dev.yieldloop.bench.net;

/**
 * A server under test, running inside the server JVM on 127.0.0.1.
 *
 * <p>Thread-safe.
 */
public interface RunningServer extends AutoCloseable {

    /**
     * The bound port.
     *
     * @return the TCP port on 127.0.0.1
     */
    int port();

    /** Stops serving; bounded in time, never throws. */
    @Override
    void close();
}

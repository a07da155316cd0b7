package dev.yieldloop.bench.micro;

import dev.yieldloop.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * {@code submit} round trip: the benchmark thread submits a callable to an idle loop on its own thread and blocks on
 * the result; one operation is one round trip, measured as average time. The round trip includes waking the loop from
 * its selector. Peer: Netty's {@code submit().get()} (NIO transport, one thread).
 *
 * <p>Thread-safe where stated: the caller is JMH's thread, the loops run on their own threads.
 */
@State(Scope.Thread)
public class SubmitBench {

    private EventLoop loop;
    private Thread loopThread;
    private MultiThreadIoEventLoopGroup netty;
    private io.netty.channel.EventLoop nettyLoop;

    /** Created by JMH. */
    public SubmitBench() {}

    /** Starts both loops. */
    @Setup(Level.Trial)
    public void open() {
        loop = new EventLoop();
        loopThread = loop.startThread();
        netty = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        nettyLoop = netty.next();
    }

    /**
     * Stops both loops.
     *
     * @throws InterruptedException if interrupted while joining
     */
    @TearDown(Level.Trial)
    public void close() throws InterruptedException {
        loop.stop();
        loopThread.join(5_000);
        loop.close();
        netty.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
    }

    /**
     * Yieldloop {@link EventLoop#submit}{@code .get()}.
     *
     * @return the callable's value
     * @throws InterruptedException if interrupted
     * @throws ExecutionException never: the callable cannot fail
     */
    @Benchmark
    public int yieldloop() throws InterruptedException, ExecutionException {
        return loop.submit(() -> 1).get();
    }

    /**
     * Netty {@code submit().get()}.
     *
     * @return the callable's value
     * @throws InterruptedException if interrupted
     * @throws ExecutionException never: the callable cannot fail
     */
    @Benchmark
    public int netty() throws InterruptedException, ExecutionException {
        return nettyLoop.submit(() -> 1).get();
    }
}

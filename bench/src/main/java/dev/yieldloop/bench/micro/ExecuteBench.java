package dev.yieldloop.bench.micro;

import dev.yieldloop.EventLoop;
import dev.yieldloop.LoopOptions;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.jctools.queues.atomic.MpscUnboundedAtomicArrayQueue;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Cross-thread {@code execute}: the benchmark thread hands {@value #BATCH} callbacks to a loop running on its own
 * thread and waits until the loop ran the last; one operation is one callback. Peers: Netty's event loop {@code
 * execute} (NIO transport, one thread) and, as the limit of the design, a bare JCTools MPSC queue (the very queue
 * class of Yieldloop's inbox) drained by a spinning consumer thread that never sleeps in a selector.
 *
 * <p>Thread-safe where stated: the producer is JMH's thread, the consumers are the loops' threads.
 */
@State(Scope.Thread)
public class ExecuteBench {

    /** Callbacks per invocation. */
    public static final int BATCH = 100_000;

    /**
     * {@code on}: the loop's defaults, slow-step watchdog included; {@code off}: {@code withSlowStepThreshold(ZERO)},
     * to show what the watchdog's per-step bookkeeping costs.
     */
    @Param("on")
    public String watchdog;

    private EventLoop loop;
    private Thread loopThread;
    private MultiThreadIoEventLoopGroup netty;
    private io.netty.channel.EventLoop nettyLoop;
    private MpscUnboundedAtomicArrayQueue<Runnable> queue;
    private Thread drainer;
    private volatile boolean draining;
    private long ran; // touched by the consumer thread only; published through the latch

    /** Created by JMH. */
    public ExecuteBench() {}

    /** Starts the three consumers. */
    @Setup(Level.Trial)
    public void open() {
        loop = new EventLoop(
                watchdog.equals("off")
                        ? LoopOptions.defaults().withSlowStepThreshold(java.time.Duration.ZERO)
                        : LoopOptions.defaults());
        loopThread = loop.startThread();
        netty = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        nettyLoop = netty.next();
        queue = new MpscUnboundedAtomicArrayQueue<>(1024);
        draining = true;
        drainer = new Thread(
                () -> {
                    while (draining) {
                        if (queue.drain(Runnable::run) == 0) {
                            Thread.onSpinWait();
                        }
                    }
                },
                "jctools-drain");
        drainer.start();
    }

    /**
     * Stops the consumers.
     *
     * @throws InterruptedException if interrupted while joining
     */
    @TearDown(Level.Trial)
    public void close() throws InterruptedException {
        loop.stop();
        loopThread.join(5_000);
        loop.close();
        netty.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
        draining = false;
        drainer.join(5_000);
    }

    /**
     * Yieldloop {@link EventLoop#execute}.
     *
     * @return callbacks run
     * @throws InterruptedException if interrupted while waiting
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long yieldloop() throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        Runnable tick = () -> ran++;
        for (int i = 1; i < BATCH; i++) {
            loop.execute(tick);
        }
        loop.execute(done::countDown);
        done.await();
        return ran;
    }

    /**
     * Netty {@code EventLoop.execute}.
     *
     * @return callbacks run
     * @throws InterruptedException if interrupted while waiting
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long netty() throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        Runnable tick = () -> ran++;
        for (int i = 1; i < BATCH; i++) {
            nettyLoop.execute(tick);
        }
        nettyLoop.execute(done::countDown);
        done.await();
        return ran;
    }

    /**
     * A bare JCTools MPSC queue and a spinning drain.
     *
     * @return callbacks run
     * @throws InterruptedException if interrupted while waiting
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long jctoolsDrain() throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        Runnable tick = () -> ran++;
        for (int i = 1; i < BATCH; i++) {
            queue.offer(tick);
        }
        queue.offer(done::countDown);
        while (!done.await(10, TimeUnit.MILLISECONDS)) {
            LockSupport.parkNanos(1_000);
        }
        return ran;
    }
}

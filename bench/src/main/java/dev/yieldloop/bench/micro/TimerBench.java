package dev.yieldloop.bench.micro;

import dev.yieldloop.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.HashedWheelTimer;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * Timer schedule + fire: {@code timers} timers with delays spread uniformly over [0, 1 ms) are scheduled at once and
 * run until the last one fired; one operation is one timer. Peers: Netty's event loop {@code schedule} (NIO
 * transport, one thread, scheduled from its own thread) and Netty's {@link HashedWheelTimer} (1 ms tick, 512 buckets,
 * scheduled from the benchmark thread, fired on the wheel's thread). The benchmark methods return the count fired;
 * JMH divides the invocation time by the {@code timers} parameter through {@link #perInvocation(BenchmarkParams)}.
 *
 * <p>Loop thread only: JMH's benchmark thread is Yieldloop's loop thread.
 */
@State(Scope.Thread)
public class TimerBench {

    /** Timers per invocation. */
    @Param("1000000")
    public int timers;

    private long[] delaysNanos;
    private EventLoop loop;
    private MultiThreadIoEventLoopGroup netty;
    private io.netty.channel.EventLoop nettyLoop;
    private HashedWheelTimer wheel;
    private int fired;

    /** Created by JMH. */
    public TimerBench() {}

    /** Draws the delays and opens the loops. */
    @Setup(Level.Trial)
    public void open() {
        SplittableRandom random = new SplittableRandom(42);
        delaysNanos = new long[timers];
        for (int i = 0; i < timers; i++) {
            delaysNanos[i] = random.nextLong(1_000_000L);
        }
        loop = new EventLoop();
        netty = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        nettyLoop = netty.next();
        wheel = new HashedWheelTimer(Thread::new, 1, TimeUnit.MILLISECONDS, 512);
        wheel.start();
    }

    /**
     * Closes the loops.
     *
     * @throws InterruptedException if interrupted while Netty shuts down
     */
    @TearDown(Level.Trial)
    public void close() throws InterruptedException {
        loop.close();
        netty.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
        wheel.stop();
    }

    /**
     * Yieldloop {@link EventLoop#scheduleAfter}.
     *
     * @return timers fired
     */
    @Benchmark
    public int yieldloop() {
        fired = 0;
        Runnable tick = () -> fired++;
        for (long d : delaysNanos) {
            loop.scheduleAfter(d, TimeUnit.NANOSECONDS, tick);
        }
        while (fired < timers) {
            loop.runOnce();
        }
        return fired;
    }

    /**
     * Netty event loop {@code schedule}, from its own thread.
     *
     * @return timers fired
     * @throws InterruptedException if interrupted while waiting
     */
    @Benchmark
    public int nettySchedule() throws InterruptedException {
        Count count = new Count(timers);
        nettyLoop.execute(() -> {
            Runnable tick = count::tick;
            for (long d : delaysNanos) {
                nettyLoop.schedule(tick, d, TimeUnit.NANOSECONDS);
            }
        });
        count.done.await();
        return count.n;
    }

    /**
     * Netty {@link HashedWheelTimer#newTimeout}.
     *
     * @return timers fired
     * @throws InterruptedException if interrupted while waiting
     */
    @Benchmark
    public int hashedWheelTimer() throws InterruptedException {
        Count count = new Count(timers);
        for (long d : delaysNanos) {
            wheel.newTimeout(t -> count.tick(), d, TimeUnit.NANOSECONDS);
        }
        count.done.await();
        return count.n;
    }

    /**
     * How many operations one invocation is, for the report.
     *
     * @param params JMH's parameters of the run
     * @return the {@code timers} parameter
     */
    public static int perInvocation(BenchmarkParams params) {
        return Integer.parseInt(params.getParam("timers"));
    }

    /** Counts fired timers on one thread and opens a latch at the last. */
    private static final class Count {
        final int target;
        final CountDownLatch done = new CountDownLatch(1);
        int n;

        Count(int target) {
            this.target = target;
        }

        void tick() {
            if (++n == target) {
                done.countDown();
            }
        }
    }
}

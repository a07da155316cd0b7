package dev.yieldloop.bench.micro;

import dev.yieldloop.Coroutine;
import dev.yieldloop.EventLoop;
import dev.yieldloop.LoopOptions;
import dev.yieldloop.Step;
import dev.yieldloop.bench.VirtualThreadSupport;
import java.util.concurrent.ThreadFactory;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Spawn + complete: a batch of {@value #BATCH} tasks that finish in their first step, run to completion; one operation
 * is one task. The peer starts and joins a batch of virtual threads with an empty body (one carrier, as for {@link
 * YieldBench}).
 *
 * <p>Loop thread only: JMH's benchmark thread is the loop thread.
 */
@State(Scope.Thread)
public class SpawnBench {

    /** Tasks per batch. */
    public static final int BATCH = 1000;

    /**
     * {@code on}: the loop's defaults, slow-step watchdog included; {@code off}: {@code withSlowStepThreshold(ZERO)},
     * to show what the watchdog's per-step bookkeeping costs.
     */
    @Param("on")
    public String watchdog;

    private EventLoop loop;
    private int finished;
    private final Coroutine<Void> body = () -> {
        finished++;
        return Step.done(null);
    };

    /** Created by JMH. */
    public SpawnBench() {}

    /** Opens the loop on the benchmark thread. */
    @Setup(Level.Trial)
    public void open() {
        loop = new EventLoop(
                watchdog.equals("off")
                        ? LoopOptions.defaults().withSlowStepThreshold(java.time.Duration.ZERO)
                        : LoopOptions.defaults());
    }

    /** Closes the loop. */
    @TearDown(Level.Trial)
    public void close() {
        loop.close();
    }

    /**
     * Yieldloop: spawn a batch and run the loop until every task is done.
     *
     * @return the finished count
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int yieldloop() {
        finished = 0;
        for (int i = 0; i < BATCH; i++) {
            loop.spawn("s", body);
        }
        while (finished < BATCH) {
            loop.runNow();
        }
        return finished;
    }

    /**
     * Virtual threads: start a batch and join them all.
     *
     * @return the number joined
     * @throws InterruptedException if interrupted while joining
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int virtualThreads() throws InterruptedException {
        ThreadFactory factory = VirtualThreadSupport.factory();
        Thread[] threads = new Thread[BATCH];
        Runnable empty = () -> {};
        for (int i = 0; i < BATCH; i++) {
            threads[i] = factory.newThread(empty);
            threads[i].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        return threads.length;
    }
}

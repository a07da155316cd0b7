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
 * Yield switches: {@value #TASKS} tasks each give up the thread {@value #YIELDS} times; one operation is one switch.
 * Yieldloop's hand-written coroutine returns {@link Step#yieldNow()} (asyncio's {@code await asyncio.sleep(0)}); the
 * peer is {@link Thread#yield()} on virtual threads, run on one carrier thread by the fork's {@code
 * -Djdk.virtualThreadScheduler.parallelism=1}.
 *
 * <p>Loop thread only: JMH's benchmark thread is the loop thread.
 */
@State(Scope.Thread)
public class YieldBench {

    /** Tasks per operation batch. */
    public static final int TASKS = 1000;

    /** Yields per task. */
    public static final int YIELDS = 100;

    /**
     * {@code on}: the loop's defaults, slow-step watchdog included; {@code off}: {@code withSlowStepThreshold(ZERO)},
     * to show what the watchdog's per-step bookkeeping costs.
     */
    @Param("on")
    public String watchdog;

    private EventLoop loop;
    private int finished;

    /** Created by JMH. */
    public YieldBench() {}

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
     * Yieldloop, hand-written coroutines.
     *
     * @return the finished count, so the work is not dead code
     */
    @Benchmark
    @OperationsPerInvocation(TASKS * YIELDS)
    public int yieldloopCoroutine() {
        finished = 0;
        for (int i = 0; i < TASKS; i++) {
            loop.spawn("y", new Coroutine<Void>() {
                private int left = YIELDS;

                @Override
                public Step<Void> resume() {
                    if (left-- > 0) {
                        return Step.yieldNow();
                    }
                    finished++;
                    return Step.done(null);
                }
            });
        }
        while (finished < TASKS) {
            loop.runNow();
        }
        return finished;
    }

    /**
     * Virtual threads calling {@link Thread#yield()}.
     *
     * @return the number of threads joined
     * @throws InterruptedException if interrupted while joining
     */
    @Benchmark
    @OperationsPerInvocation(TASKS * YIELDS)
    public int virtualThreads() throws InterruptedException {
        ThreadFactory factory = VirtualThreadSupport.factory();
        Thread[] threads = new Thread[TASKS];
        Runnable body = () -> {
            for (int y = 0; y < YIELDS; y++) {
                Thread.yield();
            }
        };
        for (int i = 0; i < TASKS; i++) {
            threads[i] = factory.newThread(body);
            threads[i].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        return threads.length;
    }
}

package dev.yieldloop.bench.micro;

import dev.yieldloop.EventLoop;
import dev.yieldloop.Promise;
import java.util.concurrent.CompletableFuture;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A promise chain of {@value #LENGTH} {@code map}s, built, completed at its head and run until its tail is done; one
 * operation is one link. The peer is the same chain of {@link CompletableFuture#thenApply}.
 *
 * <p>Loop thread only: JMH's benchmark thread is the loop thread.
 */
@State(Scope.Thread)
public class PromiseChainBench {

    /** Links per chain. */
    public static final int LENGTH = 1000;

    private EventLoop loop;

    /** Created by JMH. */
    public PromiseChainBench() {}

    /** Opens the loop on the benchmark thread. */
    @Setup(Level.Trial)
    public void open() {
        loop = new EventLoop();
    }

    /** Closes the loop. */
    @TearDown(Level.Trial)
    public void close() {
        loop.close();
    }

    /**
     * Yieldloop {@link Promise#map}.
     *
     * @return the tail's value
     */
    @Benchmark
    @OperationsPerInvocation(LENGTH)
    public int yieldloop() {
        Promise<Integer> head = loop.newPromise();
        Promise<Integer> p = head;
        for (int i = 0; i < LENGTH; i++) {
            p = p.map(x -> x + 1);
        }
        head.complete(0);
        while (!p.isDone()) {
            loop.runNow();
        }
        return p.result();
    }

    /**
     * {@link CompletableFuture#thenApply}.
     *
     * @return the tail's value
     */
    @Benchmark
    @OperationsPerInvocation(LENGTH)
    public int completableFuture() {
        CompletableFuture<Integer> head = new CompletableFuture<>();
        CompletableFuture<Integer> p = head;
        for (int i = 0; i < LENGTH; i++) {
            p = p.thenApply(x -> x + 1);
        }
        head.complete(0);
        return p.join();
    }
}

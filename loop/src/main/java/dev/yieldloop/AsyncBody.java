package dev.yieldloop;

/**
 * The body of a straight-line task, run by {@link EventLoop#spawnAsync(String, AsyncBody)}: ordinary sequential code in
 * which every point where the task gives up the loop thread is a visible call on its {@link Await} parameter.
 *
 * <p>The {@code Await} parameter is the marker that says "this code may suspend", as Kotlin's {@code suspend} or
 * Python's {@code async def} colours a function: code that is not handed an {@code Await} cannot suspend the task.
 *
 * <pre>{@code
 * Task<String> t = loop.spawnAsync("greet", a -> {
 *     a.sleep(Duration.ofMillis(10));          // a marked point: the loop runs others meanwhile
 *     TcpConnection c = a.await(TcpConnection.connect(loop, address));
 *     try (c) {
 *         return a.await(c.readLine(1024));    // another marked point
 *     }
 * });
 * }</pre>
 *
 * <p>Threading: the body runs as the loop thread: while it runs, no other task or callback of its loop does, and the
 * loop's confinement checks pass inside it.
 *
 * @param <T> the type of the task's value
 */
@FunctionalInterface
public interface AsyncBody<T> {

    /**
     * Runs the task's body from start to end, suspending only inside {@code await}'s methods.
     *
     * @param await the task's only way to suspend; valid only inside this call
     * @return the task's value, may be null
     * @throws Exception to fail the task with that exception, as is (a {@link java.util.concurrent.CancellationException}
     *     ends it cancelled)
     */
    T run(Await await) throws Exception;
}

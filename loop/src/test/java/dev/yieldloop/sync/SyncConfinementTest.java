package dev.yieldloop.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.yieldloop.Coroutine;
import dev.yieldloop.EventLoop;
import dev.yieldloop.Step;
import dev.yieldloop.testing.FakeClock;
import dev.yieldloop.testing.LoopLeakCheck;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every loop-only method of the sync primitives fails fast off the loop thread (STYLE habit 6). */
class SyncConfinementTest {

    @RegisterExtension
    final LoopLeakCheck loops = new LoopLeakCheck();

    private final EventLoop loop = loops.newLoop(new FakeClock());

    @Test
    void everyLoopOnlyMethodRefusesACallFromAnotherThread() throws Exception {
        Semaphore semaphore = new Semaphore(loop, 1, "s");
        Lock lock = new Lock(loop, "l");
        Queue<String> queue = new Queue<>(loop, 1, "q");
        Event event = new Event(loop, "e");
        TaskScope scope = TaskScope.open(loop, "scope");
        Coroutine<String> body = () -> Step.done("x");

        Map<String, Runnable> loopOnly = new LinkedHashMap<>();
        loopOnly.put("new Semaphore", () -> new Semaphore(loop, 1, "x"));
        loopOnly.put("Semaphore.acquire", semaphore::acquire);
        loopOnly.put("Semaphore.tryAcquire", semaphore::tryAcquire);
        loopOnly.put("Semaphore.release", semaphore::release);
        loopOnly.put("Semaphore.available", semaphore::available);
        loopOnly.put("Semaphore.waiters", semaphore::waiters);
        loopOnly.put("Semaphore.withPermit", () -> semaphore.withPermit(() -> Step.done(null)));
        loopOnly.put("new Lock", () -> new Lock(loop, "x"));
        loopOnly.put("Lock.acquire", lock::acquire);
        loopOnly.put("Lock.tryAcquire", lock::tryAcquire);
        loopOnly.put("Lock.release", lock::release);
        loopOnly.put("Lock.isLocked", lock::isLocked);
        loopOnly.put("Lock.waiters", lock::waiters);
        loopOnly.put("new Queue", () -> new Queue<String>(loop, 1, "x"));
        loopOnly.put("Queue.put", () -> queue.put("x"));
        loopOnly.put("Queue.tryPut", () -> queue.tryPut("x"));
        loopOnly.put("Queue.take", queue::take);
        loopOnly.put("Queue.tryTake", queue::tryTake);
        loopOnly.put("Queue.size", queue::size);
        loopOnly.put("Queue.waitingTakers", queue::waitingTakers);
        loopOnly.put("Queue.waitingPutters", queue::waitingPutters);
        loopOnly.put("new Event", () -> new Event(loop, "x"));
        loopOnly.put("Event.set", event::set);
        loopOnly.put("Event.clear", event::clear);
        loopOnly.put("Event.isSet", event::isSet);
        loopOnly.put("Event.await", event::await);
        loopOnly.put("Event.waiters", event::waiters);
        loopOnly.put("TaskScope.open", () -> TaskScope.open(loop, "x"));
        loopOnly.put("TaskScope.spawn", () -> scope.spawn("x", body));
        loopOnly.put("TaskScope.join", scope::join);
        loopOnly.put("TaskScope.cancel", scope::cancel);
        loopOnly.put("TaskScope.activeChildren", scope::activeChildren);
        loopOnly.put("TaskScope.isClosed", scope::isClosed);
        loopOnly.put("TaskScope.isCancelled", scope::isCancelled);

        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            for (Map.Entry<String, Runnable> call : loopOnly.entrySet()) {
                Throwable thrown = null;
                try {
                    other.submit(call.getValue()).get(10, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    thrown = e.getCause();
                }
                assertThat(thrown)
                        .as(call.getKey())
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessageStartingWith(call.getKey() + " must be called on the loop thread");
            }
            // The few thread-safe accessors answer from anywhere.
            assertThat(other.submit(() -> semaphore.permits() + " " + semaphore.description() + " "
                                    + lock.description() + " " + queue.capacity() + " " + queue.description() + " "
                                    + event.description() + " " + scope.name())
                            .get(10, TimeUnit.SECONDS))
                    .isEqualTo("1 s l 1 q e scope");
        } finally {
            other.shutdownNow();
            assertThat(other.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(semaphore.available()).as("nothing changed").isEqualTo(1);
        assertThat(scope.activeChildren()).isZero();
    }
}

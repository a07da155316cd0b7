package dev.yieldloop.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.yieldloop.EventLoop;
import dev.yieldloop.Promise;
import dev.yieldloop.Task;
import dev.yieldloop.Timer;
import dev.yieldloop.testing.LoopLeakCheck;
import java.nio.channels.Pipe;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The loop thread guard: the one confinement check behind every loop-only method. On the loop thread it passes; on any
 * other thread it throws {@link IllegalStateException} naming the operation, both threads and the way out.
 */
class LoopThreadTest {

    @RegisterExtension
    final LoopLeakCheck loops = new LoopLeakCheck();

    /** What {@code call} throws when run on a fresh thread named "intruder", or null. */
    private static Throwable offThread(ThrowingRunnable call) throws Exception {
        CompletableFuture<Throwable> thrown = new CompletableFuture<>();
        Thread t = new Thread(() -> thrown.complete(catchThrowable(call::run)), "intruder");
        t.start();
        return thrown.get(30, TimeUnit.SECONDS);
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    void passesOnTheOwnerThreadAndFailsElsewhereWithAClearMessage() throws Exception {
        LoopThread guard = new LoopThread("demo", Thread.currentThread());

        assertThatCode(() -> guard.check("Thing.op")).doesNotThrowAnyException();
        assertThat(guard.isCurrent()).isTrue();

        Throwable off = offThread(() -> guard.check("Thing.op"));
        assertThat(off)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("Thing.op must be called on the loop thread ("
                        + Thread.currentThread().getName()
                        + "), not on intruder; other threads use execute() or submit()");
    }

    @Test
    void moveToHandsTheLoopThreadOver() throws Exception {
        LoopThread guard = new LoopThread("demo", Thread.currentThread());
        Thread other = new Thread(() -> {}, "next owner");

        guard.moveTo(other);

        assertThat(guard.owner()).isSameAs(other);
        assertThat(guard.isCurrent()).isFalse();
        assertThat(catchThrowable(() -> guard.check("Thing.op")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("(next owner)");
        guard.moveTo(Thread.currentThread());
        assertThat(guard.isCurrent()).isTrue();
        assertThat(guard)
                .hasToString(
                        "loop thread of \"demo\": " + Thread.currentThread().getName());
    }

    @Test
    void tasksPromisesAndTimersRefuseEveryOtherThread() throws Exception {
        EventLoop loop = loops.newLoop();
        Promise<String> promise = loop.newPromise("p");
        Task<String> task = loop.spawnAsync("t", a -> a.await(promise));
        Timer timer = loop.scheduleAfter(1, TimeUnit.HOURS, () -> {});

        for (Callable<?> call : new Callable<?>[] {
            task::state,
            promise::isDone,
            timer::isPending,
            timer::deadlineNanos,
            timer::cancel,
            () -> promise.complete("x")
        }) {
            assertThat(offThread(call::call))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("must be called on the loop thread")
                    .hasMessageContaining("not on intruder");
        }
        assertThat(timer.isPending())
                .as("the refused cancel left the timer alone")
                .isTrue();
        assertThat(promise.isDone())
                .as("the refused complete left the promise alone")
                .isFalse();

        timer.cancel();
        promise.complete("done");
        assertThat(loop.runUntilComplete(task.promise())).isEqualTo("done");
    }

    @Test
    void aRegistrationRefusesEveryOtherThreadEvenForItsChannel() throws Exception {
        EventLoop loop = loops.newLoop();
        Pipe pipe = Pipe.open();
        try (Pipe.SourceChannel source = pipe.source()) {
            source.configureBlocking(false);
            IoRegistration registration = LoopInternals.register(loop, source, "pipe", ops -> {});

            for (Callable<?> call : new Callable<?>[] {registration::channel, registration::interestOps}) {
                assertThat(offThread(call::call))
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessageStartingWith("IoRegistration.")
                        .hasMessageContaining("must be called on the loop thread");
            }
            assertThat(offThread(registration::sharedReadBuffer))
                    .hasMessageStartingWith("IoRegistration.sharedReadBuffer must be called on the loop thread");
            assertThat(registration.channel()).isSameAs(source);
            registration.cancel();
        } finally {
            pipe.sink().close();
        }
    }
}

package dev.yieldloop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.yieldloop.testing.LoopLeakCheck;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The README's "A first task" example, verbatim, so the front page cannot rot. */
class ReadmeExampleTest {

    @RegisterExtension
    final LoopLeakCheck loops = new LoopLeakCheck();

    @Test
    // The example's while loop has no bound of its own, and the loop clears interrupts; a separate thread lets the
    // timeout fail the test even so.
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void firstTaskExampleRunsAsShown() {
        EventLoop loop = new EventLoop();
        loops.adopt(loop);
        Task<String> hello = loop.spawn("hello", new Coroutine<>() {
            private Promise<Void> nap;

            @Override
            public Step<String> resume() {
                if (nap == null) {
                    nap = loop.sleep(Duration.ofMillis(10));
                    return Step.await(nap); // a marked point: the loop runs others meanwhile
                }
                return Step.done("hello after a nap");
            }
        });
        while (!hello.promise().isDone()) {
            loop.runOnce();
        }
        assertThat(hello.promise().result()).isEqualTo("hello after a nap");
        loop.close();
    }
}

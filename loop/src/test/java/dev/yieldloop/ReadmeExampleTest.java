package dev.yieldloop;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The README's "A first task" example, verbatim, so the front page cannot rot. */
class ReadmeExampleTest {

    @Test
    void firstTaskExampleRunsAsShown() {
        EventLoop loop = new EventLoop();
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

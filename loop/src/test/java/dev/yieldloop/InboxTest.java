package dev.yieldloop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.yieldloop.testing.Idle;
import dev.yieldloop.testing.LoopLeakCheck;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Work submitted from other threads runs exactly once, in order per producer, and a lone submit into an idle loop is
 * not lost: the inbox under concurrent producers, and the wake-up protocol of {@link Inbox}.
 */
class InboxTest {

    @RegisterExtension
    final LoopLeakCheck loops = new LoopLeakCheck();

    @Test
    void everySubmissionFromTwoProducersRunsExactlyOnceInProducerOrder() throws Exception {
        EventLoop loop = loops.newLoop();
        int perProducer = 500_000;
        long[] lastSeen = {-1, -1};
        long[] count = {0, 0};
        boolean[] outOfOrder = {false};
        Thread loopThread = loop.startThread();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> producers = new ArrayList<>();
        for (int p = 0; p < 2; p++) {
            int producer = p;
            Thread t = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (long i = 0; i < perProducer; i++) {
                    long seq = i;
                    loop.execute(() -> {
                        // runs on the loop thread: plain fields are safe there
                        if (seq != lastSeen[producer] + 1) {
                            outOfOrder[0] = true;
                        }
                        lastSeen[producer] = seq;
                        count[producer]++;
                    });
                }
            });
            producers.add(t);
            t.start();
        }
        start.countDown();
        for (Thread t : producers) {
            t.join(30_000);
        }
        CompletableFuture<long[]> counts = loop.submit(() -> new long[] {count[0], count[1]});
        assertThat(counts.get(30, TimeUnit.SECONDS)).containsExactly(perProducer, perProducer);
        assertThat(loop.submit(() -> outOfOrder[0]).get(5, TimeUnit.SECONDS)).isFalse();
        loop.stop();
        loopThread.join(30_000);
    }

    @Test
    void loneSubmitIntoAnIdleLoopRunsPromptly() throws Exception {
        // The loop has no timer, so once idle it blocks in select with no timeout: only the inbox's wake-up can make
        // it run a submission. A lost wake-up leaves the submission waiting forever, and the bounded get fails.
        EventLoop loop = loops.newLoop();
        Thread loopThread = loop.startThread();
        for (int i = 0; i < 20; i++) {
            await().atMost(Duration.ofSeconds(20)).until(() -> Idle.blockedInSelect(loopThread));
            CompletableFuture<Integer> ran = loop.submit(() -> 1);
            assertThat(ran.get(20, TimeUnit.SECONDS))
                    .as("submission %d into an idle loop ran", i)
                    .isEqualTo(1);
        }
        loop.stop();
        loopThread.join(30_000);
    }

    @Test
    void stopFromAnotherThreadWakesABlockedLoop() throws Exception {
        EventLoop loop = loops.newLoop();
        Thread loopThread = loop.startThread();
        assertThat(loop.submit(() -> "up").get(5, TimeUnit.SECONDS)).isEqualTo("up");
        loop.stop();
        loopThread.join(5_000);
        assertThat(loopThread.isAlive()).isFalse();
    }
}

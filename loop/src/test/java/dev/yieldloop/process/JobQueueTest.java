package dev.yieldloop.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.yieldloop.EventLoop;
import dev.yieldloop.Promise;
import dev.yieldloop.testing.LoopLeakCheck;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The pool's job queue alone, with no worker: its bound, its refusals, cancellation and draining. */
class JobQueueTest {

    @RegisterExtension
    final LoopLeakCheck loops = new LoopLeakCheck();

    private static JobQueue queue(EventLoop loop, int maxQueued) {
        return new JobQueue(loop, ProcessPoolOptions.defaults().withWorkers(1).withMaxQueuedJobs(maxQueued), null);
    }

    @Test
    void jobsWaitInOrderUpToTheBoundThenTheNextIsRejectedAtOnce() {
        EventLoop loop = loops.newLoop();
        JobQueue q = queue(loop, 2);
        Promise<Long> first = q.submit(TestJobs.SumOfSquares.class, 1L, null);
        Promise<Long> second = q.submit(TestJobs.SumOfSquares.class, 2L, null);
        Promise<Long> third = q.submit(TestJobs.SumOfSquares.class, 3L, null);
        assertThat(first.isDone()).isFalse();
        assertThat(second.isDone()).isFalse();
        assertThat(third.failure())
                .isInstanceOf(RejectedExecutionException.class)
                .hasMessageContaining("2 jobs waiting");
        assertThat(q.size()).isEqualTo(2);
        List<PendingJob<?, ?>> drained = q.drain();
        assertThat(drained).extracting(j -> j.id).containsExactly(1L, 2L);
        assertThat(q.size()).isZero();
    }

    @Test
    void aBrokenPoolFailsTheJobWithItsReason() {
        EventLoop loop = loops.newLoop();
        JobQueue q = queue(loop, 4);
        Promise<Long> job = q.submit(TestJobs.SumOfSquares.class, 1L, "too many crashes");
        assertThat(job.failure()).isInstanceOf(ProcessPoolBrokenException.class).hasMessage("too many crashes");
        assertThat(q.size()).isZero();
    }

    @Test
    void cancellingAQueuedJobRemovesIt() {
        EventLoop loop = loops.newLoop();
        JobQueue q = queue(loop, 4);
        Promise<Long> job = q.submit(TestJobs.SumOfSquares.class, 1L, null);
        Promise<Long> kept = q.submit(TestJobs.SumOfSquares.class, 2L, null);
        job.cancel();
        assertThat(q.size()).isEqualTo(1);
        assertThat(q.drain()).singleElement().extracting(j -> j.promise).isSameAs(kept);
    }

    @Test
    void aNullArgumentFailsThePromiseAndAClassWithoutAPublicConstructorIsRefused() {
        EventLoop loop = loops.newLoop();
        JobQueue q = queue(loop, 4);
        assertThat(q.submit(TestJobs.SumOfSquares.class, null, null).failure())
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> q.submit(TestJobs.LongJob.class, 1L, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("public no-argument constructor");
        assertThat(q.size()).isZero();
    }
}

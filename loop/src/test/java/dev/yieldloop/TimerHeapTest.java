package dev.yieldloop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.yieldloop.internal.LoopThread;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The timer heap against a sorted reference: order by (deadline, sequence), eager removal, indexes kept. */
class TimerHeapTest {

    private final LoopThread loopThread = new LoopThread("test", Thread.currentThread());
    private final TimerHeap heap = new TimerHeap();
    private long nextSequence;

    private Timer timer(long deadline) {
        return new Timer(loopThread, heap, deadline, nextSequence++, () -> {});
    }

    private static final Comparator<Timer> ORDER = (a, b) -> {
        long d = a.deadlineNanos - b.deadlineNanos;
        return d != 0 ? Long.signum(d) : Long.compare(a.sequence, b.sequence);
    };

    @Test
    void pollsInDeadlineThenSchedulingOrderWithRandomCancellations() {
        SplittableRandom random = new SplittableRandom(7);
        TreeSet<Timer> reference = new TreeSet<>(ORDER);
        List<Timer> live = new ArrayList<>();
        for (int round = 0; round < 20_000; round++) {
            int op = random.nextInt(10);
            if (op < 6) {
                // few distinct deadlines, so ties (ordered by sequence) are common
                Timer t = timer(random.nextLong(50));
                heap.add(t);
                reference.add(t);
                live.add(t);
            } else if (op < 8 && !live.isEmpty()) {
                Timer t = live.remove(random.nextInt(live.size()));
                assertThat(heap.remove(t)).isTrue();
                assertThat(heap.remove(t)).as("second removal").isFalse();
                assertThat(t.heapIndex).isEqualTo(-1);
                reference.remove(t);
            } else if (!reference.isEmpty()) {
                Timer expected = reference.pollFirst();
                assertThat(heap.peek()).isSameAs(expected);
                assertThat(heap.poll()).isSameAs(expected);
                assertThat(expected.heapIndex).isEqualTo(-1);
                live.remove(expected);
            }
            assertThat(heap.size()).isEqualTo(reference.size());
        }
        while (!reference.isEmpty()) {
            assertThat(heap.poll()).isSameAs(reference.pollFirst());
        }
        assertThat(heap.poll()).isNull();
        assertThat(heap.isEmpty()).isTrue();
    }

    @Test
    void deadlinesAcrossNanoTimeWrapStayInOrder() {
        Timer late = timer(Long.MIN_VALUE + 10); // after the wrap: 20 ns later than `early`
        Timer early = timer(Long.MAX_VALUE - 9);
        Timer mid = timer(Long.MAX_VALUE);
        heap.add(late);
        heap.add(mid);
        heap.add(early);
        assertThat(heap.poll()).isSameAs(early);
        assertThat(heap.poll()).isSameAs(mid);
        assertThat(heap.poll()).isSameAs(late);
    }

    @Test
    void equalDeadlinesFireInSchedulingOrder() {
        List<Timer> timers = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            Timer t = timer(5);
            timers.add(t);
        }
        for (int i = timers.size() - 1; i >= 0; i--) {
            heap.add(timers.get(i)); // added in reverse: the sequence decides, not the insertion order
        }
        for (Timer t : timers) {
            assertThat(heap.poll()).isSameAs(t);
        }
    }

    @Test
    void clearMarksEveryTimerNotPending() {
        List<Timer> timers = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            Timer t = timer(i % 7);
            heap.add(t);
            timers.add(t);
        }
        heap.clear();
        assertThat(heap.size()).isZero();
        assertThat(timers).allSatisfy(t -> assertThat(t.heapIndex).isEqualTo(-1));
        assertThat(heap.remove(timers.get(3))).isFalse();
    }
}

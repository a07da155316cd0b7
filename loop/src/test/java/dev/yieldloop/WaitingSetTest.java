package dev.yieldloop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The waiting set: O(1) membership, tasks listed in the order they began to wait, and no task in it twice. */
class WaitingSetTest {

    private final EventLoop loop = new EventLoop();
    private final WaitingSet set = new WaitingSet();

    @AfterEach
    void close() {
        loop.runNow(); // the spawned tasks finish, so the loop closes with nothing alive
        loop.close();
        assertThat(loop.tasksCancelledByClose()).isZero();
    }

    private Task<Void> task(String name) {
        return loop.spawn(name, () -> Step.done(null));
    }

    @Test
    void listsTasksInTheOrderTheyBeganToWait() {
        Task<Void> a = task("a");
        Task<Void> b = task("b");
        Task<Void> c = task("c");
        set.add(b);
        set.add(a);
        set.add(c);

        assertThat(set.tasks()).containsExactly(b, a, c);
        assertThat(set.size()).isEqualTo(3);
    }

    @Test
    void removeTakesOutOneTaskAndReportsWhetherItWasThere() {
        Task<Void> a = task("a");
        Task<Void> b = task("b");
        set.add(a);
        set.add(b);

        assertThat(set.remove(a)).isTrue();
        assertThat(set.remove(a)).isFalse();
        assertThat(set.contains(a)).isFalse();
        assertThat(set.contains(b)).isTrue();
        assertThat(set.tasks()).containsExactly(b);
    }

    @Test
    void tasksIsACopyThatLaterChangesDoNotTouch() {
        Task<Void> a = task("a");
        set.add(a);
        List<Task<?>> copy = set.tasks();

        set.remove(a);

        assertThat(copy).containsExactly(a);
        assertThat(set.size()).isZero();
    }

    @Test
    void addingATaskTwiceIsABrokenInvariantAndFailsLoudly() {
        Task<Void> a = task("a");
        set.add(a);

        assertThatThrownBy(() -> set.add(a))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already in the waiting set")
                .hasMessageContaining("\"a\"");
        assertThat(set.size()).isEqualTo(1);
    }
}

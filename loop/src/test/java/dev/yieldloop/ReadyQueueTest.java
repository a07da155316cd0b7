package dev.yieldloop;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The ready queue: first in first out over tasks and callbacks alike, and what it tells a snapshot about them. */
class ReadyQueueTest {

    private final EventLoop loop = new EventLoop();
    private final ReadyQueue queue = new ReadyQueue();
    private final List<String> ran = new ArrayList<>();

    @AfterEach
    void close() {
        loop.runNow(); // the spawned tasks finish, so the loop closes with nothing alive
        loop.close();
        assertThat(loop.tasksCancelledByClose()).isZero();
    }

    /** An entry standing for a step of {@code task} that records its run. */
    private ReadyQueue.Entry taskEntry(Task<?> task) {
        return new ReadyQueue.Entry() {
            @Override
            public void run() {
                ran.add(task.name());
            }

            @Override
            public Task<?> task() {
                return task;
            }
        };
    }

    private Task<Void> task(String name) {
        return loop.spawn(name, () -> Step.done(null));
    }

    @Test
    void entriesRunInTheOrderTheyWereAddedWhateverTheirKind() {
        queue.add(ReadyQueue.callback(() -> ran.add("first callback")));
        queue.add(taskEntry(task("a task")));
        queue.add(ReadyQueue.callback(() -> ran.add("second callback")));

        for (ReadyQueue.Entry e = queue.poll(); e != null; e = queue.poll()) {
            e.run();
        }

        assertThat(ran).containsExactly("first callback", "a task", "second callback");
        assertThat(queue.isEmpty()).isTrue();
        assertThat(queue.poll()).as("an empty queue polls null").isNull();
    }

    @Test
    void aCallbackEntryHasNoTaskAndDescribesItsCallback() {
        Runnable callback = () -> {};
        ReadyQueue.Entry entry = ReadyQueue.callback(callback);

        assertThat(entry.task()).isNull();
        assertThat(entry).hasToString(callback.toString());
    }

    @Test
    void tasksListsOnlyTheQueuedTasksInQueueOrderAndCallbacksAreCounted() {
        Task<Void> a = task("a");
        Task<Void> b = task("b");
        queue.add(taskEntry(b));
        queue.add(ReadyQueue.callback(() -> {}));
        queue.add(taskEntry(a));
        queue.add(ReadyQueue.callback(() -> {}));

        assertThat(queue.tasks()).containsExactly(b, a);
        assertThat(queue.callbackCount()).isEqualTo(2);
        assertThat(queue.size()).isEqualTo(4);
    }

    @Test
    void removeTakesOutOneEntryAndKeepsTheOthersInOrder() {
        Task<Void> a = task("a");
        Task<Void> b = task("b");
        ReadyQueue.Entry ea = taskEntry(a);
        queue.add(ea);
        queue.add(taskEntry(b));

        assertThat(queue.remove(ea)).isTrue();
        assertThat(queue.remove(ea)).as("already removed").isFalse();
        assertThat(queue.tasks()).containsExactly(b);
    }

    @Test
    void clearDropsEveryEntry() {
        queue.add(ReadyQueue.callback(() -> ran.add("never")));
        queue.add(taskEntry(task("a")));

        queue.clear();

        assertThat(queue.size()).isZero();
        assertThat(queue.poll()).isNull();
        assertThat(ran).isEmpty();
    }
}

package dev.yieldloop;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The loop's waiting set: the tasks in {@link TaskState#WAITING}, each parked on one promise or one timer, in the order
 * they began to wait (asyncio keeps no such set and finds its waiting tasks through {@code all_tasks()}; here the set
 * is what a snapshot lists and what closing the loop cancels).
 *
 * <p>Invariant: a task is here exactly while its state is WAITING; only {@code Task.transitionTo} adds and removes.
 * Adding and removing are O(1), so the cost of a wait does not grow with the number of tasks alive.
 *
 * <p>Threading: loop thread only; not thread-safe.
 */
final class WaitingSet {

    private final Set<Task<?>> tasks = new LinkedHashSet<>();

    /**
     * Adds a task that has just begun to wait.
     *
     * @throws IllegalStateException if it is already here (a broken invariant, never silently ignored)
     */
    void add(Task<?> task) {
        if (!tasks.add(task)) {
            throw new IllegalStateException(task + " is already in the waiting set");
        }
    }

    /** Removes a task that stopped waiting; true if it was here. */
    boolean remove(Task<?> task) {
        return tasks.remove(task);
    }

    boolean contains(Task<?> task) {
        return tasks.contains(task);
    }

    int size() {
        return tasks.size();
    }

    /** A copy of the waiting tasks, oldest wait first. */
    List<Task<?>> tasks() {
        return new ArrayList<>(tasks);
    }
}

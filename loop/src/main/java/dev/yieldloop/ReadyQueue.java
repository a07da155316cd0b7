package dev.yieldloop;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The loop's ready queue: what phase 6 of the iteration runs, first in first out (asyncio's {@code _ready}, libuv's
 * pending queue). Tasks and plain callbacks wait in it behind one entry type, {@link Entry}, so the loop runs every
 * entry the same way and asks an entry for its task only to name it.
 *
 * <p>Invariant: a READY task has exactly one entry here (its {@code Task} keeps it and adds it on each transition to
 * READY); a callback entry is added once and dropped when it has run.
 *
 * <p>Threading: loop thread only; not thread-safe.
 */
final class ReadyQueue {

    /**
     * One entry of the ready queue: a task's next step or a callback (the {@code Runnable}-like unit asyncio calls a
     * {@code Handle}). Loop thread only.
     */
    interface Entry {

        /** Runs the entry: one step of its task, or the callback. Whatever it throws, the loop reports. */
        void run();

        /**
         * The task whose step this entry runs.
         *
         * @return the task, or null for a plain callback
         */
        Task<?> task();
    }

    private final ArrayDeque<Entry> entries = new ArrayDeque<>();

    /**
     * The entry for a plain callback.
     *
     * @param callback the work to run in a coming phase 6
     * @return a new entry whose {@link Entry#task()} is null
     */
    static Entry callback(Runnable callback) {
        return new Callback(callback);
    }

    /** Appends {@code entry}; it runs in a coming phase 6, after the entries already queued. */
    void add(Entry entry) {
        entries.add(entry);
    }

    /** Takes the oldest entry, or null when empty. */
    Entry poll() {
        return entries.poll();
    }

    /** Removes {@code entry} (a task cancelled or ended from outside while READY); true if it was queued. */
    boolean remove(Entry entry) {
        return entries.remove(entry);
    }

    int size() {
        return entries.size();
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }

    /** The queued tasks, in queue order; callbacks are left out. */
    List<Task<?>> tasks() {
        List<Task<?>> tasks = new ArrayList<>();
        for (Entry e : entries) {
            Task<?> t = e.task();
            if (t != null) {
                tasks.add(t);
            }
        }
        return tasks;
    }

    /** How many queued entries are plain callbacks. */
    int callbackCount() {
        int n = 0;
        for (Entry e : entries) {
            if (e.task() == null) {
                n++;
            }
        }
        return n;
    }

    /** Drops every entry (loop close, after the tasks were taken with {@link #tasks()}). */
    void clear() {
        entries.clear();
    }

    /** A plain callback as an entry. */
    private record Callback(Runnable callback) implements Entry {
        @Override
        public void run() {
            callback.run();
        }

        @Override
        public Task<?> task() {
            return null;
        }

        @Override
        public String toString() {
            return String.valueOf(callback);
        }
    }
}

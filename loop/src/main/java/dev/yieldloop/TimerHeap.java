package dev.yieldloop;

import java.util.Arrays;

/**
 * A 4-ary min-heap of {@link Timer}s ordered by {@code (deadlineNanos, sequence)}, with each timer tracking its own
 * index so that cancellation removes it in O(log n) (libuv's {@code heap-inl.h} keeps the same shape, as a binary
 * heap).
 *
 * <p>Layout for speed: the keys are kept inline in two {@code long[]} arrays beside the {@code Timer[]}, so that a
 * sift compares primitives in contiguous memory instead of following a pointer to each timer (a cache miss per
 * comparison once a million timers are pending); and four children per node halve the depth, so a poll makes half as
 * many moves as a binary heap for at most twice the comparisons per level, all within one or two cache lines (the
 * layout of Go's runtime timer heap, which is also 4-ary).
 *
 * <p>Cancellation policy: eager removal. A cancelled timer leaves the heap at once, so the heap's size is always the
 * number of pending timers and a loop that schedules and cancels many timeouts does not grow (asyncio instead removes
 * lazily and rebuilds when half the heap is cancelled).
 *
 * <p>Threading: loop thread only; not thread-safe.
 */
final class TimerHeap {

    private static final int INITIAL_CAPACITY = 16;

    private Timer[] heap = new Timer[INITIAL_CAPACITY];
    private long[] deadlines = new long[INITIAL_CAPACITY];
    private long[] sequences = new long[INITIAL_CAPACITY];
    private int size;

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** The earliest timer, or null. */
    Timer peek() {
        return size == 0 ? null : heap[0];
    }

    void add(Timer timer) {
        if (size == heap.length) {
            int capacity = size * 2;
            heap = Arrays.copyOf(heap, capacity);
            deadlines = Arrays.copyOf(deadlines, capacity);
            sequences = Arrays.copyOf(sequences, capacity);
        }
        siftUp(size++, timer, timer.deadlineNanos, timer.sequence);
    }

    /** Removes and returns the earliest timer, or null. */
    Timer poll() {
        if (size == 0) {
            return null;
        }
        Timer first = heap[0];
        removeAt(0);
        return first;
    }

    /** Removes {@code timer} if it is in this heap; returns whether it was. */
    boolean remove(Timer timer) {
        int i = timer.heapIndex;
        if (i < 0 || i >= size || heap[i] != timer) {
            return false;
        }
        removeAt(i);
        return true;
    }

    /** Removes every timer, marking each as no longer pending. */
    void clear() {
        for (int i = 0; i < size; i++) {
            heap[i].heapIndex = -1;
            heap[i] = null;
        }
        size = 0;
    }

    private void removeAt(int i) {
        heap[i].heapIndex = -1;
        size--;
        if (i == size) {
            heap[size] = null;
            return;
        }
        Timer last = heap[size];
        long lastDeadline = deadlines[size];
        long lastSequence = sequences[size];
        heap[size] = null;
        if (i > 0 && before(lastDeadline, lastSequence, deadlines[(i - 1) >>> 2], sequences[(i - 1) >>> 2])) {
            siftUp(i, last, lastDeadline, lastSequence);
        } else {
            siftDown(i, last, lastDeadline, lastSequence);
        }
    }

    /** Places {@code t} (keys {@code d}, {@code s}) at or above the hole {@code i}. */
    private void siftUp(int i, Timer t, long d, long s) {
        while (i > 0) {
            int parent = (i - 1) >>> 2;
            if (!before(d, s, deadlines[parent], sequences[parent])) {
                break;
            }
            move(parent, i);
            i = parent;
        }
        put(i, t, d, s);
    }

    /** Places {@code t} (keys {@code d}, {@code s}) at or below the hole {@code i}. */
    private void siftDown(int i, Timer t, long d, long s) {
        while (true) {
            int first = (i << 2) + 1;
            if (first >= size) {
                break;
            }
            int last = Math.min(first + 4, size);
            int best = first;
            long bd = deadlines[first];
            long bs = sequences[first];
            for (int c = first + 1; c < last; c++) {
                long cd = deadlines[c];
                long cs = sequences[c];
                if (before(cd, cs, bd, bs)) {
                    best = c;
                    bd = cd;
                    bs = cs;
                }
            }
            if (!before(bd, bs, d, s)) {
                break;
            }
            move(best, i);
            i = best;
        }
        put(i, t, d, s);
    }

    private void move(int from, int to) {
        Timer t = heap[from];
        heap[to] = t;
        deadlines[to] = deadlines[from];
        sequences[to] = sequences[from];
        t.heapIndex = to;
    }

    private void put(int i, Timer t, long d, long s) {
        heap[i] = t;
        deadlines[i] = d;
        sequences[i] = s;
        t.heapIndex = i;
    }

    /** Order by deadline, ties by scheduling order; deadlines compared by subtraction to survive nanoTime wrap. */
    private static boolean before(long da, long sa, long db, long sb) {
        long d = da - db;
        return d < 0 || (d == 0 && sa < sb);
    }
}

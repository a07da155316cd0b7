package dev.yieldloop;

import java.util.Arrays;

/**
 * A binary min-heap of {@link Timer}s ordered by {@code (deadlineNanos, sequence)}, with each timer tracking its own
 * index so that cancellation removes it in O(log n) (libuv's {@code heap-inl.h} keeps the same shape).
 *
 * <p>Cancellation policy: eager removal. A cancelled timer leaves the heap at once, so the heap's size is always the
 * number of pending timers and a loop that schedules and cancels many timeouts does not grow (asyncio instead removes
 * lazily and rebuilds when half the heap is cancelled).
 *
 * <p>Threading: loop thread only; not thread-safe.
 */
final class TimerHeap {

    private Timer[] heap = new Timer[16];
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
            heap = Arrays.copyOf(heap, size * 2);
        }
        heap[size] = timer;
        timer.heapIndex = size;
        size++;
        siftUp(size - 1);
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
        Timer removed = heap[i];
        removed.heapIndex = -1;
        size--;
        if (i == size) {
            heap[size] = null;
            return;
        }
        Timer last = heap[size];
        heap[size] = null;
        heap[i] = last;
        last.heapIndex = i;
        siftDown(i);
        if (heap[i] == last) {
            siftUp(i);
        }
    }

    private void siftUp(int i) {
        Timer t = heap[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            Timer p = heap[parent];
            if (!before(t, p)) {
                break;
            }
            heap[i] = p;
            p.heapIndex = i;
            i = parent;
        }
        heap[i] = t;
        t.heapIndex = i;
    }

    private void siftDown(int i) {
        Timer t = heap[i];
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            int right = child + 1;
            if (right < size && before(heap[right], heap[child])) {
                child = right;
            }
            if (!before(heap[child], t)) {
                break;
            }
            heap[i] = heap[child];
            heap[i].heapIndex = i;
            i = child;
        }
        heap[i] = t;
        t.heapIndex = i;
    }

    /** Order by deadline, ties by scheduling order; deadlines compared by subtraction to survive nanoTime wrap. */
    private static boolean before(Timer a, Timer b) {
        long d = a.deadlineNanos - b.deadlineNanos;
        return d < 0 || (d == 0 && a.sequence < b.sequence);
    }
}

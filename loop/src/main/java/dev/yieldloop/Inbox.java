package dev.yieldloop;

import java.nio.channels.Selector;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.jctools.queues.atomic.MpscUnboundedAtomicArrayQueue;

/**
 * The loop's one thread-safe entry: a JCTools multi-producer single-consumer queue of {@link Runnable}s plus a
 * coalesced {@link Selector#wakeup()}.
 *
 * <h2>Wake-up protocol</h2>
 *
 * <p>{@code sleeping} is true only while the loop may be blocked in {@code select} with a timeout other than zero.
 *
 * <p>Producer (any thread):
 *
 * <ol>
 *   <li>P1. {@code queue.offer(r)} (a volatile store inside the queue);
 *   <li>P2. if {@code sleeping.compareAndSet(true, false)}, call {@code selector.wakeup()}.
 * </ol>
 *
 * <p>Loop (its own thread), around a blocking select:
 *
 * <ol>
 *   <li>L1. {@code sleeping.set(true)} ({@link #prepareToSleep()});
 *   <li>L2. if the queue is not empty, do not block ({@link #prepareToSleep()} returns false);
 *   <li>L3. {@code select(timeout)};
 *   <li>L4. {@code sleeping.set(false)} ({@link #awake()}).
 * </ol>
 *
 * <p>Why no wake-up is lost: all four accesses are sequentially consistent. If the loop's L2 does not see P1's item,
 * then P1 came after L2 in the total order, so P2 (after P1) comes after L1 and reads {@code sleeping == true}: the
 * producer wins the CAS and wakes the selector. If a wake-up arrives when the loop is not blocked, the next select
 * returns at once, which costs one empty iteration, never a lost task. The CAS makes wake-ups coalesce: of many
 * producers racing during one sleep, only the first pays for the {@code wakeup()} system call (Netty does the same
 * with {@code nextWakeupNanos}).
 *
 * <p>The queue is JCTools' atomic variant (no {@code sun.misc.Unsafe}, silent on JDK 25) and is drained in batches.
 */
final class Inbox {

    private final MpscUnboundedAtomicArrayQueue<Runnable> queue = new MpscUnboundedAtomicArrayQueue<>(1024);
    private final AtomicBoolean sleeping = new AtomicBoolean();
    private final Selector selector;

    Inbox(Selector selector) {
        this.selector = selector;
    }

    /** Thread-safe. P1 + P2 of the protocol. */
    void offer(Runnable r) {
        queue.offer(r);
        if (sleeping.get() && sleeping.compareAndSet(true, false)) {
            selector.wakeup();
        }
    }

    /** Thread-safe. Wakes the loop if it is blocked in select, without adding work. */
    void wakeup() {
        if (sleeping.get() && sleeping.compareAndSet(true, false)) {
            selector.wakeup();
        }
    }

    /** Loop thread. L1 + L2: announces a blocking select; returns false if work is already waiting (do not block). */
    boolean prepareToSleep() {
        sleeping.set(true);
        if (!queue.isEmpty()) {
            sleeping.set(false);
            return false;
        }
        return true;
    }

    /** Loop thread. L4. */
    void awake() {
        sleeping.set(false);
    }

    /** Loop thread. Moves every queued item to {@code sink}; returns how many. */
    int drainTo(Consumer<Runnable> sink) {
        return queue.drain(sink::accept);
    }

    /** Thread-safe, approximate. */
    int size() {
        return queue.size();
    }

    /** Thread-safe, approximate. */
    boolean isEmpty() {
        return queue.isEmpty();
    }
}

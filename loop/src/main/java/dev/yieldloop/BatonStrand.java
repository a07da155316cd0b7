package dev.yieldloop;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.locks.LockSupport;

/**
 * A straight-line body on a thread of its own (a virtual thread on JDK 21+, a daemon platform thread before), with a
 * baton handed between the loop thread and the body so that exactly one of them runs at a time.
 *
 * <h2>Protocol</h2>
 *
 * <p>One volatile flag, {@code bodyTurn}, says who holds the baton. The loop, in {@link #resume()}: L1 makes the body
 * thread the loop's owner (so the confinement checks pass in the body); L2 {@code bodyTurn = true}; L3 unparks the body;
 * L4 parks until {@code bodyTurn} is false; L5 takes ownership back. The body, in {@link #suspend()} or when it returns:
 * B1 {@code bodyTurn = false}; B2 unparks the loop thread; B3 (suspend only) parks until {@code bodyTurn} is true. The
 * volatile write at L2 and read at B3 order everything the loop did before the body's turn; B1 and L4 order everything
 * the body did before the loop's turn, so loop state needs no other synchronization. Spurious wake-ups and interrupts
 * only repeat the park; an interrupt is kept and restored once the baton is back.
 *
 * <p>Threading: {@link #resume()} on the loop thread, {@link #suspend()} on the body thread.
 */
final class BatonStrand implements Strand {

    /**
     * {@code (Runnable r) -> Thread.ofVirtual().unstarted(r)} on JDK 21+, else null (the library builds with --release
     * 17). A new builder per thread: builders are not thread-safe, and several loops may start bodies at once.
     */
    private static final MethodHandle VIRTUAL = findVirtualThreadFactory();

    /**
     * How many times a side re-reads the flag before it parks. A hand-off through park/unpark costs two futex calls and
     * a wake-up of several microseconds, so a short spin (about a microsecond) catches a body that awaits again at once;
     * a long one only burns the core the other side needs on a busy 2-core machine (4,096 spins doubled the time of
     * 10,000 baton bodies there, measured by AsyncTaskTest's run time at load average 10-20).
     */
    private static final int SPINS = 1 << 8;

    private final LoopCore core;
    private final Runnable body;
    private final String name;
    private Thread thread;
    private Thread loopThread;
    private volatile boolean bodyTurn;

    BatonStrand(LoopCore core, Runnable body, String name) {
        this.core = core;
        this.body = body;
        this.name = name;
    }

    @Override
    public void resume() {
        loopThread = Thread.currentThread();
        boolean first = thread == null;
        if (first) {
            thread = newThread(() -> {
                waitForTurn();
                try {
                    body.run();
                } finally {
                    bodyTurn = false; // B1: the body has returned; the loop thread takes over for good
                    LockSupport.unpark(loopThread); // B2
                }
            });
        }
        core.passOwnership(thread); // L1
        bodyTurn = true; // L2
        if (first) {
            thread.start();
        } else {
            LockSupport.unpark(thread); // L3
        }
        boolean interrupted = false;
        for (int spins = SPINS; bodyTurn && spins > 0; spins--) {
            Thread.onSpinWait(); // a body that awaits again at once hands back before a park would even begin
        }
        while (bodyTurn) { // L4
            LockSupport.park(this);
            interrupted |= Thread.interrupted();
        }
        core.passOwnership(loopThread); // L5
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void suspend() {
        bodyTurn = false; // B1
        LockSupport.unpark(loopThread); // B2
        waitForTurn(); // B3
    }

    @Override
    public Thread bodyThread() {
        return thread;
    }

    private void waitForTurn() {
        boolean interrupted = false;
        for (int spins = SPINS; !bodyTurn && spins > 0; spins--) {
            Thread.onSpinWait();
        }
        while (!bodyTurn) {
            LockSupport.park(this);
            interrupted |= Thread.interrupted();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private Thread newThread(Runnable r) {
        String threadName = "yieldloop body " + name;
        if (VIRTUAL != null) {
            try {
                Thread t = (Thread) VIRTUAL.invokeExact(r);
                t.setName(threadName);
                return t;
            } catch (Throwable e) {
                // fall through to a platform thread
            }
        }
        Thread t = new Thread(r, threadName);
        t.setDaemon(true); // a body stuck in user code must not keep the JVM alive
        return t;
    }

    private static MethodHandle findVirtualThreadFactory() {
        try {
            Class<?> builder = Class.forName("java.lang.Thread$Builder");
            Class<?> ofVirtual = Class.forName("java.lang.Thread$Builder$OfVirtual");
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            MethodHandle make = lookup.findStatic(Thread.class, "ofVirtual", MethodType.methodType(ofVirtual));
            MethodHandle unstarted =
                    lookup.findVirtual(builder, "unstarted", MethodType.methodType(Thread.class, Runnable.class));
            // unstarted(ofVirtual(), r): fold the builder argument in by calling ofVirtual() each time
            return MethodHandles.foldArguments(
                    unstarted.asType(MethodType.methodType(Thread.class, Object.class, Runnable.class)),
                    make.asType(MethodType.methodType(Object.class)));
        } catch (Throwable notOnThisJdk) {
            return null;
        }
    }
}

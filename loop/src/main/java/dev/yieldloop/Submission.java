package dev.yieldloop;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

/**
 * An inbox entry that completes a future with the result of a callable: how another thread hands work to the loop and
 * waits for its result ({@code EventLoop.submit}, a snapshot taken from another thread).
 *
 * <p>Threading: created and offered on any thread; run on the loop thread; rejected on the thread closing the loop.
 *
 * @param <T> the result type
 */
final class Submission<T> implements Runnable {

    private final Callable<T> callable;
    private final CompletableFuture<T> future = new CompletableFuture<>();

    private Submission(Callable<T> callable) {
        this.callable = callable;
    }

    /**
     * Thread-safe. Offers {@code callable} to the loop through its inbox.
     *
     * @return a future completed on the loop thread; failed with {@link IllegalStateException} if the loop is or
     *     becomes closed before the work runs
     */
    static <T> CompletableFuture<T> offer(Inbox inbox, LoopCore core, Callable<T> callable) {
        Submission<T> submission = new Submission<>(callable);
        if (core.isClosed()) {
            submission.reject(core.name);
            return submission.future;
        }
        inbox.offer(submission);
        if (core.isClosed()) {
            submission.reject(core.name); // close() may have drained the inbox before our offer
        }
        return submission.future;
    }

    /** Loop close: fails the future of {@code r} if it is a submission; other inbox entries are dropped. */
    static void rejectIfSubmission(Runnable r, String loopName) {
        if (r instanceof Submission<?> s) {
            s.reject(loopName);
        }
    }

    @Override
    public void run() {
        try {
            future.complete(callable.call());
        } catch (Throwable t) {
            future.completeExceptionally(t);
        }
    }

    private void reject(String loopName) {
        future.completeExceptionally(new IllegalStateException("event loop \"" + loopName + "\" is closed"));
    }
}

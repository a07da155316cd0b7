package dev.yieldloop.testing;

/** Tells from a thread's stack whether a loop thread is blocked in the selector, i.e. idle and waiting to be woken. */
public final class Idle {
    private Idle() {}

    /**
     * Whether {@code thread} is inside {@code IoPoller.select} (phase 2 of the loop) and, above it, in a native method
     * (the selector's system call: epoll_wait on Linux). A thread state alone cannot tell: a thread blocked in select is
     * RUNNABLE.
     *
     * @param thread a thread driving a loop
     * @return true while it is blocked in (or about to enter) the selector's wait
     */
    public static boolean blockedInSelect(Thread thread) {
        StackTraceElement[] stack = thread.getStackTrace();
        if (stack.length == 0 || !stack[0].isNativeMethod()) {
            return false;
        }
        for (StackTraceElement frame : stack) {
            if (frame.getClassName().equals("dev.yieldloop.IoPoller")
                    && frame.getMethodName().equals("select")) {
                return true;
            }
        }
        return false;
    }
}

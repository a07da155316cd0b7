package dev.yieldloop;

/**
 * How a loop runs straight-line task bodies ({@link EventLoop#spawnAsync(String, AsyncBody)}). Both keep the
 * single-threaded guarantee: while a body runs, no other task or callback of its loop does.
 *
 * <ul>
 *   <li>{@link #CONTINUATION}: the body is a JDK continuation run on the loop thread itself; an {@code await} is a
 *       continuation yield, with no thread hand-off (how virtual threads are built; Kotlin and C# compile the same idea
 *       into state machines). Needs JDK 21+ with {@code jdk.internal.vm} exported to this library: {@code --add-exports
 *       java.base/jdk.internal.vm=ALL-UNNAMED} on the class path, {@code =dev.yieldloop} on the module path, or {@code
 *       Add-Exports: java.base/jdk.internal.vm} in an executable jar's manifest.
 *   <li>{@link #BATON}: each body runs on its own thread (a virtual thread on JDK 21+, a platform thread before), and a
 *       baton is handed between the loop thread and one body at a time; the body holding the baton is the loop thread
 *       for the confinement checks. Works on every JDK 17+.
 *   <li>{@link #AUTO}: {@link #CONTINUATION} when {@link #continuationsAvailable()}, else {@link #BATON}.
 * </ul>
 */
public enum AsyncMode {
    /** Pick {@link #CONTINUATION} when available, else {@link #BATON}. */
    AUTO,
    /** A JDK continuation on the loop thread. */
    CONTINUATION,
    /** One thread per body, with a baton handed to and fro. */
    BATON;

    /**
     * Thread-safe. Whether this JVM lets the library use JDK continuations.
     *
     * @return true on JDK 21+ with {@code jdk.internal.vm} exported to this library
     */
    public static boolean continuationsAvailable() {
        return ContinuationStrand.UNAVAILABLE_REASON == null;
    }

    /**
     * Thread-safe. Why continuations cannot be used here, to show next to the mode in use.
     *
     * @return the reason, or an empty string when {@link #continuationsAvailable()}
     */
    public static String whyNoContinuations() {
        String reason = ContinuationStrand.UNAVAILABLE_REASON;
        return reason == null ? "" : reason;
    }

    /** The concrete mode {@code this} stands for on this JVM. */
    AsyncMode resolve() {
        if (this == AUTO) {
            return continuationsAvailable() ? CONTINUATION : BATON;
        }
        if (this == CONTINUATION && !continuationsAvailable()) {
            throw new IllegalArgumentException("AsyncMode.CONTINUATION is not available: " + whyNoContinuations());
        }
        return this;
    }
}

package dev.yieldloop;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * A straight-line body as a JDK continuation ({@code jdk.internal.vm.Continuation}, the mechanism under virtual threads)
 * run on the loop thread itself: {@link #resume()} mounts it and runs it to its next yield; {@link #suspend()} yields it
 * back. No thread hand-off, so an await costs a stack freeze and thaw.
 *
 * <p>The continuation API is internal to the JDK, so it is reached through method handles, and only when {@code
 * jdk.internal.vm} is exported to this library ({@link AsyncMode#CONTINUATION} says how). A continuation cannot yield
 * while pinned: with a native frame on its stack, or inside {@code synchronized} on JDKs whose monitors pin. The JDK
 * then refuses the yield, and {@link #suspend()} turns that into an {@link IllegalStateException} naming the reason,
 * thrown from the body's {@code await}: a clear failure, never a hang.
 *
 * <p>Threading: loop thread only (the body runs on it).
 */
final class ContinuationStrand implements Strand {

    /** Null when continuations can be used, else why not (shown by {@link AsyncMode#whyNoContinuations()}). */
    static final String UNAVAILABLE_REASON;

    private static final Object SCOPE;
    private static final MethodHandle NEW;
    private static final MethodHandle RUN;
    private static final MethodHandle YIELD;

    static {
        String reason = null;
        Object scope = null;
        MethodHandle create = null;
        MethodHandle run = null;
        MethodHandle yield = null;
        try {
            Module self = ContinuationStrand.class.getModule();
            if (Runtime.version().feature() < 21) {
                reason = "JDK " + Runtime.version().feature() + " has no usable continuations (needs 21+)";
            } else if (!Object.class.getModule().isExported("jdk.internal.vm", self)) {
                reason = "jdk.internal.vm is not exported to " + (self.isNamed() ? self.getName() : "the class path")
                        + " (add --add-exports java.base/jdk.internal.vm="
                        + (self.isNamed() ? self.getName() : "ALL-UNNAMED") + ")";
            } else {
                Class<?> scopeClass = Class.forName("jdk.internal.vm.ContinuationScope");
                Class<?> contClass = Class.forName("jdk.internal.vm.Continuation");
                MethodHandles.Lookup lookup = MethodHandles.lookup();
                scope = lookup.findConstructor(scopeClass, MethodType.methodType(void.class, String.class))
                        .invoke("yieldloop");
                create = lookup.findConstructor(
                                contClass, MethodType.methodType(void.class, scopeClass, Runnable.class))
                        .asType(MethodType.methodType(Object.class, Object.class, Runnable.class));
                run = lookup.findVirtual(contClass, "run", MethodType.methodType(void.class))
                        .asType(MethodType.methodType(void.class, Object.class));
                yield = lookup.findStatic(contClass, "yield", MethodType.methodType(boolean.class, scopeClass))
                        .asType(MethodType.methodType(boolean.class, Object.class));
            }
        } catch (Throwable t) {
            reason = "continuations unavailable: " + t;
        }
        UNAVAILABLE_REASON = reason;
        SCOPE = scope;
        NEW = create;
        RUN = run;
        YIELD = yield;
    }

    private final Object continuation;

    ContinuationStrand(Runnable body) {
        try {
            this.continuation = NEW.invokeExact(SCOPE, body);
        } catch (Throwable t) {
            throw new IllegalStateException("cannot create a continuation", t);
        }
    }

    @Override
    public void resume() {
        try {
            RUN.invokeExact(continuation);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @Override
    public void suspend() {
        boolean yielded;
        try {
            yielded = (boolean) YIELD.invokeExact(SCOPE);
        } catch (IllegalStateException pinned) {
            throw pinned(pinned.getMessage(), pinned);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        if (!yielded) {
            throw pinned("the JDK refused the yield", null);
        }
    }

    @Override
    public Thread bodyThread() {
        return null;
    }

    private static IllegalStateException pinned(String jdkMessage, Throwable cause) {
        return new IllegalStateException(
                "a straight-line body cannot await here: its continuation is pinned (" + jdkMessage + "): a native"
                        + " frame or a synchronized block is on its stack. Await outside synchronized, or use"
                        + " AsyncMode.BATON",
                cause);
    }
}

package dev.yieldloop.demo;

import java.lang.reflect.Method;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Virtual threads (JDK 21+) for a project compiled with {@code --release 17}: the executor is reached by reflection,
 * and on JDK 17 the strategies that use it report themselves unavailable with {@link #unavailableReason()}.
 */
public final class VirtualThreads {

    private VirtualThreads() {}

    /**
     * Why virtual threads cannot run here, or null when they can.
     *
     * @return e.g. {@code virtual threads need JDK 21+; this is JDK 17}, or null
     */
    public static String unavailableReason() {
        return factory() == null
                ? "virtual threads need JDK 21+; this is JDK "
                        + Runtime.version().feature()
                : null;
    }

    /**
     * Thread-safe. {@code Executors.newVirtualThreadPerTaskExecutor()}: one new virtual thread per submitted task.
     *
     * @return a new executor; shut it down when done
     * @throws UnsupportedOperationException on a JDK without virtual threads, with {@link #unavailableReason()}
     * @throws ReflectiveOperationException if the JDK's factory method cannot be called
     */
    public static ExecutorService newPerTaskExecutor() throws ReflectiveOperationException {
        Method factory = factory();
        if (factory == null) {
            throw new UnsupportedOperationException(unavailableReason());
        }
        return (ExecutorService) factory.invoke(null);
    }

    private static Method factory() {
        try {
            return Executors.class.getMethod("newVirtualThreadPerTaskExecutor");
        } catch (NoSuchMethodException e) {
            return null;
        }
    }
}

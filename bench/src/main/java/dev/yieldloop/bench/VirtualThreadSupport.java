package dev.yieldloop.bench;

import java.lang.reflect.Method;
import java.util.concurrent.ThreadFactory;

/**
 * Virtual threads (JDK 21+) for a bench compiled with {@code --release 17}: the factory is reached by reflection, as
 * the demo's {@code VirtualThreads} does; on JDK 17 the rows that need it are reported {@code skipped} with {@link
 * #unavailableReason()}.
 *
 * <p>Thread-safe.
 */
public final class VirtualThreadSupport {

    private static final ThreadFactory FACTORY = lookUp();

    private VirtualThreadSupport() {}

    /**
     * Why virtual threads cannot run here.
     *
     * @return e.g. {@code virtual threads need JDK 21+; this is JDK 17}, or null when they can
     */
    public static String unavailableReason() {
        return FACTORY == null
                ? "virtual threads need JDK 21+; this is JDK "
                        + Runtime.version().feature()
                : null;
    }

    /**
     * {@code Thread.ofVirtual().factory()}.
     *
     * @return the factory of unstarted virtual threads
     * @throws UnsupportedOperationException on a JDK without virtual threads
     */
    public static ThreadFactory factory() {
        if (FACTORY == null) {
            throw new UnsupportedOperationException(unavailableReason());
        }
        return FACTORY;
    }

    private static ThreadFactory lookUp() {
        try {
            Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
            Method factory = Class.forName("java.lang.Thread$Builder").getMethod("factory");
            return (ThreadFactory) factory.invoke(builder);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}

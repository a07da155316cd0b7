package dev.yieldloop.process;

import java.util.Objects;

/**
 * A job's {@link ProcessJob#compute} threw in the worker. The exception itself stays in the worker (it is not
 * deserialized); its class name and stack trace come back as text. The worker lives on.
 */
public final class JobFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String remoteClass;

    /**
     * A remote failure.
     *
     * @param remoteClass the binary name of the exception thrown in the worker
     * @param remoteText the worker's rendering of it: message and stack trace
     * @throws NullPointerException if {@code remoteClass} is null
     */
    public JobFailedException(String remoteClass, String remoteText) {
        super(remoteText);
        this.remoteClass = Objects.requireNonNull(remoteClass, "remoteClass");
    }

    /**
     * The class of the exception the job threw in the worker.
     *
     * @return a binary class name, e.g. {@code java.lang.ArithmeticException}
     */
    public String remoteClass() {
        return remoteClass;
    }
}

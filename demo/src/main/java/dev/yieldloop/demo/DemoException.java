package dev.yieldloop.demo;

/**
 * A problem with the user's input or environment (an unreadable URL file, a malformed URL, a port in use) that the
 * demo reports as one clear line and a non-zero exit code, without a stack trace.
 */
public final class DemoException extends Exception {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what is wrong and, where it helps, what to do about it
     */
    public DemoException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what is wrong and, where it helps, what to do about it
     * @param cause the underlying failure
     */
    public DemoException(String message, Throwable cause) {
        super(message, cause);
    }
}

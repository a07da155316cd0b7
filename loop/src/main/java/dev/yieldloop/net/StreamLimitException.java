package dev.yieldloop.net;

import java.io.IOException;

/**
 * A stream read found no delimiter within its limit: a line or frame longer than the caller allowed (asyncio's {@code
 * LimitOverrunError}). The bytes stay buffered in the connection; a server usually answers with an error and closes.
 */
public final class StreamLimitException extends IOException {

    private static final long serialVersionUID = 1L;

    private final int limitBytes;

    /**
     * Creates the exception.
     *
     * @param what what was being read, e.g. {@code "line"}
     * @param limitBytes the limit that was exceeded, in bytes
     */
    public StreamLimitException(String what, int limitBytes) {
        super(what + " longer than the limit of " + limitBytes + " bytes");
        this.limitBytes = limitBytes;
    }

    /**
     * The limit that was exceeded.
     *
     * @return bytes
     */
    public int limitBytes() {
        return limitBytes;
    }
}

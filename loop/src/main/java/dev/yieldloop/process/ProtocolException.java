package dev.yieldloop.process;

import java.io.IOException;

/**
 * Bytes on a pool–worker channel that break the {@linkplain Wire wire format}: a length out of range, an unknown tag, a
 * truncated or over-long body. The side that sees one closes the channel; the pool then treats the worker as crashed.
 */
public final class ProtocolException extends IOException {
    private static final long serialVersionUID = 1L;

    /**
     * A protocol error.
     *
     * @param message what was wrong, with the offending value
     */
    public ProtocolException(String message) {
        super(message);
    }
}

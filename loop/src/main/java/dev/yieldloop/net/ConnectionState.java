package dev.yieldloop.net;

/**
 * The life of a connection, and the only changes between its states (the checked-transition shape of {@link
 * dev.yieldloop.TaskState}; the states are asyncio's transport states and Netty's channel states, named for what the
 * user may still do).
 *
 * <pre>
 * CONNECTING ─handshake done→ OPEN ─shutdownOutput→ OUTPUT_SHUTDOWN
 *                              │                        │
 *                              └──close, writes queued──┴→ CLOSING ─queue drained→ CLOSED
 * any state but CLOSED ─abort, reset, deadline, failed connect, close with nothing queued→ CLOSED
 * </pre>
 *
 * <p>An abort is not a state of its own: it is the direct move to {@link #CLOSED}, with the pending operations failed
 * by its cause. End of stream from the peer is not a state either: it is an outcome of the read side (a read of -1),
 * which leaves writing possible, as TCP's half-close does.
 *
 * <p>Threading: immutable, thread-safe.
 */
enum ConnectionState {
    /** The TCP handshake is under way ({@code OP_CONNECT}); nobody holds the connection yet. */
    CONNECTING,
    /** Reads and writes are possible. */
    OPEN,
    /** Half-closed by this side: queued writes still go out, then FIN; reads go on; new writes fail. */
    OUTPUT_SHUTDOWN,
    /** Closing gracefully: reads have stopped and new writes fail; the queued writes drain, then the channel closes. */
    CLOSING,
    /** The channel is closed. Final. */
    CLOSED;

    /**
     * Tells whether a connection may change from this state to {@code next}.
     *
     * @param next the proposed next state
     * @return true when the diagram above allows {@code this → next}
     */
    boolean canMoveTo(ConnectionState next) {
        return switch (this) {
            case CONNECTING -> next == OPEN || next == CLOSED;
            case OPEN -> next == OUTPUT_SHUTDOWN || next == CLOSING || next == CLOSED;
            case OUTPUT_SHUTDOWN -> next == CLOSING || next == CLOSED;
            case CLOSING -> next == CLOSED;
            case CLOSED -> false;
        };
    }

    /**
     * Whether reads may start in this state.
     *
     * @return true while open or half-closed by this side
     */
    boolean canRead() {
        return this == OPEN || this == OUTPUT_SHUTDOWN;
    }

    /**
     * Whether new writes are taken in this state.
     *
     * @return true only while open
     */
    boolean canWrite() {
        return this == OPEN;
    }
}

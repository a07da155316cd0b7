package dev.yieldloop.process;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Cuts a byte stream into {@linkplain Wire frames}, however the bytes arrive (one at a time or many frames at once).
 *
 * <p>Memory is bounded by what arrived, not by what a header claims: a declared length outside {@code [1, frame cap]}
 * is a {@link ProtocolException} before anything is allocated, and a body buffer grows (doubling from 4 KiB) only as
 * its bytes come in, so a peer that declares 16 MiB and sends 10 bytes costs 4 KiB.
 *
 * <p>Threading: not thread-safe; one decoder per channel, used by the thread that reads it.
 */
final class FrameDecoder {

    private static final int INITIAL_BODY_BYTES = 4096;

    private final int frameCapBytes;
    private final ByteBuffer header = ByteBuffer.allocate(Wire.HEADER_BYTES);
    private int bodyLength = -1;
    private byte[] body;
    private int bodyFill;

    /**
     * A decoder.
     *
     * @param frameCapBytes the largest body length accepted, in bytes
     */
    FrameDecoder(int frameCapBytes) {
        if (frameCapBytes < 1) {
            throw new IllegalArgumentException("frame cap must be at least 1 byte: " + frameCapBytes);
        }
        this.frameCapBytes = frameCapBytes;
    }

    /**
     * Consumes bytes from {@code in} up to the end of the next complete frame.
     *
     * @param in bytes read from the channel; its position advances past what was consumed
     * @return the next frame's body, or null if {@code in} ran out first (call again with more bytes)
     * @throws ProtocolException if a declared length is out of range; the stream cannot be resumed after that
     */
    byte[] next(ByteBuffer in) throws ProtocolException {
        if (bodyLength < 0) {
            while (header.hasRemaining() && in.hasRemaining()) {
                header.put(in.get());
            }
            if (header.hasRemaining()) {
                return null;
            }
            int declared = header.flip().getInt();
            if (declared < 1 || declared > frameCapBytes) {
                throw new ProtocolException(
                        "frame length " + declared + " outside [1, " + frameCapBytes + "] (the frame cap)");
            }
            bodyLength = declared;
            body = new byte[Math.min(declared, INITIAL_BODY_BYTES)];
            bodyFill = 0;
        }
        int n = Math.min(in.remaining(), bodyLength - bodyFill);
        if (bodyFill + n > body.length) {
            body = Arrays.copyOf(body, (int) Math.min(bodyLength, Math.max(2L * body.length, bodyFill + n)));
        }
        in.get(body, bodyFill, n);
        bodyFill += n;
        if (bodyFill < bodyLength) {
            return null;
        }
        byte[] frame = body;
        body = null;
        bodyLength = -1;
        header.clear();
        return frame;
    }

    /** The bytes held for the frame in progress: for the test that memory follows what arrived. */
    int bufferedCapacity() {
        return body == null ? 0 : body.length;
    }

    /**
     * Whether a frame has begun but not ended: at end of stream this means the peer stopped mid-frame.
     *
     * @return true between a frame's first byte and its last
     */
    boolean inFrame() {
        return bodyLength >= 0 || header.position() > 0;
    }
}

package dev.yieldloop.net;

import java.nio.ByteBuffer;

/**
 * The bytes a connection has received that no caller has taken yet. Reads land in the loop's one shared read buffer;
 * only what a pending stream read still needs (a partial line, the rest of a frame) is copied here, and the array is
 * dropped as soon as it is empty, so an idle connection holds no buffer at all (as Netty and nginx do).
 *
 * <p>Threading: loop thread only (owned by one {@link Connection}).
 */
final class InboundBuffer {

    /** The unconsumed bytes, between position and limit (read mode); null when empty. */
    private ByteBuffer bytes;

    boolean isEmpty() {
        return bytes == null;
    }

    /** Bytes held, in bytes. */
    int size() {
        return bytes == null ? 0 : bytes.remaining();
    }

    /** Copies the remaining bytes of {@code src} to the end, growing by doubling so a large read stays linear. */
    void append(ByteBuffer src) {
        int n = src.remaining();
        if (n == 0) {
            return;
        }
        if (bytes == null) {
            bytes = ByteBuffer.allocate(n);
            bytes.put(src).flip();
            return;
        }
        if (bytes.capacity() - bytes.limit() < n) {
            int needed = bytes.remaining() + n;
            ByteBuffer grown = ByteBuffer.allocate(Math.max(needed, Math.min(Integer.MAX_VALUE / 2, needed) * 2));
            grown.put(bytes).flip();
            bytes = grown;
        }
        int start = bytes.position();
        bytes.position(bytes.limit()).limit(bytes.limit() + n);
        bytes.put(src);
        bytes.position(start);
    }

    /** Moves as many bytes as fit into {@code dst}; returns how many. */
    int takeInto(ByteBuffer dst) {
        int n = Math.min(dst.remaining(), size());
        ByteBuffer slice = bytes.duplicate();
        slice.limit(slice.position() + n);
        dst.put(slice);
        skip(n);
        return n;
    }

    /** The first {@code n} bytes as a new buffer ready to read (position 0, limit n); they leave this buffer. */
    ByteBuffer take(int n) {
        ByteBuffer out = ByteBuffer.allocate(n);
        if (n > 0) {
            ByteBuffer slice = bytes.duplicate();
            slice.limit(slice.position() + n);
            out.put(slice);
            skip(n);
        }
        return out.flip();
    }

    /** Drops the first {@code n} bytes. */
    void skip(int n) {
        bytes.position(bytes.position() + n);
        if (!bytes.hasRemaining()) {
            bytes = null; // empty: keep no array while idle
        }
    }

    /** The byte at {@code index} from the start. */
    byte get(int index) {
        return bytes.get(bytes.position() + index);
    }

    /**
     * Where {@code delimiter} first starts, searching from {@code from}.
     *
     * @return the offset from the start, or -1 when absent
     */
    int indexOf(byte[] delimiter, int from) {
        int size = size();
        int base = bytes == null ? 0 : bytes.position();
        outer:
        for (int i = Math.max(0, from); i + delimiter.length <= size; i++) {
            for (int j = 0; j < delimiter.length; j++) {
                if (bytes.get(base + i + j) != delimiter[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}

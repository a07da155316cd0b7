package dev.yieldloop.process;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Turns values into bytes and back, explicitly: the only way arguments and results cross between the loop and a
 * worker process (no Java serialization, so no gadget chains).
 *
 * <p>Threading: implementations are stateless and thread-safe.
 *
 * @param <T> the value type
 */
public interface Codec<T> {

    /** A signed 64-bit integer as 8 big-endian bytes. */
    Codec<Long> LONG = new Codec<>() {
        @Override
        public byte[] encode(Long value) {
            return ByteBuffer.allocate(Long.BYTES).putLong(value).array();
        }

        @Override
        public Long decode(byte[] bytes) {
            if (bytes.length != Long.BYTES) {
                throw new IllegalArgumentException("a long takes 8 bytes, got " + bytes.length);
            }
            return ByteBuffer.wrap(bytes).getLong();
        }
    };

    /** An array of signed 64-bit integers, 8 big-endian bytes each. */
    Codec<long[]> LONGS = new Codec<>() {
        @Override
        public byte[] encode(long[] value) {
            ByteBuffer b = ByteBuffer.allocate(Math.multiplyExact(value.length, Long.BYTES));
            b.asLongBuffer().put(value);
            return b.array();
        }

        @Override
        public long[] decode(byte[] bytes) {
            if (bytes.length % Long.BYTES != 0) {
                throw new IllegalArgumentException("longs take a multiple of 8 bytes, got " + bytes.length);
            }
            long[] out = new long[bytes.length / Long.BYTES];
            ByteBuffer.wrap(bytes).asLongBuffer().get(out);
            return out;
        }
    };

    /** A string as strict UTF-8 (malformed input is rejected, not replaced). */
    Codec<String> UTF8 = new Codec<>() {
        @Override
        public byte[] encode(String value) {
            return value.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public String decode(byte[] bytes) {
            try {
                CharBuffer chars = StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(bytes));
                return chars.toString();
            } catch (CharacterCodingException e) {
                throw new IllegalArgumentException("not valid UTF-8", e);
            }
        }
    };

    /** Bytes as they are. */
    Codec<byte[]> BYTES = new Codec<>() {
        @Override
        public byte[] encode(byte[] value) {
            return value.clone();
        }

        @Override
        public byte[] decode(byte[] bytes) {
            return bytes;
        }
    };

    /**
     * Encodes a value.
     *
     * @param value the value, not null
     * @return its bytes; their length must stay under the pool's frame cap ({@link ProcessPoolOptions#frameCapBytes()})
     */
    byte[] encode(T value);

    /**
     * Decodes bytes made by {@link #encode}.
     *
     * @param bytes the bytes
     * @return the value
     * @throws IllegalArgumentException if the bytes are not a valid encoding
     */
    T decode(byte[] bytes);
}

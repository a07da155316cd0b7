package dev.yieldloop.process;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The pool–worker wire format: length-prefixed frames, each one message. {@code docs/process-pool.md} has the same
 * table.
 *
 * <pre>
 * frame   = length:int32 (big-endian, 1 ≤ length ≤ frame cap) body:length bytes
 * body    = tag:uint8 payload
 * HELLO   'H' slot:int32 token:16 bytes pid:int64            worker → pool, first frame on a connection
 * JOB     'J' jobId:int64 nameLength:uint16 name:UTF-8 arg   pool → worker; arg = the rest of the body
 * RESULT  'R' jobId:int64 result                             worker → pool; result = the rest of the body
 * FAILURE 'F' jobId:int64 nameLength:uint16 name:UTF-8 text  worker → pool; the exception's class and its stack as text
 * QUIT    'Q'                                                pool → worker: exit now
 * </pre>
 *
 * <p>Parsing never trusts a length it has not checked against the bytes actually present, and never allocates more
 * than the body it was given. Threading: stateless, thread-safe.
 */
final class Wire {

    static final byte HELLO = 'H';
    static final byte JOB = 'J';
    static final byte RESULT = 'R';
    static final byte FAILURE = 'F';
    static final byte QUIT = 'Q';

    /** Bytes in a HELLO token. */
    static final int TOKEN_BYTES = 16;

    /** The frame header: one big-endian int32 body length. */
    static final int HEADER_BYTES = 4;

    private Wire() {}

    /** One decoded message. */
    sealed interface Message permits Hello, Job, Result, Failure, Quit {}

    /** A worker's introduction. */
    record Hello(int slot, byte[] token, long pid) implements Message {}

    /** Work for a worker: the job class's binary name and the encoded argument. */
    record Job(long jobId, String className, byte[] argument) implements Message {}

    /** A job's encoded result. */
    record Result(long jobId, byte[] result) implements Message {}

    /** A job that threw: the exception's class name and its stack trace as text. */
    record Failure(long jobId, String exceptionClass, String text) implements Message {}

    /** The pool asks the worker to exit. */
    record Quit() implements Message {}

    static ByteBuffer hello(int slot, byte[] token, long pid) {
        ByteBuffer b = frame(1 + 4 + TOKEN_BYTES + 8);
        b.put(HELLO).putInt(slot).put(token).putLong(pid);
        return b.flip();
    }

    static ByteBuffer job(long jobId, String className, byte[] argument) {
        byte[] name = shortString(className);
        ByteBuffer b = frame(1 + 8 + 2 + name.length + argument.length);
        b.put(JOB).putLong(jobId).putShort((short) name.length).put(name).put(argument);
        return b.flip();
    }

    /** The body length of a JOB frame, to check it against the frame cap before encoding. */
    static long jobBodyBytes(String className, byte[] argument) {
        return 1L + 8 + 2 + className.getBytes(StandardCharsets.UTF_8).length + argument.length;
    }

    static ByteBuffer result(long jobId, byte[] result) {
        ByteBuffer b = frame(1 + 8 + result.length);
        b.put(RESULT).putLong(jobId).put(result);
        return b.flip();
    }

    static ByteBuffer failure(long jobId, String exceptionClass, String text, int frameCapBytes) {
        byte[] name = shortString(exceptionClass);
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        int room = frameCapBytes - (1 + 8 + 2 + name.length);
        int textLength = Math.max(0, Math.min(body.length, room));
        ByteBuffer b = frame(1 + 8 + 2 + name.length + textLength);
        b.put(FAILURE).putLong(jobId).putShort((short) name.length).put(name).put(body, 0, textLength);
        return b.flip();
    }

    static ByteBuffer quit() {
        ByteBuffer b = frame(1);
        b.put(QUIT);
        return b.flip();
    }

    private static ByteBuffer frame(int bodyLength) {
        ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES + bodyLength);
        b.putInt(bodyLength);
        return b;
    }

    private static byte[] shortString(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > 0xffff) {
            throw new IllegalArgumentException("name longer than 65535 bytes: " + s.substring(0, 80) + "…");
        }
        return bytes;
    }

    /**
     * Parses one frame body (as cut by {@link FrameDecoder}).
     *
     * @param body the body, tag first
     * @return the message
     * @throws ProtocolException for an empty body, an unknown tag, or a payload that is truncated or too long
     */
    static Message parse(byte[] body) throws ProtocolException {
        if (body.length == 0) {
            throw new ProtocolException("empty frame");
        }
        ByteBuffer b = ByteBuffer.wrap(body);
        byte tag = b.get();
        switch (tag) {
            case HELLO -> {
                need(b, 4 + TOKEN_BYTES + 8, "HELLO");
                int slot = b.getInt();
                byte[] token = new byte[TOKEN_BYTES];
                b.get(token);
                long pid = b.getLong();
                noMore(b, "HELLO");
                return new Hello(slot, token, pid);
            }
            case JOB -> {
                need(b, 8 + 2, "JOB");
                long id = b.getLong();
                String name = readShortString(b, "JOB");
                return new Job(id, name, rest(b));
            }
            case RESULT -> {
                need(b, 8, "RESULT");
                return new Result(b.getLong(), rest(b));
            }
            case FAILURE -> {
                need(b, 8 + 2, "FAILURE");
                long id = b.getLong();
                String name = readShortString(b, "FAILURE");
                return new Failure(id, name, new String(rest(b), StandardCharsets.UTF_8));
            }
            case QUIT -> {
                noMore(b, "QUIT");
                return new Quit();
            }
            default -> throw new ProtocolException("unknown frame tag 0x" + Integer.toHexString(tag & 0xff));
        }
    }

    private static String readShortString(ByteBuffer b, String what) throws ProtocolException {
        int length = b.getShort() & 0xffff;
        need(b, length, what + " name");
        byte[] bytes = new byte[length];
        b.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static byte[] rest(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    private static void need(ByteBuffer b, int bytes, String what) throws ProtocolException {
        if (b.remaining() < bytes) {
            throw new ProtocolException("truncated " + what + ": needs " + bytes + " more bytes, has " + b.remaining());
        }
    }

    private static void noMore(ByteBuffer b, String what) throws ProtocolException {
        if (b.hasRemaining()) {
            throw new ProtocolException(what + " has " + b.remaining() + " unexpected trailing bytes");
        }
    }
}

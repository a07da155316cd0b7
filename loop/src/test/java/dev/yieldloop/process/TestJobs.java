package dev.yieldloop.process;

import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;

/**
 * Jobs the pool tests run in worker processes: well-behaved ones, and ones that crash by exiting, halting mid-result,
 * sending an oversized frame or an unknown tag.
 */
public final class TestJobs {
    private TestJobs() {}

    /** Base class for jobs taking and returning a long. */
    public abstract static class LongJob implements ProcessJob<Long, Long> {
        /** A job instance. */
        protected LongJob() {}

        @Override
        public Codec<Long> argumentCodec() {
            return Codec.LONG;
        }

        @Override
        public Codec<Long> resultCodec() {
            return Codec.LONG;
        }
    }

    /** Sum of i*i for i < n: the article's CPU workload. */
    public static final class SumOfSquares extends LongJob {
        /** A job instance. */
        public SumOfSquares() {}

        @Override
        public Long compute(Long n) {
            long sum = 0;
            for (long i = 0; i < n; i++) {
                sum += i * i;
            }
            return sum;
        }
    }

    /** The worker's pid, to tell workers apart. */
    public static final class Pid extends LongJob {
        /** A job instance. */
        public Pid() {}

        @Override
        public Long compute(Long ignored) {
            return ProcessHandle.current().pid();
        }
    }

    /** Sleeps the given milliseconds: a stand-in for a long computation. */
    public static final class Sleep extends LongJob {
        /** A job instance. */
        public Sleep() {}

        @Override
        public Long compute(Long millis) throws InterruptedException {
            TimeUnit.MILLISECONDS.sleep(millis);
            return millis;
        }
    }

    /** Throws. */
    public static final class Throws extends LongJob {
        /** A job instance. */
        public Throws() {}

        @Override
        public Long compute(Long n) {
            throw new ArithmeticException("no answer for " + n);
        }
    }

    /** Calls {@code System.exit(code)}. */
    public static final class Exit extends LongJob {
        /** A job instance. */
        public Exit() {}

        @Override
        public Long compute(Long code) {
            System.exit(code.intValue());
            return code;
        }
    }

    /** Calls {@code Runtime.halt(code)}: no shutdown hooks, no flushing. */
    public static final class Halt extends LongJob {
        /** A job instance. */
        public Halt() {}

        @Override
        public Long compute(Long code) {
            Runtime.getRuntime().halt(code.intValue());
            return code;
        }
    }

    /** Writes the start of a RESULT frame that declares 1,000 bytes, sends 10, then halts with code 3. */
    public static final class HaltMidResult extends LongJob {
        /** A job instance. */
        public HaltMidResult() {}

        @Override
        public Long compute(Long ignored) throws Exception {
            ByteBuffer partial = ByteBuffer.allocate(4 + 10);
            partial.putInt(1000).put(Wire.RESULT).putLong(1L).put((byte) 0).flip();
            write(partial);
            Runtime.getRuntime().halt(3);
            return 0L;
        }
    }

    /** Writes a header declaring 2^31 − 1 bytes, then waits to be killed. */
    public static final class HugeLength extends LongJob {
        /** A job instance. */
        public HugeLength() {}

        @Override
        public Long compute(Long ignored) throws Exception {
            write(ByteBuffer.allocate(4).putInt(Integer.MAX_VALUE).flip());
            TimeUnit.SECONDS.sleep(30);
            return 0L;
        }
    }

    /** Writes a well-framed message with an unknown tag, then waits to be killed. */
    public static final class UnknownTag extends LongJob {
        /** A job instance. */
        public UnknownTag() {}

        @Override
        public Long compute(Long ignored) throws Exception {
            write(ByteBuffer.allocate(5).putInt(1).put((byte) 'Z').flip());
            TimeUnit.SECONDS.sleep(30);
            return 0L;
        }
    }

    /** Returns more bytes than a 1 KiB frame cap allows. */
    public static final class BigResult implements ProcessJob<Long, byte[]> {
        /** A job instance. */
        public BigResult() {}

        @Override
        public Codec<Long> argumentCodec() {
            return Codec.LONG;
        }

        @Override
        public Codec<byte[]> resultCodec() {
            return Codec.BYTES;
        }

        @Override
        public byte[] compute(Long size) {
            return new byte[size.intValue()];
        }
    }

    private static void write(ByteBuffer b) throws java.io.IOException {
        SocketChannel ch = WorkerMain.channelForCrashTests();
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }
}

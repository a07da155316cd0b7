package dev.yieldloop.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Decoding what a worker (or anything on its socket) sends is safe: bad lengths, unknown tags,
 * truncated and garbage frames are protocol errors, never an {@link OutOfMemoryError}, and memory follows the bytes
 * that arrived, not the length a header declares.
 */
class WireDecodingTest {

    private static final int CAP = 16 << 20;

    private static ByteBuffer header(int declaredLength) {
        return ByteBuffer.allocate(4).putInt(declaredLength).flip();
    }

    @Test
    void aDeclaredLengthOfTwoToTheThirtyOneMinusOneIsRefusedBeforeAllocating() {
        FrameDecoder decoder = new FrameDecoder(CAP);
        assertThatThrownBy(() -> decoder.next(header(Integer.MAX_VALUE)))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("2147483647")
                .hasMessageContaining("frame cap");
    }

    @Test
    void negativeAndZeroLengthsAreRefused() {
        assertThatThrownBy(() -> new FrameDecoder(CAP).next(header(-1))).isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> new FrameDecoder(CAP).next(header(Integer.MIN_VALUE)))
                .isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> new FrameDecoder(CAP).next(header(0))).isInstanceOf(ProtocolException.class);
    }

    @Test
    void aLengthJustOverTheCapIsRefusedAndOneAtTheCapIsAccepted() throws Exception {
        assertThatThrownBy(() -> new FrameDecoder(100).next(header(101))).isInstanceOf(ProtocolException.class);
        FrameDecoder decoder = new FrameDecoder(100);
        ByteBuffer frame = ByteBuffer.allocate(104).putInt(100).put(Wire.QUIT).flip();
        frame.limit(104);
        assertThat(decoder.next(frame)).hasSize(100);
    }

    @Test
    void memoryFollowsTheBytesThatArrivedNotTheDeclaredLength() throws Exception {
        FrameDecoder decoder = new FrameDecoder(CAP);
        ByteBuffer claim = ByteBuffer.allocate(14).putInt(CAP).put(new byte[10]).flip();
        assertThat(decoder.next(claim)).isNull();
        assertThat(decoder.bufferedCapacity()).isLessThanOrEqualTo(4096);
        assertThat(decoder.inFrame()).isTrue();
    }

    @Test
    void framesSurviveAnySplitIncludingOneByteAtATime() throws Exception {
        ByteBuffer stream = ByteBuffer.allocate(1 << 16);
        stream.put(Wire.result(7, new byte[] {1, 2, 3}));
        stream.put(Wire.failure(8, "java.lang.ArithmeticException", "boom", CAP));
        stream.put(Wire.job(9, "a.B", new byte[5000]));
        stream.put(Wire.quit());
        stream.flip();
        FrameDecoder decoder = new FrameDecoder(CAP);
        List<Wire.Message> messages = new ArrayList<>();
        while (stream.hasRemaining()) {
            ByteBuffer one = stream.slice().limit(1);
            stream.position(stream.position() + 1);
            byte[] body = decoder.next(one);
            if (body != null) {
                messages.add(Wire.parse(body));
            }
        }
        assertThat(messages).hasSize(4);
        assertThat(((Wire.Result) messages.get(0)).result()).containsExactly(1, 2, 3);
        assertThat(messages.get(1)).isEqualTo(new Wire.Failure(8, "java.lang.ArithmeticException", "boom"));
        Wire.Job job = (Wire.Job) messages.get(2);
        assertThat(job.jobId()).isEqualTo(9);
        assertThat(job.className()).isEqualTo("a.B");
        assertThat(job.argument()).hasSize(5000);
        assertThat(messages.get(3)).isInstanceOf(Wire.Quit.class);
        assertThat(decoder.inFrame()).isFalse();
    }

    @Test
    void unknownTagsTruncatedBodiesAndTrailingBytesAreProtocolErrors() {
        assertThatThrownBy(() -> Wire.parse(new byte[] {'Z'}))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("unknown frame tag 0x5a");
        assertThatThrownBy(() -> Wire.parse(new byte[0])).isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> Wire.parse(new byte[] {Wire.HELLO, 0, 0}))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("truncated HELLO");
        assertThatThrownBy(() -> Wire.parse(new byte[] {Wire.RESULT, 1, 2}))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("truncated RESULT");
        byte[] job = ByteBuffer.allocate(1 + 8 + 2)
                .put(Wire.JOB)
                .putLong(1)
                .putShort((short) 0xffff)
                .array();
        assertThatThrownBy(() -> Wire.parse(job))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("truncated JOB name");
        assertThatThrownBy(() -> Wire.parse(new byte[] {Wire.QUIT, 0}))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("trailing");
    }

    @Test
    void helloRoundTrips() throws Exception {
        byte[] token = new byte[Wire.TOKEN_BYTES];
        token[3] = 42;
        ByteBuffer frame = Wire.hello(2, token, 12345L);
        byte[] body = new FrameDecoder(CAP).next(frame);
        Wire.Hello hello = (Wire.Hello) Wire.parse(body);
        assertThat(hello.slot()).isEqualTo(2);
        assertThat(hello.token()).isEqualTo(token);
        assertThat(hello.pid()).isEqualTo(12345L);
    }

    @Test
    void theWorkerRefusesClassesThatAreNotJobsWithoutInitializingThem() {
        assertThatThrownBy(() -> WorkerMain.loadJob("java.lang.Runtime"))
                .isInstanceOf(SecurityException.class)
                .hasMessageContaining("is not a dev.yieldloop.process.ProcessJob");
        assertThatThrownBy(() -> WorkerMain.loadJob(NotAJob.class.getName())).isInstanceOf(SecurityException.class);
        assertThat(System.getProperty(NotAJob.MARK))
                .as("static initializer ran")
                .isNull();
        assertThatThrownBy(() -> WorkerMain.loadJob(TestJobs.LongJob.class.getName()))
                .isInstanceOf(SecurityException.class)
                .hasMessageContaining("concrete");
        assertThatThrownBy(() -> WorkerMain.loadJob("no.such.Job")).isInstanceOf(ClassNotFoundException.class);
    }

    @Test
    void codecsRejectMalformedBytes() {
        assertThatThrownBy(() -> Codec.LONG.decode(new byte[3])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Codec.LONGS.decode(new byte[9])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Codec.UTF8.decode(new byte[] {(byte) 0xc3}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(Codec.UTF8.decode("héllo".getBytes(StandardCharsets.UTF_8))).isEqualTo("héllo");
        assertThat(Codec.LONGS.decode(Codec.LONGS.encode(new long[] {1, -2, Long.MAX_VALUE})))
                .containsExactly(1, -2, Long.MAX_VALUE);
    }

    /** Not a job; its static initializer leaves a mark if anything ever runs it. */
    static final class NotAJob {
        static final String MARK = "yieldloop.test.NotAJob.initialized";

        static {
            System.setProperty(MARK, "yes");
        }

        private NotAJob() {}
    }
}

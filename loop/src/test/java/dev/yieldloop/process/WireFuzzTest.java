package dev.yieldloop.process;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The worker-payload decoding fuzz test: whatever bytes arrive on a worker socket, cut however, the decoder and parser
 * either return messages or throw {@link ProtocolException}, never anything else (no {@link OutOfMemoryError}, no
 * runtime exception). {@code mvn verify} runs the seed corpus in {@code src/test/resources/.../WireFuzzTestInputs};
 * {@code JAZZER_FUZZ=1} fuzzes.
 */
class WireFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void decodingArbitraryBytesFailsOnlyWithProtocolErrors(byte[] input) {
        int cap = 1 << 16;
        int split = input.length == 0 ? 0 : (input[0] & 0xff) % (input.length + 1);
        FrameDecoder decoder = new FrameDecoder(cap);
        int frameStart = 0; // where the next frame's header begins in input
        try {
            for (ByteBuffer part : new ByteBuffer[] {
                ByteBuffer.wrap(input, 0, split), ByteBuffer.wrap(input, split, input.length - split)
            }) {
                byte[] body;
                while ((body = decoder.next(part)) != null) {
                    // each frame is exactly the bytes its header announced, cut from the stream in order
                    int declared = ByteBuffer.wrap(input, frameStart, Wire.HEADER_BYTES)
                            .getInt();
                    assertThat(body).as("frame at byte %d", frameStart).hasSize(declared);
                    assertThat(body)
                            .isEqualTo(Arrays.copyOfRange(
                                    input, frameStart + Wire.HEADER_BYTES, frameStart + Wire.HEADER_BYTES + declared));
                    frameStart += Wire.HEADER_BYTES + declared;
                    assertThat(Wire.parse(body)).isNotNull();
                }
                assertThat(part.hasRemaining())
                        .as("null only once the bytes ran out")
                        .isFalse();
                // memory follows what arrived: at most the first 4 KiB, or twice the body bytes received
                int arrived = part.limit() - frameStart - Wire.HEADER_BYTES;
                assertThat(decoder.bufferedCapacity()).isLessThanOrEqualTo(Math.max(4096, 2 * Math.max(0, arrived)));
            }
            assertThat(input.length - frameStart)
                    .as("what is left is one incomplete frame")
                    .isLessThan(Wire.HEADER_BYTES + cap);
        } catch (ProtocolException expected) {
            // the one allowed outcome besides messages: a declared length out of range, or a body Wire cannot parse
        }
    }
}

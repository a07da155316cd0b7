package dev.yieldloop.process;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;

/**
 * RELIABILITY row 25's fuzz test: whatever bytes arrive on a worker socket, cut however, the decoder and parser either
 * return messages or throw {@link ProtocolException}, never anything else (no {@link OutOfMemoryError}, no runtime
 * exception). {@code mvn verify} runs the seed corpus in {@code src/test/resources/.../WireFuzzTestInputs}; {@code
 * JAZZER_FUZZ=1} fuzzes.
 */
class WireFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void decodingArbitraryBytesFailsOnlyWithProtocolErrors(byte[] input) {
        int split = input.length == 0 ? 0 : (input[0] & 0xff) % (input.length + 1);
        FrameDecoder decoder = new FrameDecoder(1 << 16);
        try {
            for (ByteBuffer part : new ByteBuffer[] {
                ByteBuffer.wrap(input, 0, split), ByteBuffer.wrap(input, split, input.length - split)
            }) {
                byte[] body;
                while ((body = decoder.next(part)) != null) {
                    Wire.parse(body);
                }
            }
        } catch (ProtocolException expected) {
            // the one allowed outcome besides messages
        }
    }
}

package dev.yieldloop.demo.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;

/**
 * The malformed-request fuzz test: whatever the bytes and however they are split, the parser returns a result (never
 * throws), rejects only with 400, 414 or 431, and never consumes bytes it was not given. In {@code mvn verify} it runs
 * the seed corpus under {@code src/test/resources/.../HttpRequestParserFuzzTestInputs}; with {@code JAZZER_FUZZ=1} it
 * fuzzes.
 */
class HttpRequestParserFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void parserNeverThrowsAndRejectsOnlyWith4xx(byte[] input) {
        HttpRequestParser parser = new HttpRequestParser();
        int split = input.length == 0 ? 0 : (input[0] & 0xff) % (input.length + 1);
        for (ByteBuffer part :
                new ByteBuffer[] {ByteBuffer.wrap(input, 0, split), ByteBuffer.wrap(input, split, input.length - split)
                }) {
            // Every feed either consumes bytes or asks for more, so this ends after at most one feed per byte; the
            // bound turns a parser that stopped consuming into a failure instead of a hang.
            int feeds = 0;
            while (part.hasRemaining()) {
                assertThat(++feeds).as("feeds for %d bytes", input.length).isLessThanOrEqualTo(input.length);
                int before = part.remaining();
                HttpRequestParser.Result r = parser.feed(part);
                assertThat(r).isNotNull();
                if (r instanceof HttpRequestParser.Reject reject) {
                    assertThat(reject.status()).isIn(400, 414, 431);
                    assertThat(part.hasRemaining()).isFalse();
                } else if (r instanceof HttpRequestParser.NeedMore) {
                    assertThat(part.hasRemaining()).isFalse();
                } else {
                    assertThat(part.remaining())
                            .as("a request is returned only after consuming its last byte")
                            .isLessThan(before);
                }
            }
        }
    }
}

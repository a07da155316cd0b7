package dev.yieldloop.demo.cpu;

/**
 * The article's CPU-bound workload: {@code sum(i * i for i in range(n))} for 20 numbers starting at a base.
 *
 * <p>Sums are in {@code long} arithmetic and wrap modulo 2<sup>64</sup> (for the demo's bases they do wrap); the
 * wrapped value is deterministic, so it still serves as the checksum that must agree across strategies. Every result
 * goes into the printed checksum, which keeps the JIT from removing the loop.
 */
public final class SumOfSquares {

    /** How many numbers the workload sums over: the article's 20. */
    public static final int COUNT = 20;

    /** Where {@link #warmUp()} leaves its result. */
    private static volatile long warmUpSink;

    private SumOfSquares() {}

    /**
     * The workload's inputs.
     *
     * @param base the first number
     * @param count how many numbers
     * @return {@code base, base + 1, …, base + count - 1}
     * @throws IllegalArgumentException if {@code base < 0} or {@code count < 1}
     */
    public static long[] numbers(long base, int count) {
        if (base < 0 || count < 1) {
            throw new IllegalArgumentException("base must be >= 0 and count >= 1, got " + base + ", " + count);
        }
        long[] numbers = new long[count];
        for (int i = 0; i < count; i++) {
            numbers[i] = base + i;
        }
        return numbers;
    }

    /**
     * Thread-safe (pure). The sum of {@code i * i} for {@code 0 <= i < n}, modulo 2<sup>64</sup>.
     *
     * @param n the bound, at least 0
     * @return the wrapped sum
     */
    public static long compute(long n) {
        return continueSum(0, 0, n);
    }

    /**
     * Thread-safe (pure). Continues a sum: {@code partial} plus {@code i * i} for {@code from <= i < to}, so a caller can
     * compute in slices and take turns between them.
     *
     * @param partial the sum so far
     * @param from the first {@code i} of this slice
     * @param to one past the last {@code i}
     * @return the new partial sum, modulo 2<sup>64</sup>
     */
    public static long continueSum(long partial, long from, long to) {
        long sum = partial;
        for (long i = from; i < to; i++) {
            sum += i * i;
        }
        return sum;
    }

    /**
     * Runs the workload's loop until the JIT has compiled it as an ordinary method, so that the strategies measured
     * after it run the same machine code whatever order they come in. Without it the first strategy pays the warm-up,
     * and one that calls the loop often ({@code event-loop}, in slices) can get better-optimized code than one that
     * calls it 20 times and runs it through on-stack replacement ({@code sequential}). Worker processes of the process
     * pool start cold; that is part of their cost.
     *
     * @return what was done, e.g. {@code 400 calls, 61 ms}
     */
    static String warmUp() {
        long start = System.nanoTime();
        long sink = 0;
        int calls = 400;
        for (int i = 0; i < calls; i++) {
            sink += continueSum(sink, 0, 500_000);
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        warmUpSink = sink; // a use of every result, so the JIT cannot remove the calls
        return calls + " calls, " + millis + " ms";
    }

    /**
     * The checksum of a run: a digest of every result in order (SHA-256, first 16 hex digits), fixed-width so the
     * table's column never truncates it, and equal across strategies exactly when every sum is.
     *
     * @param results one sum per number
     * @return 16 lower-case hex digits
     */
    public static String checksum(long[] results) {
        java.security.MessageDigest sha;
        try {
            sha = java.security.MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(Long.BYTES * results.length);
        for (long r : results) {
            bytes.putLong(r);
        }
        sha.update(bytes.flip());
        return java.util.HexFormat.of().formatHex(sha.digest(), 0, 8);
    }
}

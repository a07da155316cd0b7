package dev.yieldloop.demo.cpu;

/**
 * How the CPU-bound strategies run.
 *
 * @param threads platform threads of the {@code threads} strategy (default: available processors)
 * @param processes worker processes of the {@code process-pool} strategy (default: available processors)
 */
public record CpuSettings(int threads, int processes) {

    /**
     * Validates the settings.
     *
     * @param threads see the record component
     * @param processes see the record component
     * @throws IllegalArgumentException if either is below 1
     */
    public CpuSettings {
        if (threads < 1 || processes < 1) {
            throw new IllegalArgumentException(
                    "threads and processes must be >= 1, got " + threads + " and " + processes);
        }
    }
}

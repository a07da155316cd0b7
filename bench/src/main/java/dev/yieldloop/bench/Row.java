package dev.yieldloop.bench;

import java.util.Objects;

/**
 * One measured figure: one benchmark on one system, as one row of the JSON report and of the printed table.
 *
 * @param benchmark what was measured, e.g. {@code yield} or {@code echo}
 * @param system who was measured, e.g. {@code yieldloop}, {@code netty}, {@code virtual-threads}
 * @param metric {@code throughput}, {@code latency-p50}, {@code cpu-per-op}, {@code heap-per-task} and the like
 * @param unit the unit of {@code value}: {@code ops/s}, {@code us}, {@code us/op}, {@code B}
 * @param value the figure, or null when the row was skipped or failed
 * @param error the half-width of JMH's 99.9 % confidence interval (or another stated spread), or null when none
 * @param higherIsBetter whether a larger value is the better one (throughput) or the worse one (latency, memory)
 * @param status {@code ok}, {@code skipped} or {@code failed}
 * @param reason why the row was skipped or failed, or a note on how it was measured; may be null
 * @param load the machine's {@code /proc/loadavg} just before the measurement, or null when not read
 */
public record Row(
        String benchmark,
        String system,
        String metric,
        String unit,
        Double value,
        Double error,
        boolean higherIsBetter,
        String status,
        String reason,
        String load) {

    /**
     * Checks the names.
     *
     * @param benchmark see the record component
     * @param system see the record component
     * @param metric see the record component
     * @param unit see the record component
     * @param value see the record component
     * @param error see the record component
     * @param higherIsBetter see the record component
     * @param status see the record component
     * @param reason see the record component
     * @param load see the record component
     */
    public Row {
        Objects.requireNonNull(benchmark, "benchmark");
        Objects.requireNonNull(system, "system");
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(status, "status");
    }

    /**
     * A measured row.
     *
     * @param benchmark the benchmark
     * @param system the system
     * @param metric the metric
     * @param unit the unit
     * @param value the figure
     * @param error its spread, or null
     * @param higherIsBetter whether more is better
     * @param load {@code /proc/loadavg} before the measurement, or null
     * @return the row, status {@code ok}
     */
    public static Row ok(
            String benchmark,
            String system,
            String metric,
            String unit,
            double value,
            Double error,
            boolean higherIsBetter,
            String load) {
        return new Row(benchmark, system, metric, unit, value, error, higherIsBetter, "ok", null, load);
    }

    /**
     * A row that could not run here.
     *
     * @param benchmark the benchmark
     * @param system the system
     * @param metric the metric
     * @param unit the unit
     * @param higherIsBetter whether more is better
     * @param reason why, e.g. {@code virtual threads need JDK 21+; this is JDK 17}
     * @return the row, status {@code skipped}, no value
     */
    public static Row skipped(
            String benchmark, String system, String metric, String unit, boolean higherIsBetter, String reason) {
        return new Row(benchmark, system, metric, unit, null, null, higherIsBetter, "skipped", reason, null);
    }

    /**
     * A row whose measurement failed.
     *
     * @param benchmark the benchmark
     * @param system the system
     * @param metric the metric
     * @param unit the unit
     * @param higherIsBetter whether more is better
     * @param reason the failure, one line
     * @return the row, status {@code failed}, no value
     */
    public static Row failed(
            String benchmark, String system, String metric, String unit, boolean higherIsBetter, String reason) {
        return new Row(benchmark, system, metric, unit, null, null, higherIsBetter, "failed", reason, null);
    }

    /**
     * This row with a note attached.
     *
     * @param note how it was measured
     * @return a copy with {@code reason} set to {@code note}
     */
    public Row withNote(String note) {
        return new Row(benchmark, system, metric, unit, value, error, higherIsBetter, status, note, load);
    }
}

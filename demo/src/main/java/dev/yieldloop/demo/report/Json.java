package dev.yieldloop.demo.report;

import dev.yieldloop.demo.DemoException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the demo's {@code --json} files: maps (keys in insertion order), lists, strings, numbers, booleans and null,
 * as RFC 8259 JSON. The shapes are small and fixed, so this stays a 100-line writer rather than a dependency.
 */
public final class Json {

    private Json() {}

    /**
     * The JSON object for one strategy result, in the shape the issue fixes: {@code {"strategy":…,"wallMillis":…,
     * "ok":…,"errors":…,"peakThreads":…,"peakHeapBytes":…,"checksum":…}}, or {@code {"strategy":…,"skipped":true,
     * "reason":…}}.
     *
     * @param result the result
     * @return an ordered map ready for {@link #write(Object)}
     */
    public static Map<String, Object> toMap(StrategyResult result) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("strategy", result.strategy());
        if (result.skipped()) {
            map.put("skipped", true);
            map.put("reason", result.reason());
            return map;
        }
        map.put("wallMillis", result.wallMillis());
        map.put("ok", result.ok());
        map.put("errors", result.errors());
        map.put("peakThreads", result.peakThreads());
        map.put("peakHeapBytes", result.peakHeapBytes());
        map.put("checksum", result.checksum());
        if (result.firstError() != null) {
            map.put("firstError", result.firstError());
        }
        return map;
    }

    /**
     * Writes a workload command's {@code --json} file: {@code {"workload":…,"params":{…},"results":[…]}}.
     *
     * @param file the file to (over)write
     * @param workload e.g. {@code io}
     * @param params the run's parameters, in the order to write them
     * @param results one JSON value per strategy, in run order
     * @throws DemoException if the file cannot be written, naming it
     */
    public static void writeWorkload(Path file, String workload, Map<String, Object> params, List<?> results)
            throws DemoException {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("workload", workload);
        root.put("params", params);
        root.put("results", results);
        try {
            writeFile(file, root);
        } catch (IOException e) {
            throw new DemoException("cannot write " + file + ": " + e, e);
        }
    }

    /**
     * Writes {@code value} as JSON to {@code file} (UTF-8, one trailing newline), creating parent directories.
     *
     * @param file the file to (over)write
     * @param value a map, list, string, number, boolean or null, nested freely
     * @throws IOException if the file cannot be written
     * @throws IllegalArgumentException if a value of another type is found
     */
    public static void writeFile(Path file, Object value) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, write(value) + "\n", StandardCharsets.UTF_8);
    }

    /**
     * Renders {@code value} as compact JSON.
     *
     * @param value a map, list, string, number, boolean or null, nested freely
     * @return the JSON text
     * @throws IllegalArgumentException if a value of another type is found, or a number is NaN or infinite
     */
    public static String write(Object value) {
        StringBuilder out = new StringBuilder();
        append(out, value);
        return out.toString();
    }

    private static void append(StringBuilder out, Object value) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String s) {
            appendString(out, s);
        } else if (value instanceof Boolean b) {
            out.append(b);
        } else if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new IllegalArgumentException("JSON has no " + d);
            }
            out.append(d);
        } else if (value instanceof Number n) {
            out.append(n);
        } else if (value instanceof Map<?, ?> map) {
            out.append('{');
            String sep = "";
            for (Map.Entry<?, ?> e : map.entrySet()) {
                out.append(sep);
                appendString(out, String.valueOf(e.getKey()));
                out.append(':');
                append(out, e.getValue());
                sep = ",";
            }
            out.append('}');
        } else if (value instanceof List<?> list) {
            out.append('[');
            String sep = "";
            for (Object element : list) {
                out.append(sep);
                append(out, element);
                sep = ",";
            }
            out.append(']');
        } else {
            throw new IllegalArgumentException(
                    "not a JSON value: " + value.getClass().getName());
        }
    }

    private static void appendString(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}

package dev.yieldloop.testing;

import java.util.List;

/** Cuts the code between {@code // --8<-- [start:name]} and {@code [end:name]} markers, for pages that quote tests. */
public final class DocRegions {

    private DocRegions() {}

    /** The lines between the start and end markers of {@code name}, without their common indentation. */
    public static String region(String source, String name) {
        String start = "// --8<-- [start:" + name + "]\n";
        String end = "// --8<-- [end:" + name + "]";
        int from = source.indexOf(start);
        if (from < 0) {
            throw new IllegalArgumentException("no region " + name);
        }
        String body = source.substring(from + start.length(), source.indexOf(end));
        List<String> lines = body.substring(0, body.lastIndexOf('\n')).lines().toList();
        int indent = lines.stream()
                .filter(l -> !l.isBlank())
                .mapToInt(l -> l.length() - l.stripLeading().length())
                .min()
                .orElse(0);
        StringBuilder out = new StringBuilder();
        for (String line : lines) {
            out.append(line.isBlank() ? "" : line.substring(indent)).append('\n');
        }
        return out.toString();
    }
}

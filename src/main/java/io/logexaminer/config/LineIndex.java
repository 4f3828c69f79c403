package io.logexaminer.config;

import java.util.HashMap;
import java.util.Map;

/**
 * Where each YAML path was written. A value that came from a default has no line of its own: it is
 * reported at the nearest enclosing path the user did write, or at line 1.
 */
public final class LineIndex {
    private final Map<String, Integer> lines = new HashMap<>();

    void put(String path, int line) {
        lines.putIfAbsent(path, line);
    }

    public int lineOf(String path) {
        String p = path;
        while (!p.isEmpty()) {
            Integer line = lines.get(p);
            if (line != null) {
                return line;
            }
            p = parent(p);
        }
        return 1;
    }

    static String parent(String path) {
        int dot = path.lastIndexOf('.');
        int bracket = path.lastIndexOf('[');
        int cut = Math.max(dot, bracket);
        return cut < 0 ? "" : path.substring(0, cut);
    }
}

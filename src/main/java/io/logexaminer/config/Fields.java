package io.logexaminer.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Reads the keys of one YAML mapping into Java values. Every key asked for is known; {@link #end()} reports
 * the keys nobody asked for. Problems are collected, never thrown, so that one run reports them all; a value
 * with a problem reads as its default so reading can go on.
 */
final class Fields {
    private final String source;
    private final List<Problem> problems;
    private final LineIndex lines;
    private final YamlNode.Mapping node;
    private final String path;
    private final Set<String> known = new LinkedHashSet<>();

    Fields(String source, List<Problem> problems, LineIndex lines, YamlNode.Mapping node, String path) {
        this.source = source;
        this.problems = problems;
        this.lines = lines;
        this.node = node;
        this.path = path;
    }

    String path() {
        return path;
    }

    String pathOf(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    boolean has(String key) {
        known.add(key);
        YamlNode value = value(key);
        return value != null && !isNull(value);
    }

    String string(String key, String defaultValue) {
        YamlNode value = take(key);
        if (value == null) {
            return defaultValue;
        }
        if (value instanceof YamlNode.Scalar s && s.type() != YamlNode.ScalarType.BOOLEAN) {
            return s.text();
        }
        error(value, pathOf(key), "expected a string, found " + value.kind());
        return defaultValue;
    }

    /** A required string: a missing one is an error naming the key. */
    String requiredString(String key) {
        String value = string(key, null);
        if (value == null && !hasError(pathOf(key))) {
            error(node == null ? 1 : node.line(), pathOf(key), "is required");
        }
        return value == null ? "" : value;
    }

    int integer(String key, int defaultValue) {
        YamlNode value = take(key);
        if (value == null) {
            return defaultValue;
        }
        if (value instanceof YamlNode.Scalar s && s.type() == YamlNode.ScalarType.INTEGER) {
            try {
                return Integer.parseInt(s.text());
            } catch (NumberFormatException e) {
                error(value, pathOf(key), s.text() + " is too large");
                return defaultValue;
            }
        }
        error(value, pathOf(key), "expected an integer, found " + describe(value));
        return defaultValue;
    }

    boolean bool(String key, boolean defaultValue) {
        YamlNode value = take(key);
        if (value == null) {
            return defaultValue;
        }
        if (value instanceof YamlNode.Scalar s && s.type() == YamlNode.ScalarType.BOOLEAN) {
            return Boolean.parseBoolean(s.text().toLowerCase(Locale.ROOT));
        }
        error(value, pathOf(key), "expected true or false, found " + describe(value));
        return defaultValue;
    }

    /** One of a fixed set of spellings, compared without regard to case. */
    <E extends Enum<E>> E choice(String key, E defaultValue, Map<String, E> spellings) {
        String text = string(key, null);
        if (text == null) {
            return defaultValue;
        }
        for (Map.Entry<String, E> e : spellings.entrySet()) {
            if (e.getKey().equalsIgnoreCase(text)) {
                return e.getValue();
            }
        }
        error(value(key), pathOf(key), "'" + text + "' is not one of " + String.join(", ", spellings.keySet()));
        return defaultValue;
    }

    /** A list of choices from a fixed set of spellings; repeats are dropped, unknown ones reported. */
    <E extends Enum<E>> List<E> choices(String key, List<E> defaultValue, Map<String, E> spellings) {
        List<String> texts = strings(key, null);
        if (texts == null) {
            return defaultValue;
        }
        List<E> out = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            String text = texts.get(i);
            E match = spellings.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(text))
                    .map(Map.Entry::getValue).findFirst().orElse(null);
            String itemPath = pathOf(key) + "[" + i + "]";
            if (match == null) {
                error(lines.lineOf(itemPath), itemPath, "'" + text + "' is not one of " + String.join(", ", spellings.keySet()));
            } else if (!out.contains(match)) {
                out.add(match);
            }
        }
        return List.copyOf(out);
    }

    List<String> strings(String key, List<String> defaultValue) {
        YamlNode value = take(key);
        if (value == null) {
            return defaultValue;
        }
        if (!(value instanceof YamlNode.Sequence seq)) {
            error(value, pathOf(key), "expected a list of strings, found " + value.kind());
            return defaultValue;
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < seq.items().size(); i++) {
            YamlNode item = seq.items().get(i);
            String itemPath = pathOf(key) + "[" + i + "]";
            lines.put(itemPath, item.line());
            if (item instanceof YamlNode.Scalar s && s.type() != YamlNode.ScalarType.NULL && s.type() != YamlNode.ScalarType.BOOLEAN) {
                out.add(s.text());
            } else {
                error(item, itemPath, "expected a string, found " + item.kind());
            }
        }
        return List.copyOf(out);
    }

    Map<String, String> stringMap(String key, Map<String, String> defaultValue) {
        YamlNode value = take(key);
        if (value == null) {
            return defaultValue;
        }
        if (!(value instanceof YamlNode.Mapping map)) {
            error(value, pathOf(key), "expected a mapping of strings, found " + value.kind());
            return defaultValue;
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (YamlNode.Entry e : map.entries().values()) {
            String entryPath = pathOf(key) + "." + e.key();
            lines.put(entryPath, e.keyLine());
            if (e.value() instanceof YamlNode.Scalar s && s.type() != YamlNode.ScalarType.NULL) {
                out.put(e.key(), s.text());
            } else {
                error(e.value(), entryPath, "expected a string, found " + e.value().kind());
            }
        }
        return Map.copyOf(out);
    }

    /** A nested mapping; when absent the reader still runs on an empty mapping, so its defaults apply. */
    <T> T object(String key, Function<Fields, T> reader) {
        YamlNode value = take(key);
        YamlNode.Mapping mapping = null;
        if (value instanceof YamlNode.Mapping m) {
            mapping = m;
        } else if (value != null) {
            error(value, pathOf(key), "expected a mapping, found " + value.kind());
        }
        Fields child = new Fields(source, problems, lines, mapping, pathOf(key));
        T result = reader.apply(child);
        child.end();
        return result;
    }

    /** A list of mappings, each read by {@code itemReader}; absent reads as {@code defaultValue}. */
    <T> List<T> objects(String key, Function<Fields, T> itemReader, Supplier<List<T>> defaultValue) {
        YamlNode value = take(key);
        if (value == null) {
            return defaultValue.get();
        }
        if (!(value instanceof YamlNode.Sequence seq)) {
            error(value, pathOf(key), "expected a list, found " + value.kind());
            return defaultValue.get();
        }
        List<T> out = new ArrayList<>();
        for (int i = 0; i < seq.items().size(); i++) {
            YamlNode item = seq.items().get(i);
            String itemPath = pathOf(key) + "[" + i + "]";
            lines.put(itemPath, item.line());
            if (!(item instanceof YamlNode.Mapping m)) {
                error(item, itemPath, "expected a mapping, found " + item.kind());
                continue;
            }
            Fields child = new Fields(source, problems, lines, m, itemPath);
            out.add(itemReader.apply(child));
            child.end();
        }
        return List.copyOf(out);
    }

    /** Reports every key of this mapping that no reader asked for. */
    void end() {
        if (node == null) {
            return;
        }
        for (YamlNode.Entry e : node.entries().values()) {
            if (!known.contains(e.key())) {
                problems.add(new Problem(source, e.keyLine(), pathOf(e.key()),
                        "unknown key" + suggestion(e.key()), Problem.Severity.ERROR));
            }
        }
    }

    private String suggestion(String key) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            int d = editDistance(key.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                bestDistance = d;
                best = candidate;
            }
        }
        if (best != null && bestDistance <= Math.max(2, key.length() / 3)) {
            return " (did you mean '" + best + "'?)";
        }
        return known.isEmpty() ? "" : " (expected one of: " + String.join(", ", known) + ")";
    }

    private static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    private YamlNode value(String key) {
        if (node == null) {
            return null;
        }
        YamlNode.Entry e = node.entries().get(key);
        return e == null ? null : e.value();
    }

    /** Marks the key known and returns its value, or null when absent or written as null. */
    private YamlNode take(String key) {
        known.add(key);
        if (node == null) {
            return null;
        }
        YamlNode.Entry e = node.entries().get(key);
        if (e == null) {
            return null;
        }
        lines.put(pathOf(key), e.keyLine());
        return isNull(e.value()) ? null : e.value();
    }

    private static boolean isNull(YamlNode value) {
        return value instanceof YamlNode.Scalar s && s.type() == YamlNode.ScalarType.NULL;
    }

    private static String describe(YamlNode value) {
        return value instanceof YamlNode.Scalar s && s.type() != YamlNode.ScalarType.NULL
                ? value.kind() + " '" + s.text() + "'"
                : value.kind();
    }

    private boolean hasError(String errorPath) {
        return problems.stream().anyMatch(p -> p.path().equals(errorPath));
    }

    private void error(YamlNode at, String errorPath, String message) {
        error(at == null ? (node == null ? 1 : node.line()) : at.line(), errorPath, message);
    }

    private void error(int line, String errorPath, String message) {
        problems.add(new Problem(source, line, errorPath, message, Problem.Severity.ERROR));
    }
}

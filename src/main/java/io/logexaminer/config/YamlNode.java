package io.logexaminer.config;

import java.util.LinkedHashMap;
import java.util.List;

/** A parsed YAML node that remembers the line it started on, so every problem can name its line. */
public sealed interface YamlNode {

    int line();

    /** What the user would call this kind of node in an error message. */
    String kind();

    record Mapping(int line, LinkedHashMap<String, Entry> entries) implements YamlNode {
        public String kind() {
            return "a mapping";
        }
    }

    /** A key of a mapping, with the line of the key itself. */
    record Entry(String key, int keyLine, YamlNode value) {
    }

    record Sequence(int line, List<YamlNode> items) implements YamlNode {
        public String kind() {
            return "a list";
        }
    }

    /**
     * A scalar as written. {@code text} is the source text; {@code type} says how YAML resolved it,
     * so that {@code version: 1.30} can be read as the string "1.30" without losing the zero.
     */
    record Scalar(int line, String text, ScalarType type) implements YamlNode {
        public String kind() {
            return switch (type) {
                case STRING -> "a string";
                case INTEGER -> "an integer";
                case FLOAT -> "a number";
                case BOOLEAN -> "a boolean";
                case NULL -> "null";
            };
        }
    }

    enum ScalarType { STRING, INTEGER, FLOAT, BOOLEAN, NULL }
}

package io.logexaminer.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/** Reads one YAML document into {@link YamlNode}s with their lines; malformed YAML is one {@link Problem}. */
final class YamlParser {
    private static final YAMLFactory FACTORY = YAMLFactory.builder().build();

    private final String source;
    private final List<Problem> problems;

    YamlParser(String source, List<Problem> problems) {
        this.source = source;
        this.problems = problems;
    }

    /** The document's root node, or null when the text is not well-formed YAML (the problem is recorded). */
    YamlNode parse(String text) {
        try (JsonParser parser = FACTORY.createParser(text)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return new YamlNode.Mapping(1, new LinkedHashMap<>());
            }
            YamlNode root = read(parser, "");
            if (parser.nextToken() != null) {
                error(line(parser.currentTokenLocation()), "", "only one YAML document is allowed; found another after line " + root.line());
            }
            return root;
        } catch (JsonProcessingException e) {
            JsonLocation where = e.getLocation();
            error(where == null ? 1 : Math.max(1, where.getLineNr()), "", "not valid YAML: " + firstLine(e.getOriginalMessage()));
            return null;
        } catch (IOException e) {
            error(1, "", "cannot read: " + e.getMessage());
            return null;
        }
    }

    private YamlNode read(JsonParser parser, String path) throws IOException {
        JsonToken token = parser.currentToken();
        int line = line(parser.currentTokenLocation());
        switch (token) {
            case START_OBJECT -> {
                LinkedHashMap<String, YamlNode.Entry> entries = new LinkedHashMap<>();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String key = parser.currentName();
                    int keyLine = line(parser.currentTokenLocation());
                    parser.nextToken();
                    String childPath = path.isEmpty() ? key : path + "." + key;
                    YamlNode value = read(parser, childPath);
                    if (entries.containsKey(key)) {
                        error(keyLine, childPath, "duplicate key (first at line " + entries.get(key).keyLine() + ")");
                    } else {
                        entries.put(key, new YamlNode.Entry(key, keyLine, value));
                    }
                }
                return new YamlNode.Mapping(line, entries);
            }
            case START_ARRAY -> {
                List<YamlNode> items = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    items.add(read(parser, path + "[" + items.size() + "]"));
                }
                return new YamlNode.Sequence(line, items);
            }
            case VALUE_STRING -> {
                return new YamlNode.Scalar(line, parser.getText(), YamlNode.ScalarType.STRING);
            }
            case VALUE_NUMBER_INT -> {
                return new YamlNode.Scalar(line, parser.getText(), YamlNode.ScalarType.INTEGER);
            }
            case VALUE_NUMBER_FLOAT -> {
                return new YamlNode.Scalar(line, parser.getText(), YamlNode.ScalarType.FLOAT);
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return new YamlNode.Scalar(line, parser.getText(), YamlNode.ScalarType.BOOLEAN);
            }
            case VALUE_NULL -> {
                return new YamlNode.Scalar(line, "", YamlNode.ScalarType.NULL);
            }
            default -> {
                error(line, path, "unsupported YAML content (" + token + ")");
                return new YamlNode.Scalar(line, "", YamlNode.ScalarType.NULL);
            }
        }
    }

    private void error(int line, String path, String message) {
        problems.add(new Problem(source, line, path, message, Problem.Severity.ERROR));
    }

    private static int line(JsonLocation location) {
        return location == null ? 1 : Math.max(1, location.getLineNr());
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "parse error";
        }
        String line = message.strip().lines().findFirst().orElse("parse error");
        return line.endsWith(":") ? line.substring(0, line.length() - 1) : line;
    }
}

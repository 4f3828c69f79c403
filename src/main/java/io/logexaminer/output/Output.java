package io.logexaminer.output;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;

/**
 * Where a command writes: data to stdout, everything else to stderr. With {@code -o json}, stdout carries only
 * JSON documents. Colors only on a terminal and never with {@code --no-color} or {@code NO_COLOR}.
 */
public final class Output {
    /** Made on first use: an ObjectMapper loads some 300 classes, which a command printing no JSON need not pay for. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    /** Made on first use, as {@link Json}. */
    private static final class Yaml {
        static final ObjectMapper MAPPER = new ObjectMapper(YAMLFactory.builder()
                .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
                .build());
    }

    private final Io io;
    private final OutputFormat format;
    private final boolean color;
    private final int verbosity;

    public Output(Io io, OutputFormat format, boolean color, int verbosity) {
        this.io = io;
        this.format = format;
        this.color = color;
        this.verbosity = verbosity;
    }

    public boolean json() {
        return format == OutputFormat.json;
    }

    public boolean interactive() {
        return io.interactive();
    }

    public int verbosity() {
        return verbosity;
    }

    public boolean color() {
        return color;
    }

    /** stdout: the data a command was asked for. */
    public PrintStream data() {
        return io.out();
    }

    /** stderr: logs, progress and prompts. */
    public PrintStream log() {
        return io.err();
    }

    /** A line of news on stderr. */
    public void info(String message) {
        io.err().println(message);
    }

    /** A line on stderr only with {@code -v}. */
    public void detail(String message) {
        if (verbosity > 0) {
            io.err().println(message);
        }
    }

    public void warn(String message) {
        io.err().println(paint("warning: ", Style.YELLOW) + message);
    }

    public void error(String message) {
        io.err().println(paint("error: ", Style.RED) + message);
    }

    public static ObjectNode object() {
        return Json.MAPPER.createObjectNode();
    }

    /** One JSON document on stdout, pretty-printed and ending in a newline. */
    public void printJson(JsonNode document) {
        try {
            DefaultPrettyPrinter printer = new DefaultPrettyPrinter();
            String text = Json.MAPPER.writer(printer).without(JsonGenerator.Feature.AUTO_CLOSE_TARGET).writeValueAsString(document);
            io.out().println(text);
            io.out().flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One YAML document on stdout, as kubectl would print it. */
    public void printYaml(JsonNode document) {
        try {
            io.out().print(Yaml.MAPPER.writeValueAsString(document));
            io.out().flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One JSON document on one line of stdout, for streams of events. */
    public void printJsonLine(JsonNode document) {
        try {
            io.out().println(Json.MAPPER.writeValueAsString(document));
            io.out().flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public enum Style {
        BOLD("1"), DIM("2"), RED("31"), GREEN("32"), YELLOW("33"), BLUE("34"), CYAN("36");

        final String code;

        Style(String code) {
            this.code = code;
        }
    }

    public String paint(String text, Style style) {
        return color ? "\u001b[" + style.code + "m" + text + "\u001b[0m" : text;
    }
}

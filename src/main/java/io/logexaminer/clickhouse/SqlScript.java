package io.logexaminer.clickhouse;

import java.util.ArrayList;
import java.util.List;

/**
 * A script of statements separated by {@code ;}, split the way ClickHouse's lexer reads it: a {@code ;} inside a
 * string ({@code '...'}), a quoted identifier ({@code "..."}, {@code `...`}), a heredoc ({@code $tag$...$tag$}) or a
 * comment ({@code -- ...}, {@code # ...}, nested {@code /* ... *}{@code /}) does not end a statement. Statements
 * holding nothing but comments and blanks are left out.
 */
public final class SqlScript {

    /** A statement of the script: its place (1-based) among the statements and the line it starts on. */
    public record Statement(int number, int line, String text) {
    }

    private SqlScript() {
    }

    public static List<Statement> split(String script) {
        List<Statement> statements = new ArrayList<>();
        int start = 0;
        int firstToken = -1;
        int i = 0;
        int n = script.length();
        while (i < n) {
            char c = script.charAt(i);
            char next = i + 1 < n ? script.charAt(i + 1) : '\0';
            if (c == '-' && next == '-' || c == '#' && (next == ' ' || next == '!')) {
                i = lineEnd(script, i);
                continue;
            }
            if (c == '/' && next == '*') {
                i = blockCommentEnd(script, i);
                continue;
            }
            if (c == ';') {
                add(statements, script, start, firstToken, i);
                start = i + 1;
                firstToken = -1;
                i++;
                continue;
            }
            if (!Character.isWhitespace(c) && firstToken < 0) {
                firstToken = i;
            }
            if (c == '\'' || c == '"' || c == '`') {
                i = quotedEnd(script, i, c);
            } else if (c == '$') {
                i = heredocEnd(script, i);
            } else {
                i++;
            }
        }
        add(statements, script, start, firstToken, n);
        return statements;
    }

    private static void add(List<Statement> statements, String script, int start, int firstToken, int end) {
        if (firstToken < 0) {
            return;
        }
        String text = script.substring(start, end).strip();
        int firstChar = start;
        while (Character.isWhitespace(script.charAt(firstChar))) {
            firstChar++;
        }
        int line = 1;
        for (int i = 0; i < firstChar; i++) {
            if (script.charAt(i) == '\n') {
                line++;
            }
        }
        statements.add(new Statement(statements.size() + 1, line, text));
    }

    private static int lineEnd(String s, int i) {
        int end = s.indexOf('\n', i);
        return end < 0 ? s.length() : end + 1;
    }

    /** After a comment that may hold other comments, as ClickHouse allows. */
    private static int blockCommentEnd(String s, int i) {
        int depth = 0;
        int n = s.length();
        while (i < n) {
            if (s.startsWith("/*", i)) {
                depth++;
                i += 2;
            } else if (s.startsWith("*/", i)) {
                depth--;
                i += 2;
                if (depth == 0) {
                    return i;
                }
            } else {
                i++;
            }
        }
        return n;
    }

    /** After a quoted string or identifier: a backslash escapes the next character, a doubled quote is a quote. */
    private static int quotedEnd(String s, int i, char quote) {
        int n = s.length();
        i++;
        while (i < n) {
            char c = s.charAt(i);
            if (c == '\\') {
                i += 2;
            } else if (c == quote) {
                if (i + 1 < n && s.charAt(i + 1) == quote) {
                    i += 2;
                } else {
                    return i + 1;
                }
            } else {
                i++;
            }
        }
        return n;
    }

    /** After a heredoc {@code $tag$ ... $tag$} (the tag may be empty); a lone {@code $} is just a character. */
    private static int heredocEnd(String s, int i) {
        int tagEnd = i + 1;
        while (tagEnd < s.length() && (Character.isLetterOrDigit(s.charAt(tagEnd)) || s.charAt(tagEnd) == '_')) {
            tagEnd++;
        }
        if (tagEnd >= s.length() || s.charAt(tagEnd) != '$') {
            return i + 1;
        }
        String tag = s.substring(i, tagEnd + 1);
        int close = s.indexOf(tag, tagEnd + 1);
        return close < 0 ? s.length() : close + tag.length();
    }
}

package io.logexaminer.clickhouse;

import com.clickhouse.client.api.ServerException;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Failures from the driver as one line a person can act on. */
final class ClickHouseErrors {
    private static final Pattern SERVER_MESSAGE = Pattern.compile("Code: (\\d+)\\.\\s*(?:DB::Exception:\\s*)?(.*?)\\s*(?:\\(version [^)]*\\))?\\s*$",
            Pattern.DOTALL);
    private static final Pattern CODE_IN_TEXT = Pattern.compile("Code: \\d+\\..*", Pattern.DOTALL);

    private ClickHouseErrors() {
    }

    /** {@code Code: 62. Syntax error: ...} for a server error; what went wrong on the way there otherwise. */
    static String describe(Throwable failure, ClickHouseLogin login) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ServerException server) {
                return serverMessage(server.getMessage(), server.getCode());
            }
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof NoRouteToHostException
                    || t.getClass().getSimpleName().equals("ConnectTimeoutException")) {
                // the HTTP client says "Connect to URL [address] failed: REASON"
                String reason = firstLine(t);
                int failed = reason.lastIndexOf("failed: ");
                return "cannot reach ClickHouse at " + login.endpoint() + ": "
                        + (failed < 0 ? reason : reason.substring(failed + "failed: ".length()));
            }
            if (t instanceof UnknownHostException) {
                return "cannot reach ClickHouse at " + login.endpoint() + ": unknown host " + t.getMessage();
            }
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            Matcher inText = t.getMessage() == null ? null : CODE_IN_TEXT.matcher(t.getMessage());
            if (inText != null && inText.find()) {
                return serverMessage(inText.group(), 0);
            }
        }
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return firstLine(root);
    }

    /** One line: the code, then the message without ClickHouse's "DB::Exception:" prefix or its version suffix. */
    static String serverMessage(String message, int code) {
        String text = message == null ? "" : message.replaceAll("\\s+", " ").strip();
        Matcher m = SERVER_MESSAGE.matcher(text);
        if (m.find()) {
            return "Code: " + m.group(1) + ". " + m.group(2);
        }
        return code > 0 ? "Code: " + code + ". " + text : text;
    }

    private static String firstLine(Throwable t) {
        String message = t.getMessage();
        if (message == null || message.isBlank()) {
            return t.getClass().getSimpleName();
        }
        return message.lines().findFirst().orElse("").strip();
    }
}

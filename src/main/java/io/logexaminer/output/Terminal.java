package io.logexaminer.output;

import java.io.Console;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.Optional;

/** Whether the process talks to a person at a terminal. */
public final class Terminal {
    private Terminal() {
    }

    public static boolean isInteractive(Map<String, String> environment) {
        if ("dumb".equals(environment.get("TERM"))) {
            return false;
        }
        Console console = System.console();
        if (console == null) {
            return false;
        }
        // From JDK 22 System.console() exists even when redirected; isTerminal() then tells, and JDK 21 lacks it.
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }

    /** Asks on the terminal for a secret, without echoing it; empty when there is no terminal to ask on. */
    public static Optional<String> readSecret(String prompt) {
        Console console = System.console();
        if (console == null) {
            return Optional.empty();
        }
        char[] answer = console.readPassword("%s", prompt);
        return answer == null ? Optional.empty() : Optional.of(new String(answer));
    }
}

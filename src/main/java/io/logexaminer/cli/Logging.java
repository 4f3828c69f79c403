package io.logexaminer.cli;

/**
 * Library logs (AWS SDK, fabric8, the JDBC driver) go through slf4j-simple to stderr, never stdout. They are
 * quiet by default: warnings only; -v shows this tool's info logs and -vv debug logs of everything.
 */
final class Logging {
    private Logging() {
    }

    /** Must run before the first logger is made; reads the -v flags directly because picocli has not parsed yet. */
    static void configure(String[] args) {
        int verbosity = 0;
        for (String arg : args) {
            if (arg.equals("--")) {
                break;
            }
            if (arg.equals("--verbose")) {
                verbosity++;
            } else if (arg.matches("-v+")) {
                verbosity += arg.length() - 1;
            }
        }
        set("org.slf4j.simpleLogger.logFile", "System.err");
        set("org.slf4j.simpleLogger.showThreadName", "false");
        set("org.slf4j.simpleLogger.showShortLogName", "true");
        set("org.slf4j.simpleLogger.levelInBrackets", "true");
        set("org.slf4j.simpleLogger.defaultLogLevel", verbosity >= 2 ? "debug" : "warn");
        // fabric8 warns on every use of a beta API version, which the Spark Operator's v1beta2 always is.
        set("org.slf4j.simpleLogger.log.io.fabric8.kubernetes.client.dsl.internal.VersionUsageUtils", verbosity >= 2 ? "debug" : "error");
        set("org.slf4j.simpleLogger.log.io.logexaminer", verbosity >= 2 ? "debug" : verbosity == 1 ? "info" : "warn");
        // The ClickHouse client logs each failure with its stack trace; the command reports it in one line.
        set("org.slf4j.simpleLogger.log.com.clickhouse", verbosity >= 2 ? "debug" : verbosity == 1 ? "warn" : "off");
    }

    private static void set(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}

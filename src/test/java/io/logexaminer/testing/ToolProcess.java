package io.logexaminer.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The tool as a separate process, as a shell runs it, and what /proc says about a process's memory. */
public final class ToolProcess {
    private ToolProcess() {
    }

    /** {@code java JVM_OPTIONS -cp CLASSPATH io.logexaminer.cli.Main ARGS}, on the JVM running the tests. */
    public static List<String> command(List<String> jvmOptions, String classpath, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElseThrow());
        command.addAll(jvmOptions);
        if (Runtime.version().feature() >= 23) {
            // as the launcher install.sh writes: the driver's LZ4 code uses sun.misc.Unsafe
            command.add("--sun-misc-unsafe-memory-access=allow");
        }
        command.addAll(List.of("-cp", classpath, "io.logexaminer.cli.Main"));
        command.addAll(args);
        return command;
    }

    /** A {@code /proc/PID/status} field in KB (VmRSS: resident now, VmHWM: its peak); 0 once the process is gone. */
    public static long memoryKb(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException | RuntimeException gone) {
            return 0;
        }
        return 0;
    }
}

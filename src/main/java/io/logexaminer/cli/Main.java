package io.logexaminer.cli;

import io.logexaminer.output.Io;
import io.logexaminer.output.Terminal;

/** The process entry point: logging set up for a CLI, then one command, then its exit code. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        Logging.configure(args);
        Io io = new Io(System.in, System.out, System.err, System.getenv(), Terminal.isInteractive(System.getenv()),
                Interrupts.cancellation());
        int code = Cli.run(args, io);
        System.out.flush();
        System.err.flush();
        Interrupts.exit(code);
    }
}

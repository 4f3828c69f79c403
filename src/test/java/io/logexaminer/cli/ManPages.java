package io.logexaminer.cli;

import io.logexaminer.output.Io;
import io.logexaminer.plan.Cancellation;
import picocli.codegen.docgen.manpage.ManPageGenerator;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.util.Map;

/**
 * Build step (run by Maven at package): writes an AsciiDoc man page for every command into the directory given,
 * from the same command tree the binary builds, subcommands found through the service loader included.
 */
public final class ManPages {
    private ManPages() {
    }

    public static void main(String[] args) throws IOException {
        File outdir = new File(args[0]);
        Io io = new Io(new ByteArrayInputStream(new byte[0]), System.out, System.err, Map.of(), false, new Cancellation());
        int code = ManPageGenerator.generateManPage(outdir, null, new boolean[0], true, Cli.commandLine(io).getCommandSpec());
        if (code != 0) {
            throw new IOException("man page generation failed with " + code);
        }
    }
}

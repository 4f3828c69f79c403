package io.logexaminer.cli;

import io.logexaminer.output.OutputFormat;

import java.util.Optional;

/** The options every command accepts. */
public record GlobalOptions(String config, Optional<String> region, Optional<String> profile, int verbosity,
                            OutputFormat output, boolean noColor) {

    public boolean json() {
        return output == OutputFormat.json;
    }
}

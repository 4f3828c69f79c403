package io.logexaminer.config;

import io.logexaminer.testing.TestBinaries;

/** Paths of the project's own files that tests read. */
final class TestPaths {
    private TestPaths() {
    }

    static String example() {
        return TestBinaries.projectDir().resolve("examples/platform.yaml").toString();
    }
}

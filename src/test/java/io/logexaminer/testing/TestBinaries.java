package io.logexaminer.testing;

import org.junit.jupiter.api.extension.ExtensionConfigurationException;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the test servers' programs: first in the project's test environment ({@code .test-env/venv/bin}, made by
 * {@code scripts/install-test-deps.sh}), then on PATH. A missing one fails the test with what to run.
 */
public final class TestBinaries {
    private TestBinaries() {
    }

    public static Path projectDir() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("pom.xml"))) {
            dir = dir.getParent();
        }
        return dir == null ? Path.of("").toAbsolutePath() : dir;
    }

    public static Path require(String program) {
        List<Path> candidates = new ArrayList<>();
        candidates.add(projectDir().resolve(".test-env/venv/bin").resolve(program));
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                if (!dir.isEmpty()) {
                    candidates.add(Path.of(dir).resolve(program));
                }
            }
        }
        for (Path candidate : candidates) {
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new ExtensionConfigurationException(program + " is not installed (looked in .test-env/venv/bin and PATH): "
                + "run scripts/install-test-deps.sh, or the README's test command, which runs it");
    }
}

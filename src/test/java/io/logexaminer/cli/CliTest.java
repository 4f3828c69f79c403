package io.logexaminer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logexaminer.testing.CliRun;
import io.logexaminer.testing.TestBinaries;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CliTest {
    private static final String EXAMPLE = TestBinaries.projectDir().resolve("examples/platform.yaml").toString();

    @Test
    void versionPrintsTheBuildVersion() {
        CliRun r = CliRun.run("--version");
        assertEquals(0, r.exitCode());
        assertTrue(r.out().matches("logexaminer \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\\R"), r.out());
    }

    @Test
    void helpListsTheCommandsAndGlobalOptions() {
        CliRun r = CliRun.run("--help");
        assertEquals(0, r.exitCode());
        for (String expected : new String[]{"up", "completion", "--config", "--region", "--profile", "--output", "--no-color", "--verbose"}) {
            assertTrue(r.out().contains(expected), expected + " missing from\n" + r.out());
        }
    }

    @Test
    void noCommandIsBadUsage() {
        CliRun r = CliRun.run();
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("Usage: logexaminer"), r.err());
        assertEquals("", r.out());
    }

    @Test
    void unknownOptionIsExitTwoWithoutStackTrace() {
        CliRun r = CliRun.run("up", "--dry-runn");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("Unknown option: '--dry-runn'"), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
    }

    @Test
    void anUnknownCommandIsNamedWithTheNearestOneSuggested() {
        CliRun r = CliRun.run("upp", "--dry-run");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().startsWith("logexaminer: unknown command 'upp'"), r.err());
        assertTrue(r.err().contains("Did you mean: logexaminer up?"), r.err());
        assertEquals(2, CliRun.run("bogus").exitCode());
        assertTrue(CliRun.run("bogus").err().contains("unknown command 'bogus'"));
    }

    @Test
    void globalOptionsWorkBeforeOrAfterTheCommand() {
        CliRun before = CliRun.run("-o", "json", "-f", EXAMPLE, "up", "--dry-run");
        CliRun after = CliRun.run("up", "--dry-run", "-f", EXAMPLE, "-o", "json");
        assertEquals(0, before.exitCode(), before::toString);
        assertEquals(before.out(), after.out());
    }

    @Test
    void dryRunWithoutCredentialsPlansEveryResourceAsCreate() throws Exception {
        CliRun r = CliRun.run("up", "--dry-run", "-f", EXAMPLE, "-o", "json");
        assertEquals(0, r.exitCode(), r::toString);
        JsonNode doc = new ObjectMapper().readTree(r.out());
        assertEquals("logexaminer", doc.get("platform").asText());
        int n = doc.get("resources").size();
        assertTrue(n > 50, "resources: " + n);
        Set<String> seen = new HashSet<>();
        for (JsonNode res : doc.get("resources")) {
            assertEquals("create", res.get("action").asText());
            assertTrue(res.hasNonNull("id") && res.hasNonNull("type") && res.get("dependsOn").isArray());
            for (JsonNode dep : res.get("dependsOn")) {
                assertTrue(seen.contains(dep.asText()), res.get("id") + " listed before its dependency " + dep);
            }
            seen.add(res.get("id").asText());
        }
        assertEquals(n, doc.get("summary").get("create").asInt());
        assertEquals(0, doc.get("summary").get("noop").asInt());
        assertTrue(r.err().contains("could not read the AWS account (no AWS credentials found"), r.err());
    }

    @Test
    void textPlanEndsWithASummary() {
        CliRun r = CliRun.run("up", "--dry-run", "-f", EXAMPLE);
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.out().startsWith("+ create  vpc "), r.out());
        assertTrue(r.out().strip().endsWith("to create, 0 to update, 0 to delete, 0 unchanged."), r.out());
    }

    @Test
    void detailedExitCodeSaysChangesArePending() {
        assertEquals(4, CliRun.run("up", "--dry-run", "--detailed-exitcode", "-f", EXAMPLE).exitCode());
        assertEquals(2, CliRun.run("up", "--detailed-exitcode", "-f", EXAMPLE).exitCode());
    }

    @Test
    void upTakesTheRegistryOptionOfMirrorImages() {
        CliRun r = CliRun.run("up", "--dry-run", "--registry", "ftp://mirror.example", "-f", EXAMPLE);
        assertEquals(2, r.exitCode(), r::toString);
        assertEquals("error: --registry 'ftp://mirror.example' must be http(s)://HOST[:PORT], with no path\n", r.err());
    }

    @Test
    void invalidConfigIsExitTwoWithEveryProblemAndNothingOnStdout() {
        String yaml = "name: demo\nregion: eu-west-1\nnetwork:\n  vpcCidr: 10.0.0.0/33\n  bogus: 1\n";
        CliRun r = CliRun.run(Map.of(), yaml, "up", "--dry-run", "-f", "-", "-o", "json");
        assertEquals(2, r.exitCode(), r::toString);
        assertEquals("", r.out());
        assertEquals("<stdin>:5: network.bogus: unknown key (expected one of: vpcCidr, availabilityZones, publicSubnets, privateSubnets, natGateway, endpoints)\n", r.err());
    }

    @Test
    void missingConfigFileNamesThePath() {
        CliRun r = CliRun.run("up", "--dry-run", "-f", "nowhere.yaml");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().startsWith("nowhere.yaml:1: no such file (looked at /"), r.err());
    }

    @Test
    void completionScriptsForBashAndZsh() {
        CliRun bash = CliRun.run("completion", "bash");
        assertEquals(0, bash.exitCode());
        assertTrue(bash.out().contains("complete -F _complete_logexaminer"), bash.out());
        assertTrue(bash.out().contains("dry-run"));
        CliRun zsh = CliRun.run("completion", "zsh");
        assertEquals(0, zsh.exitCode());
        assertTrue(zsh.out().contains("bashcompinit"));
        assertEquals(2, CliRun.run("completion", "fish").exitCode());
    }
}

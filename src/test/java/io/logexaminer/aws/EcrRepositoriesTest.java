package io.logexaminer.aws;

import io.logexaminer.config.Platform;
import io.logexaminer.config.PlatformLoader;
import io.logexaminer.testing.MotoServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Observe, ensure and delete of ECR repositories against moto server. */
class EcrRepositoriesTest {
    @RegisterExtension
    static final MotoServer moto = new MotoServer();

    private static final String REPO = "data-platform/spark";
    private static AwsClients clients;
    private static EcrRepositories repositories;
    private static Platform platform;

    @BeforeAll
    static void connect() {
        clients = new AwsClients(new AwsSettings("eu-west-1", Optional.empty(), moto.environment()));
        repositories = new EcrRepositories(clients);
        platform = PlatformLoader.parse("platform.yaml", """
                name: analytics
                region: eu-west-1
                tags:
                  team: data
                ecr:
                  scanOnPush: true
                  tagMutability: IMMUTABLE
                  keepLastImages: 12
                """, Optional.empty()).platform();
    }

    @AfterAll
    static void close() {
        clients.close();
    }

    @BeforeEach
    void reset() throws Exception {
        moto.reset();
    }

    private static EcrRepositories.Desired desired() {
        return EcrRepositories.Desired.of(platform, REPO, "ecr-repository/" + REPO);
    }

    @Test
    void createsAMissingRepositoryWithEverySettingAndThenLeavesItAlone() {
        assertTrue(repositories.observe(REPO).isEmpty());

        EcrRepositories.Ensured created = repositories.ensure(desired());
        assertEquals(EcrRepositories.Outcome.CREATED, created.outcome());
        EcrRepositories.Observed repo = created.repository();
        assertTrue(repo.scanOnPush());
        assertEquals(Platform.TagMutability.IMMUTABLE, repo.tagMutability());
        assertEquals(OptionalInt.of(12), repo.keepLastImages());
        assertEquals("analytics", repo.tags().get(Platform.OWNER_TAG));
        assertEquals("ecr-repository/" + REPO, repo.tags().get(Platform.LOGICAL_ID_TAG));
        assertEquals("data", repo.tags().get("team"));
        assertTrue(repo.uri().endsWith("/" + REPO), repo.uri());
        assertEquals(MotoServer.ACCOUNT, repo.registryId());
        String policy = clients.ecr().getLifecyclePolicy(r -> r.repositoryName(REPO)).lifecyclePolicyText();
        assertTrue(policy.contains("\"countNumber\":12") && policy.contains("imageCountMoreThan"), policy);

        EcrRepositories.Ensured again = repositories.ensure(desired());
        assertEquals(EcrRepositories.Outcome.UNCHANGED, again.outcome());
        assertEquals(List.of(), again.changes());
    }

    @Test
    void bringsADriftedOwnedRepositoryBack() {
        repositories.ensure(desired());
        clients.ecr().putImageTagMutability(r -> r.repositoryName(REPO).imageTagMutability("MUTABLE"));
        clients.ecr().putImageScanningConfiguration(r -> r.repositoryName(REPO).imageScanningConfiguration(s -> s.scanOnPush(false)));
        clients.ecr().putLifecyclePolicy(r -> r.repositoryName(REPO).lifecyclePolicyText(EcrRepositories.lifecyclePolicyText(3)));
        String arn = repositories.observe(REPO).orElseThrow().arn();
        clients.ecr().untagResource(r -> r.resourceArn(arn).tagKeys(Platform.LOGICAL_ID_TAG));

        EcrRepositories.Observed drifted = repositories.observe(REPO).orElseThrow();
        List<String> differences = repositories.differences(desired(), drifted);
        assertEquals(List.of("scanOnPush false -> true", "tagMutability MUTABLE -> IMMUTABLE",
                "lifecycle policy keep last 3 -> keep last 12", "tags " + Platform.LOGICAL_ID_TAG), differences);

        EcrRepositories.Ensured fixed = repositories.ensure(desired());
        assertEquals(EcrRepositories.Outcome.UPDATED, fixed.outcome());
        assertEquals(differences, fixed.changes());
        assertEquals(List.of(), repositories.differences(desired(), repositories.observe(REPO).orElseThrow()));
    }

    @Test
    void aCustomLifecyclePolicyIsReportedAsSuch() {
        assertEquals(OptionalInt.of(5), EcrRepositories.keptImages(EcrRepositories.lifecyclePolicyText(5)));
        assertEquals(OptionalInt.of(5), EcrRepositories.keptImages(
                EcrRepositories.lifecyclePolicyText(5).replace(",", ",\n  ")));
        assertEquals(OptionalInt.empty(), EcrRepositories.keptImages(
                EcrRepositories.lifecyclePolicyText(5).replace("\"any\"", "\"untagged\"")));
        assertEquals(OptionalInt.empty(), EcrRepositories.keptImages("not json"));
    }

    @Test
    void aRepositoryWithoutTheOwnerTagIsNeverTouched() {
        clients.ecr().createRepository(r -> r.repositoryName(REPO).imageTagMutability("MUTABLE"));

        EcrRepositories.Ensured ensured = repositories.ensure(desired());
        assertEquals(EcrRepositories.Outcome.NOT_OWNED, ensured.outcome());
        EcrRepositories.Observed after = repositories.observe(REPO).orElseThrow();
        assertEquals(Platform.TagMutability.MUTABLE, after.tagMutability());
        assertTrue(after.lifecyclePolicy().isEmpty());
        assertFalse(after.ownedBy("analytics"));

        assertEquals(EcrRepositories.Deletion.NOT_OWNED, repositories.delete(REPO, "analytics", true));
        assertTrue(repositories.observe(REPO).isPresent());
    }

    @Test
    void deletesOnlyWhatThePlatformOwns() {
        repositories.ensure(desired());
        assertEquals(EcrRepositories.Deletion.NOT_OWNED, repositories.delete(REPO, "another-platform", true));
        assertTrue(repositories.observe(REPO).isPresent());

        clients.ecr().putImage(r -> r.repositoryName(REPO).imageTag("1").imageManifest(
                "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"layers\":[]}"));
        assertEquals(EcrRepositories.Deletion.DELETED, repositories.delete(REPO, "analytics", true));
        assertTrue(repositories.observe(REPO).isEmpty());
        assertEquals(EcrRepositories.Deletion.ABSENT, repositories.delete(REPO, "analytics", true));
    }
}

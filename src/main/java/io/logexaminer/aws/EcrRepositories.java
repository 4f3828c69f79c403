package io.logexaminer.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logexaminer.config.Platform;
import io.logexaminer.error.OperationFailedException;
import io.logexaminer.error.RemoteStateException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.ImageTagMutability;
import software.amazon.awssdk.services.ecr.model.LifecyclePolicyNotFoundException;
import software.amazon.awssdk.services.ecr.model.Repository;
import software.amazon.awssdk.services.ecr.model.RepositoryAlreadyExistsException;
import software.amazon.awssdk.services.ecr.model.RepositoryNotFoundException;
import software.amazon.awssdk.services.ecr.model.Tag;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * One ECR repository at a time: what it looks like ({@link #observe}), making it look as configured
 * ({@link #ensure}: scan on push, tag mutability, a lifecycle policy keeping the last N images, the owner and
 * logical-id tags) and deleting it ({@link #delete}) only when this platform owns it. Plain records in and out.
 */
public final class EcrRepositories {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** How a repository should be; {@link #of} fills it from platform.yaml. */
    public record Desired(String name, boolean scanOnPush, Platform.TagMutability tagMutability, int keepLastImages,
                          Map<String, String> tags) {

        public Desired {
            tags = Map.copyOf(tags);
        }

        /** The repository {@code name} as {@code platform} wants it: the platform's tags plus owner and logical id. */
        public static Desired of(Platform platform, String name, String logicalId) {
            Platform.Ecr ecr = platform.ecr();
            return new Desired(name, ecr.scanOnPush(), ecr.tagMutability(), ecr.keepLastImages(), AwsPlatform.tags(platform, logicalId));
        }

        public String owner() {
            return tags.get(Platform.OWNER_TAG);
        }
    }

    /**
     * A repository as ECR describes it. {@code keepLastImages} is set when its lifecycle policy is exactly the one
     * {@link #ensure} writes; {@code lifecyclePolicy} holds whatever policy text it has.
     */
    public record Observed(String name, String arn, String uri, String registryId, boolean scanOnPush,
                           Platform.TagMutability tagMutability, Optional<String> lifecyclePolicy,
                           OptionalInt keepLastImages, Map<String, String> tags) {

        public Observed {
            tags = Map.copyOf(tags);
        }

        public boolean ownedBy(String platformName) {
            return platformName.equals(tags.get(Platform.OWNER_TAG));
        }
    }

    public enum Outcome {
        CREATED, UPDATED, UNCHANGED,
        /** It exists without this platform's owner tag, so it was left exactly as it was. */
        NOT_OWNED
    }

    /** What {@link #ensure} did: {@code changes} names each setting it changed, as {@link #differences} does. */
    public record Ensured(Outcome outcome, Observed repository, List<String> changes) {
    }

    public enum Deletion { DELETED, ABSENT, NOT_OWNED }

    private final AwsClients clients;

    public EcrRepositories(AwsClients clients) {
        this.clients = clients;
    }

    /** The repository, or empty when there is none of that name. */
    public Optional<Observed> observe(String name) {
        try {
            Repository repo = ecr().describeRepositories(r -> r.repositoryNames(name)).repositories().getFirst();
            Map<String, String> tags = new TreeMap<>();
            ecr().listTagsForResource(r -> r.resourceArn(repo.repositoryArn())).tags().forEach(t -> tags.put(t.key(), t.value()));
            Optional<String> policy = lifecyclePolicy(name);
            return Optional.of(new Observed(repo.repositoryName(), repo.repositoryArn(), repo.repositoryUri(), repo.registryId(),
                    repo.imageScanningConfiguration() != null && Boolean.TRUE.equals(repo.imageScanningConfiguration().scanOnPush()),
                    repo.imageTagMutability() == ImageTagMutability.IMMUTABLE ? Platform.TagMutability.IMMUTABLE : Platform.TagMutability.MUTABLE,
                    policy, policy.map(EcrRepositories::keptImages).orElse(OptionalInt.empty()), tags));
        } catch (RepositoryNotFoundException e) {
            return Optional.empty();
        } catch (SdkException e) {
            throw failure(name, "describe", e);
        }
    }

    /** What differs between the wish and the repository, one phrase per setting; empty when nothing does. */
    public List<String> differences(Desired desired, Observed observed) {
        return drifts(desired, observed).stream().map(Drift::description).toList();
    }

    /** How an owned repository differs from the wish, one drift per setting, each with the call that fixes it. */
    List<Drift> drifts(Desired desired, Observed observed) {
        List<Drift> drifts = new ArrayList<>();
        if (desired.scanOnPush() != observed.scanOnPush()) {
            drifts.add(Drift.of("scanOnPush " + observed.scanOnPush() + " -> " + desired.scanOnPush(),
                    () -> ecr().putImageScanningConfiguration(r -> r.repositoryName(desired.name())
                            .imageScanningConfiguration(s -> s.scanOnPush(desired.scanOnPush())))));
        }
        if (desired.tagMutability() != observed.tagMutability()) {
            drifts.add(Drift.of("tagMutability " + observed.tagMutability().spelling() + " -> " + desired.tagMutability().spelling(),
                    () -> ecr().putImageTagMutability(r -> r.repositoryName(desired.name())
                            .imageTagMutability(desired.tagMutability().spelling()))));
        }
        if (observed.keepLastImages().isEmpty() || observed.keepLastImages().getAsInt() != desired.keepLastImages()) {
            drifts.add(Drift.of("lifecycle policy " + observed.keepLastImages().stream().mapToObj(n -> "keep last " + n).findFirst()
                    .orElse(observed.lifecyclePolicy().isPresent() ? "custom" : "none") + " -> keep last " + desired.keepLastImages(),
                    () -> putLifecyclePolicy(desired)));
        }
        Map<String, String> missingTags = new LinkedHashMap<>();
        desired.tags().forEach((k, v) -> {
            if (!v.equals(observed.tags().get(k))) {
                missingTags.put(k, v);
            }
        });
        if (!missingTags.isEmpty()) {
            drifts.add(Drift.of("tags " + String.join(", ", missingTags.keySet()),
                    () -> ecr().tagResource(r -> r.resourceArn(observed.arn()).tags(sdkTags(missingTags)))));
        }
        return drifts;
    }

    /**
     * Creates the repository when missing, or brings an owned one to the desired settings. One without the owner
     * tag is not touched: {@link Outcome#NOT_OWNED}. Tags it carries beyond the desired ones stay.
     */
    public Ensured ensure(Desired desired) {
        Optional<Observed> existing = observe(desired.name());
        if (existing.isEmpty()) {
            Optional<Observed> created = create(desired);
            if (created.isPresent()) {
                return new Ensured(Outcome.CREATED, created.get(), List.of("created"));
            }
            existing = Optional.of(require(desired.name()));
        }
        Observed observed = existing.get();
        if (!observed.ownedBy(desired.owner())) {
            return new Ensured(Outcome.NOT_OWNED, observed, List.of());
        }
        List<Drift> drifts = drifts(desired, observed);
        if (drifts.isEmpty()) {
            return new Ensured(Outcome.UNCHANGED, observed, List.of());
        }
        try {
            drifts.forEach(d -> d.fix().run());
        } catch (SdkException e) {
            throw failure(desired.name(), "update", e);
        }
        Map<String, String> tags = new TreeMap<>(observed.tags());
        tags.putAll(desired.tags());
        return new Ensured(Outcome.UPDATED, new Observed(observed.name(), observed.arn(), observed.uri(), observed.registryId(),
                desired.scanOnPush(), desired.tagMutability(), Optional.of(lifecyclePolicyText(desired.keepLastImages())),
                OptionalInt.of(desired.keepLastImages()), tags), drifts.stream().map(Drift::description).toList());
    }

    /**
     * Creates the repository with every setting and its tags, as it then is; empty when one of that name appeared
     * meanwhile.
     */
    Optional<Observed> create(Desired desired) {
        try {
            Repository created = ecr().createRepository(r -> r.repositoryName(desired.name())
                    .imageTagMutability(desired.tagMutability().spelling())
                    .imageScanningConfiguration(s -> s.scanOnPush(desired.scanOnPush()))
                    .tags(sdkTags(desired.tags()))).repository();
            putLifecyclePolicy(desired);
            return Optional.of(asDesired(created.repositoryName(), created.repositoryArn(), created.repositoryUri(),
                    created.registryId(), desired));
        } catch (RepositoryAlreadyExistsException raced) {
            return Optional.empty();
        } catch (SdkException e) {
            throw failure(desired.name(), "create", e);
        }
    }

    /** How many images the repository holds, counted up to 1000: enough to tell an empty one from one with data. */
    int images(String name) {
        try {
            return ecr().describeImages(r -> r.repositoryName(name).maxResults(1000)).imageDetails().size();
        } catch (RepositoryNotFoundException gone) {
            return 0;
        } catch (SdkException e) {
            throw failure(name, "list the images of", e);
        }
    }

    /** A repository just made as desired, without asking ECR again. */
    private static Observed asDesired(String name, String arn, String uri, String registryId, Desired desired) {
        return new Observed(name, arn, uri, registryId, desired.scanOnPush(), desired.tagMutability(),
                Optional.of(lifecyclePolicyText(desired.keepLastImages())), OptionalInt.of(desired.keepLastImages()), desired.tags());
    }

    /**
     * Deletes the repository if {@code platformName} owns it. With {@code withImages} its images go too; without,
     * a repository that holds images is refused by ECR and reported as a failure.
     */
    public Deletion delete(String name, String platformName, boolean withImages) {
        Optional<Observed> existing = observe(name);
        if (existing.isEmpty()) {
            return Deletion.ABSENT;
        }
        if (!existing.get().ownedBy(platformName)) {
            return Deletion.NOT_OWNED;
        }
        try {
            ecr().deleteRepository(r -> r.repositoryName(name).force(withImages));
            return Deletion.DELETED;
        } catch (RepositoryNotFoundException gone) {
            return Deletion.ABSENT;
        } catch (SdkException e) {
            throw failure(name, "delete", e);
        }
    }

    /** The lifecycle policy {@link #ensure} writes: expire everything beyond the newest {@code keep} images. */
    public static String lifecyclePolicyText(int keep) {
        ObjectNode rule = JSON.createObjectNode();
        rule.put("rulePriority", 1);
        rule.put("description", "keep the last " + keep + " images");
        ObjectNode selection = rule.putObject("selection");
        selection.put("tagStatus", "any");
        selection.put("countType", "imageCountMoreThan");
        selection.put("countNumber", keep);
        rule.putObject("action").put("type", "expire");
        ObjectNode policy = JSON.createObjectNode();
        policy.putArray("rules").add(rule);
        return policy.toString();
    }

    /** N when {@code text} is, as JSON, the policy {@link #lifecyclePolicyText} writes for N. */
    static OptionalInt keptImages(String text) {
        try {
            JsonNode policy = JSON.readTree(text);
            JsonNode rules = policy.path("rules");
            if (!(rules instanceof ArrayNode array) || array.size() != 1) {
                return OptionalInt.empty();
            }
            JsonNode count = array.get(0).path("selection").path("countNumber");
            if (!count.canConvertToInt()) {
                return OptionalInt.empty();
            }
            int keep = count.asInt();
            return JSON.readTree(lifecyclePolicyText(keep)).equals(policy) ? OptionalInt.of(keep) : OptionalInt.empty();
        } catch (JsonProcessingException e) {
            return OptionalInt.empty();
        }
    }

    private Optional<String> lifecyclePolicy(String name) {
        try {
            return Optional.ofNullable(ecr().getLifecyclePolicy(r -> r.repositoryName(name)).lifecyclePolicyText());
        } catch (LifecyclePolicyNotFoundException e) {
            return Optional.empty();
        }
    }

    private void putLifecyclePolicy(Desired desired) {
        ecr().putLifecyclePolicy(r -> r.repositoryName(desired.name()).lifecyclePolicyText(lifecyclePolicyText(desired.keepLastImages())));
    }

    private Observed require(String name) {
        return observe(name).orElseThrow(() -> new RemoteStateException("ECR repository " + name + " vanished while it was being set up"));
    }

    private static List<Tag> sdkTags(Map<String, String> tags) {
        return tags.entrySet().stream().map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList();
    }

    private static OperationFailedException failure(String name, String verb, SdkException e) {
        return new OperationFailedException("could not " + verb + " ECR repository " + name + ": " + AwsErrors.describe(e), e);
    }

    private EcrClient ecr() {
        return clients.ecr();
    }
}

package io.logexaminer.aws;

import io.logexaminer.plan.Outputs;
import io.logexaminer.plan.PlatformNames;
import io.logexaminer.plan.ProgressListener;
import io.logexaminer.plan.Resource;
import io.logexaminer.plan.ResourceSpec;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.LifecycleRule;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.PublicAccessBlockConfiguration;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.ServerSideEncryptionRule;
import software.amazon.awssdk.services.s3.model.Tag;
import software.amazon.awssdk.services.s3.model.TransitionStorageClass;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An S3 bucket with versioning, SSE-S3 (AES256) encryption, the public access block on, and for the raw bucket a
 * lifecycle rule moving objects to STANDARD_IA. Lifecycle rules of others stay. {@code down} keeps a bucket that holds
 * data unless told to delete it, and then deletes every object version first.
 */
public final class Buckets extends AwsHandler<Buckets.Current> {
    static final String TRANSITION_RULE = "logexaminer-transition-to-ia";

    /** What a bucket has; the settings are read only for a bucket this platform owns. */
    record Current(String name, Map<String, String> tags, String versioning, String encryption, List<LifecycleRule> lifecycle,
                   PublicAccessBlockConfiguration publicAccess) {
    }

    public Buckets(AwsPlatform aws) {
        super(aws);
    }

    private S3Client s3() {
        return aws.clients().s3();
    }

    String name(Resource resource) {
        ResourceSpec.S3Bucket spec = (ResourceSpec.S3Bucket) resource.spec();
        return PlatformNames.bucketName(spec.bucket(), aws.account(), aws.region());
    }

    /** Runs a read that S3 answers with an error code when the setting was never made. */
    private static <T> Optional<T> unlessMissing(String missingCode, java.util.function.Supplier<T> read) {
        return unless(e -> missingCode.equals(AwsErrors.code(e)), read);
    }

    @Override
    Optional<Current> find(Resource resource, Outputs outputs) {
        String name = name(resource);
        try {
            s3().headBucket(r -> r.bucket(name));
        } catch (NoSuchBucketException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            if (e.statusCode() == 403 || e.statusCode() == 301) {
                // Another account's bucket, or ours in another region: either way not this platform's to touch.
                return Optional.of(new Current(name, Map.of(), null, null, List.of(), null));
            }
            throw e;
        }
        Map<String, String> tags = Tags.map(unlessMissing("NoSuchTagSet", () -> s3().getBucketTagging(r -> r.bucket(name)).tagSet())
                .orElse(List.of()), Tag::key, Tag::value);
        if (!aws.owns(tags)) {
            return Optional.of(new Current(name, tags, null, null, List.of(), null));
        }
        String versioning = s3().getBucketVersioning(r -> r.bucket(name)).statusAsString();
        String encryption = unlessMissing("ServerSideEncryptionConfigurationNotFoundError",
                () -> s3().getBucketEncryption(r -> r.bucket(name)).serverSideEncryptionConfiguration().rules())
                .flatMap(rules -> rules.stream().findFirst()).map(ServerSideEncryptionRule::applyServerSideEncryptionByDefault)
                .map(d -> d.sseAlgorithmAsString()).orElse(null);
        List<LifecycleRule> lifecycle = unlessMissing("NoSuchLifecycleConfiguration",
                () -> s3().getBucketLifecycleConfiguration(r -> r.bucket(name)).rules()).orElse(List.of());
        PublicAccessBlockConfiguration publicAccess = unlessMissing("NoSuchPublicAccessBlockConfiguration",
                () -> s3().getPublicAccessBlock(r -> r.bucket(name)).publicAccessBlockConfiguration()).orElse(null);
        return Optional.of(new Current(name, tags, versioning, encryption, lifecycle, publicAccess));
    }

    @Override
    Map<String, String> tagsOf(Current current) {
        return current.tags();
    }

    @Override
    String label(Resource resource, Current current) {
        return "bucket " + current.name();
    }

    @Override
    void record(Resource resource, Current current, Outputs outputs) {
        outputs.put(resource.id(), Keys.NAME, current.name());
        outputs.put(resource.id(), Keys.ARN, "arn:" + aws.partition() + ":s3:::" + current.name());
    }

    private static boolean blocksAll(PublicAccessBlockConfiguration c) {
        return c != null && Boolean.TRUE.equals(c.blockPublicAcls()) && Boolean.TRUE.equals(c.ignorePublicAcls())
                && Boolean.TRUE.equals(c.blockPublicPolicy()) && Boolean.TRUE.equals(c.restrictPublicBuckets());
    }

    private static LifecycleRule transitionRule(int days) {
        return LifecycleRule.builder().id(TRANSITION_RULE).status("Enabled").filter(f -> f.prefix(""))
                .transitions(t -> t.days(days).storageClass(TransitionStorageClass.STANDARD_IA)).build();
    }

    private static boolean sameTransition(LifecycleRule rule, int days) {
        return "Enabled".equals(rule.statusAsString()) && rule.transitions().size() == 1
                && rule.transitions().getFirst().days() != null && rule.transitions().getFirst().days() == days
                && rule.transitions().getFirst().storageClass() == TransitionStorageClass.STANDARD_IA;
    }

    @Override
    List<Drift> drifts(Resource resource, Current current, Outputs outputs, ProgressListener listener) {
        ResourceSpec.S3Bucket spec = (ResourceSpec.S3Bucket) resource.spec();
        String name = current.name();
        List<Drift> drifts = new ArrayList<>();
        boolean versioned = BucketVersioningStatus.ENABLED.toString().equals(current.versioning());
        if (spec.bucket().versioning() != versioned && (spec.bucket().versioning() || current.versioning() != null)) {
            BucketVersioningStatus status = spec.bucket().versioning() ? BucketVersioningStatus.ENABLED : BucketVersioningStatus.SUSPENDED;
            drifts.add(Drift.of("versioning: " + status, () -> s3().putBucketVersioning(r -> r.bucket(name)
                    .versioningConfiguration(v -> v.status(status)))));
        }
        if (!ServerSideEncryption.AES256.toString().equals(current.encryption())) {
            drifts.add(Drift.of("encryption: SSE-S3 (AES256)", () -> s3().putBucketEncryption(r -> r.bucket(name)
                    .serverSideEncryptionConfiguration(c -> c.rules(rule -> rule.applyServerSideEncryptionByDefault(
                            d -> d.sseAlgorithm(ServerSideEncryption.AES256)))))));
        }
        int days = spec.bucket().transitionToIaDays();
        Optional<LifecycleRule> ours = current.lifecycle().stream().filter(r -> TRANSITION_RULE.equals(r.id())).findFirst();
        List<LifecycleRule> others = current.lifecycle().stream().filter(r -> !TRANSITION_RULE.equals(r.id())).toList();
        if (days > 0 && (ours.isEmpty() || !sameTransition(ours.get(), days))) {
            List<LifecycleRule> rules = new ArrayList<>(others);
            rules.add(transitionRule(days));
            drifts.add(Drift.of("lifecycle: objects to STANDARD_IA after " + days + " days", () -> s3()
                    .putBucketLifecycleConfiguration(r -> r.bucket(name).lifecycleConfiguration(l -> l.rules(rules)))));
        } else if (days == 0 && ours.isPresent()) {
            drifts.add(Drift.of("lifecycle: remove the STANDARD_IA transition", () -> {
                if (others.isEmpty()) {
                    s3().deleteBucketLifecycle(r -> r.bucket(name));
                } else {
                    s3().putBucketLifecycleConfiguration(r -> r.bucket(name).lifecycleConfiguration(l -> l.rules(others)));
                }
            }));
        }
        if (!blocksAll(current.publicAccess())) {
            drifts.add(Drift.of("public access block: all on", () -> s3().putPublicAccessBlock(r -> r.bucket(name)
                    .publicAccessBlockConfiguration(c -> c.blockPublicAcls(true).ignorePublicAcls(true).blockPublicPolicy(true)
                            .restrictPublicBuckets(true)))));
        }
        tagDrift(aws.tags(resource.id()), current.tags(), missing -> setTags(name, current.tags(), missing)).ifPresent(drifts::add);
        return drifts;
    }

    /** S3 replaces a bucket's whole tag set, so the tags it has are kept beside the ones set. */
    private void setTags(String bucket, Map<String, String> existing, Map<String, String> set) {
        Map<String, String> all = new LinkedHashMap<>(existing);
        all.putAll(set);
        s3().putBucketTagging(r -> r.bucket(bucket).tagging(t -> t.tagSet(Tags.list(all, (k, v) -> Tag.builder().key(k).value(v).build()))));
    }

    @Override
    Current create(Resource resource, Outputs outputs, ProgressListener listener) {
        String name = name(resource);
        Map<String, String> tags = aws.tags(resource.id());
        // S3 cannot tag a bucket in the call that creates it, and an untagged bucket is not this platform's: the
        // two calls finish together even when the run is interrupted between them.
        uninterruptibly(() -> {
            s3().createBucket(r -> {
                r.bucket(name);
                if (!aws.region().equals("us-east-1")) {
                    r.createBucketConfiguration(c -> c.locationConstraint(aws.region()));
                }
            });
            setTags(name, Map.of(), tags);
        });
        return new Current(name, tags, null, null, List.of(), null);
    }

    private static void uninterruptibly(Runnable work) {
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        Thread worker = Thread.ofPlatform().start(() -> {
            try {
                work.run();
            } catch (RuntimeException e) {
                failure.set(e);
            }
        });
        boolean interrupted = false;
        while (worker.isAlive()) {
            try {
                worker.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure.get() != null) {
            throw failure.get();
        }
    }

    /** Up to 1000 object versions and delete markers, enough to tell an empty bucket from one that holds data. */
    private int versions(String bucket) {
        ListObjectVersionsResponse r = s3().listObjectVersions(l -> l.bucket(bucket).maxKeys(1000));
        return r.versions().size() + r.deleteMarkers().size();
    }

    private static String count(int versions) {
        return versions >= 1000 ? "1000 or more object versions" : versions + " object version" + (versions == 1 ? "" : "s");
    }

    @Override
    List<String> deletionNotes(Resource resource, Current current, Outputs outputs) {
        int versions = versions(current.name());
        return versions > 0 && aws.deletion().deleteData()
                ? List.of("holds " + count(versions) + ": all deleted (--delete-data)") : List.of();
    }

    @Override
    Optional<String> keepReason(Resource resource, Current current, Outputs outputs) {
        if (aws.deletion().deleteData()) {
            return Optional.empty();
        }
        int versions = versions(current.name());
        return versions == 0 ? Optional.empty() : Optional.of("bucket " + current.name() + " holds " + count(versions)
                + ": kept (down --delete-data deletes every version)");
    }

    @Override
    void remove(Resource resource, Current current, Outputs outputs, ProgressListener listener) {
        String name = current.name();
        if (aws.deletion().deleteData()) {
            int deleted = 0;
            while (true) {
                ListObjectVersionsResponse page = s3().listObjectVersions(l -> l.bucket(name).maxKeys(1000));
                List<ObjectIdentifier> batch = new ArrayList<>();
                page.versions().forEach(v -> batch.add(ObjectIdentifier.builder().key(v.key()).versionId(v.versionId()).build()));
                page.deleteMarkers().forEach(m -> batch.add(ObjectIdentifier.builder().key(m.key()).versionId(m.versionId()).build()));
                if (batch.isEmpty()) {
                    break;
                }
                s3().deleteObjects(r -> r.bucket(name).delete(d -> d.objects(batch).quiet(true)));
                deleted += batch.size();
                listener.message(resource, "deleted " + deleted + " object versions");
            }
        }
        try {
            s3().deleteBucket(r -> r.bucket(name));
        } catch (SdkException e) {
            if (!"NoSuchBucket".equals(AwsErrors.code(e))) {
                throw e;
            }
        }
    }
}

package io.logexaminer.aws;

import io.logexaminer.config.Platform;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The platform as the AWS handlers see it: platform.yaml, the account it goes into, the clients, how long to wait,
 * and what {@code down} may delete.
 */
public final class AwsPlatform {
    private final AwsClients clients;
    private final Platform platform;
    private final CallerIdentity identity;
    private final Waits waits;
    private final Deletion deletion;

    /**
     * What {@code down} deletes beyond the resources themselves.
     *
     * @param deleteData         delete every object version of non-empty buckets, ECR repositories with their images, and
         *                           the database secret at once
     * @param skipFinalSnapshot  delete the database without a final snapshot
     */
    public record Deletion(boolean deleteData, boolean skipFinalSnapshot) {
        public static final Deletion KEEP_DATA = new Deletion(false, false);
    }

    public AwsPlatform(AwsClients clients, Platform platform, CallerIdentity identity, Waits waits, Deletion deletion) {
        this.clients = clients;
        this.platform = platform;
        this.identity = identity;
        this.waits = waits;
        this.deletion = deletion;
    }

    public AwsClients clients() {
        return clients;
    }

    public Platform platform() {
        return platform;
    }

    public String account() {
        return identity.account();
    }

    public String principal() {
        return identity.arn();
    }

    /** The partition of the caller's ARN ({@code aws}, {@code aws-cn}, {@code aws-us-gov}), for ARNs the tool writes. */
    public String partition() {
        String[] parts = identity.arn().split(":");
        return parts.length > 1 && !parts[1].isEmpty() ? parts[1] : "aws";
    }

    public String region() {
        return platform.region();
    }

    public Waits waits() {
        return waits;
    }

    public Deletion deletion() {
        return deletion;
    }

    /** The tags of an owned resource: platform.yaml's tags, the owner tag and the resource's logical id. */
    public Map<String, String> tags(String resourceId) {
        return tags(platform, resourceId);
    }

    /** The tags {@code platform} gives the resource {@code resourceId} it owns. */
    static Map<String, String> tags(Platform platform, String resourceId) {
        Map<String, String> tags = new LinkedHashMap<>(platform.tags());
        tags.put(Platform.OWNER_TAG, platform.name());
        tags.put(Platform.LOGICAL_ID_TAG, resourceId);
        return tags;
    }

    /** Whether tags mark a resource as this platform's. */
    public boolean owns(Map<String, String> tags) {
        return platform.name().equals(tags.get(Platform.OWNER_TAG));
    }

    /** Why a resource found by name is left alone, for plans and errors. */
    public String notOwned(String what) {
        return what + " exists without the tag " + Platform.OWNER_TAG + "=" + platform.name()
                + ": it is not this platform's and is left alone";
    }
}

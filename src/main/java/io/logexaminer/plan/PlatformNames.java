package io.logexaminer.plan;

import io.logexaminer.config.Platform;

/**
 * The names AWS requires, made deterministically from the platform so that {@code up} and {@code down} find them
 * again. IAM is global, so role names carry the region as well as the platform name.
 */
public final class PlatformNames {
    private PlatformNames() {
    }

    public static String roleName(Platform platform, String purpose) {
        return platform.name() + "-" + platform.region() + "-" + purpose;
    }

    /** A bucket name with {@code {accountId}} and {@code {region}} filled in. */
    public static String bucketName(Platform.Bucket bucket, String accountId, String region) {
        return bucket.name().replace("{accountId}", accountId).replace("{region}", region);
    }

    public static String dbSubnetGroupName(Platform platform) {
        return platform.database().identifier() + "-subnets";
    }

    public static String securityGroupName(Platform platform, String purpose) {
        return platform.name() + "-" + purpose;
    }
}

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

    /** The host of the account's private ECR registry in the platform's region. */
    public static String ecrRegistry(String accountId, String region) {
        return accountId + ".dkr.ecr." + region + ".amazonaws.com";
    }

    /** The Hive Metastore's service in the cluster. */
    public static final String HIVE_METASTORE_SERVICE = "hive-metastore";

    /** The Hive Metastore's thrift URI as pods in the cluster reach it. */
    public static String hiveMetastoreUri(Platform platform) {
        Platform.HiveMetastore hms = platform.kubernetes().hiveMetastore();
        return "thrift://" + HIVE_METASTORE_SERVICE + "." + hms.namespace() + ".svc.cluster.local:" + hms.port();
    }

    public static String dbSubnetGroupName(Platform platform) {
        return platform.database().identifier() + "-subnets";
    }

    public static String securityGroupName(Platform platform, String purpose) {
        return platform.name() + "-" + purpose;
    }
}

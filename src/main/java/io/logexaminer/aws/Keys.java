package io.logexaminer.aws;

/** The names under which AWS handlers publish what their dependents need, in {@link io.logexaminer.plan.Outputs}. */
final class Keys {
    private Keys() {
    }

    /** The physical id: {@code vpc-…}, {@code subnet-…}, {@code sg-…}, an allocation id. */
    static final String ID = "id";
    static final String ARN = "arn";
    static final String NAME = "name";
    static final String CIDR = "cidr";
    /** The cluster's OIDC issuer URL. */
    static final String ISSUER = "issuer";
    /** The security group EKS made for the cluster, which its nodes carry. */
    static final String CLUSTER_SECURITY_GROUP = "clusterSecurityGroup";
    /** The OIDC provider's issuer without its scheme, as IRSA trust conditions name it. */
    static final String ISSUER_HOST = "issuerHost";
}

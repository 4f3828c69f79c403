package io.logexaminer.aws;

import io.logexaminer.config.Platform;
import io.logexaminer.plan.Outputs;
import io.logexaminer.plan.PlanBuilder;
import io.logexaminer.plan.PlatformNames;
import io.logexaminer.plan.ProgressListener;
import io.logexaminer.plan.Resource;
import io.logexaminer.plan.ResourceSpec;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.IpRange;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;
import software.amazon.awssdk.services.ec2.model.UserIdGroupPair;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The platform's security groups and their ingress rules, which it owns entirely: a rule it does not want is revoked.
 * The endpoints' group admits HTTPS from the VPC; the database's admits PostgreSQL only from the cluster's security
 * group, which EKS gives every managed node.
 */
public final class SecurityGroups extends AwsHandler<SecurityGroup> {

    /** One ingress rule: TCP ports from a CIDR block or from a security group ({@code sg-…}). */
    record Rule(int fromPort, int toPort, String source) {
        @Override
        public String toString() {
            return "tcp/" + (fromPort == toPort ? String.valueOf(fromPort) : fromPort + "-" + toPort) + " from " + source;
        }

        IpPermission permission() {
            IpPermission.Builder p = IpPermission.builder().ipProtocol("tcp").fromPort(fromPort).toPort(toPort);
            return source.startsWith("sg-")
                    ? p.userIdGroupPairs(UserIdGroupPair.builder().groupId(source).build()).build()
                    : p.ipRanges(IpRange.builder().cidrIp(source).build()).build();
        }
    }

    public SecurityGroups(AwsPlatform aws) {
        super(aws);
    }

    private Ec2Client ec2() {
        return aws.clients().ec2();
    }

    @Override
    Optional<SecurityGroup> find(Resource resource, Outputs outputs) {
        Optional<SecurityGroup> tagged = single(resource, ec2().describeSecurityGroups(r -> r.filters(Ec2Tags.owned(aws, resource.id())))
                .securityGroups(), SecurityGroup::groupId);
        if (tagged.isPresent()) {
            return tagged;
        }
        Optional<String> vpc = outputs.get(PlanBuilder.VPC, Keys.ID);
        if (!(resource.spec() instanceof ResourceSpec.SecurityGroup)) {
            return Optional.empty();
        }
        return vpc.flatMap(v -> ec2().describeSecurityGroups(r -> r.filters(Ec2Tags.filter("vpc-id", v),
                Ec2Tags.filter("group-name", name(resource)))).securityGroups().stream().findFirst());
    }

    private String name(Resource resource) {
        return PlatformNames.securityGroupName(aws.platform(), ((ResourceSpec.SecurityGroup) resource.spec()).purpose());
    }

    @Override
    Map<String, String> tagsOf(SecurityGroup current) {
        return Ec2Tags.map(current.tags());
    }

    @Override
    String label(Resource resource, SecurityGroup current) {
        return "security group " + current.groupName() + " (" + current.groupId() + ")";
    }

    @Override
    void record(Resource resource, SecurityGroup current, Outputs outputs) {
        outputs.put(resource.id(), Keys.ID, current.groupId());
    }

    /** The rules the group should have, or empty while a source they name is still being created. */
    Optional<Set<Rule>> desiredRules(Resource resource, Outputs outputs) {
        Platform p = aws.platform();
        String purpose = ((ResourceSpec.SecurityGroup) resource.spec()).purpose();
        if (purpose.equals("database")) {
            int port = p.database().port();
            if (outputs.get(PlanBuilder.CLUSTER, Keys.ARN).isEmpty()) {
                return Optional.empty();
            }
            Optional<String> clusterGroup = outputs.get(PlanBuilder.CLUSTER, Keys.CLUSTER_SECURITY_GROUP);
            if (clusterGroup.isPresent()) {
                return Optional.of(Set.of(new Rule(port, port, clusterGroup.get())));
            }
            // A cluster without a cluster security group (EKS before 1.14, emulators): its nodes are the private subnets.
            Set<Rule> rules = new LinkedHashSet<>();
            p.network().privateSubnets().forEach(s -> rules.add(new Rule(port, port, s.cidr())));
            return Optional.of(rules);
        }
        return Optional.of(Set.of(new Rule(443, 443, p.network().vpcCidr())));
    }

    static Set<Rule> rules(SecurityGroup group) {
        Set<Rule> rules = new LinkedHashSet<>();
        for (IpPermission p : group.ipPermissions()) {
            if (!"tcp".equals(p.ipProtocol()) || p.fromPort() == null) {
                continue;
            }
            p.ipRanges().forEach(r -> rules.add(new Rule(p.fromPort(), p.toPort(), r.cidrIp())));
            p.userIdGroupPairs().forEach(g -> rules.add(new Rule(p.fromPort(), p.toPort(), g.groupId())));
        }
        return rules;
    }

    @Override
    List<Drift> drifts(Resource resource, SecurityGroup current, Outputs outputs, ProgressListener listener) {
        List<Drift> drifts = new ArrayList<>();
        String group = current.groupId();
        Optional<String> vpc = outputs.get(PlanBuilder.VPC, Keys.ID);
        if (vpc.isPresent() && !vpc.get().equals(current.vpcId())) {
            drifts.add(Drift.blocked("is in " + current.vpcId() + ", not in the platform's VPC: delete " + group + " by hand"));
        }
        Set<Rule> actual = rules(current);
        Optional<Set<Rule>> desired = desiredRules(resource, outputs);
        if (desired.isEmpty()) {
            drifts.add(Drift.of("ingress from the cluster's security group (the cluster is being created)",
                    () -> converge(group, actual, desiredRules(resource, outputs).orElseThrow())));
        } else if (!desired.get().equals(actual)) {
            List<String> changes = new ArrayList<>();
            desired.get().stream().filter(r -> !actual.contains(r)).forEach(r -> changes.add("allow " + r));
            actual.stream().filter(r -> !desired.get().contains(r)).forEach(r -> changes.add("revoke " + r));
            drifts.add(Drift.of("ingress: " + String.join(", ", changes), () -> converge(group, actual, desired.get())));
        }
        tagDrift(aws.tags(resource.id()), tagsOf(current), tags -> Ec2Tags.set(ec2(), group, tags)).ifPresent(drifts::add);
        return drifts;
    }

    private void converge(String group, Set<Rule> actual, Set<Rule> desired) {
        List<IpPermission> allow = desired.stream().filter(r -> !actual.contains(r)).map(Rule::permission).toList();
        List<IpPermission> revoke = actual.stream().filter(r -> !desired.contains(r)).map(Rule::permission).toList();
        if (!allow.isEmpty()) {
            ec2().authorizeSecurityGroupIngress(r -> r.groupId(group).ipPermissions(allow));
        }
        if (!revoke.isEmpty()) {
            ec2().revokeSecurityGroupIngress(r -> r.groupId(group).ipPermissions(revoke));
        }
    }

    @Override
    SecurityGroup create(Resource resource, Outputs outputs, ProgressListener listener) {
        ResourceSpec.SecurityGroup spec = (ResourceSpec.SecurityGroup) resource.spec();
        String vpc = outputs.require(PlanBuilder.VPC, Keys.ID);
        Map<String, String> tags = aws.tags(resource.id());
        String id = ec2().createSecurityGroup(r -> r.groupName(name(resource)).description(spec.description()).vpcId(vpc)
                .tagSpecifications(Ec2Tags.onCreate(ResourceType.SECURITY_GROUP, tags))).groupId();
        return SecurityGroup.builder().groupId(id).groupName(name(resource)).vpcId(vpc).tags(Ec2Tags.list(tags)).build();
    }

    @Override
    void remove(Resource resource, SecurityGroup current, Outputs outputs, ProgressListener listener) {
        // Refused while network interfaces (endpoints, a database, EKS's) still use it; they go away on their own.
        waiter(resource, listener, aws.waits().other()).retrying("deleted", Set.of("DependencyViolation"),
                () -> ec2().deleteSecurityGroup(r -> r.groupId(current.groupId())));
    }
}

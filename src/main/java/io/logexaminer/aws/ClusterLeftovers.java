package io.logexaminer.aws;

import io.logexaminer.plan.Outputs;
import io.logexaminer.plan.PlanBuilder;
import io.logexaminer.plan.ProgressListener;
import io.logexaminer.plan.Resource;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.NetworkInterface;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;
import software.amazon.awssdk.services.elasticloadbalancing.ElasticLoadBalancingClient;
import software.amazon.awssdk.services.elasticloadbalancing.model.LoadBalancerDescription;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What Kubernetes on EKS leaves in the VPC for a cluster once the cluster is gone: load balancers made for services,
 * network interfaces the VPC CNI detached, and security groups, all tagged for the cluster. They block deleting the
 * subnets, the internet gateway and the VPC, so {@code down} deletes them first. They carry the cluster's tags, not
 * the platform's, and belong to the platform through its cluster.
 */
public final class ClusterLeftovers extends AwsHandler<ClusterLeftovers.Current> {

    record Current(List<String> loadBalancers, List<String> classicLoadBalancers, List<String> networkInterfaces,
                   List<String> securityGroups) {

        String summary() {
            List<String> parts = new ArrayList<>();
            if (!loadBalancers.isEmpty() || !classicLoadBalancers.isEmpty()) {
                parts.add((loadBalancers.size() + classicLoadBalancers.size()) + " load balancers");
            }
            if (!networkInterfaces.isEmpty()) {
                parts.add(networkInterfaces.size() + " network interfaces");
            }
            if (!securityGroups.isEmpty()) {
                parts.add(securityGroups.size() + " security groups");
            }
            return String.join(", ", parts);
        }
    }

    public ClusterLeftovers(AwsPlatform aws) {
        super(aws);
    }

    private Ec2Client ec2() {
        return aws.clients().ec2();
    }

    private String cluster() {
        return aws.platform().eks().clusterName();
    }

    private String clusterTag() {
        return "kubernetes.io/cluster/" + cluster();
    }

    private boolean forCluster(Map<String, String> tags) {
        return tags.containsKey(clusterTag()) || cluster().equals(tags.get("elbv2.k8s.aws/cluster"))
                || cluster().equals(tags.get("cluster.k8s.amazonaws.com/name"));
    }

    @Override
    Optional<Current> find(Resource resource, Outputs outputs) {
        Optional<String> vpc = outputs.get(PlanBuilder.VPC, Keys.ID);
        if (vpc.isEmpty()) {
            return Optional.empty();
        }
        Current found = new Current(loadBalancers(vpc.get()), classicLoadBalancers(vpc.get()), networkInterfaces(vpc.get()),
                securityGroups(vpc.get()));
        return found.summary().isEmpty() ? Optional.empty() : Optional.of(found);
    }

    private List<String> loadBalancers(String vpc) {
        ElasticLoadBalancingV2Client elb = aws.clients().elbv2();
        List<String> arns = elb.describeLoadBalancersPaginator(r -> { }).loadBalancers().stream()
                .filter(lb -> vpc.equals(lb.vpcId())).map(LoadBalancer::loadBalancerArn).toList();
        List<String> out = new ArrayList<>();
        for (int i = 0; i < arns.size(); i += 20) {
            List<String> batch = arns.subList(i, Math.min(arns.size(), i + 20));
            elb.describeTags(r -> r.resourceArns(batch)).tagDescriptions().forEach(d -> {
                if (forCluster(Tags.map(d.tags(), t -> t.key(), t -> t.value()))) {
                    out.add(d.resourceArn());
                }
            });
        }
        return out;
    }

    private List<String> classicLoadBalancers(String vpc) {
        ElasticLoadBalancingClient elb = aws.clients().elb();
        List<String> names = elb.describeLoadBalancersPaginator(r -> { }).loadBalancerDescriptions().stream()
                .filter(lb -> vpc.equals(lb.vpcId())).map(LoadBalancerDescription::loadBalancerName).toList();
        List<String> out = new ArrayList<>();
        for (int i = 0; i < names.size(); i += 20) {
            List<String> batch = names.subList(i, Math.min(names.size(), i + 20));
            elb.describeTags(r -> r.loadBalancerNames(batch)).tagDescriptions().forEach(d -> {
                if (forCluster(Tags.map(d.tags(), t -> t.key(), t -> t.value()))) {
                    out.add(d.loadBalancerName());
                }
            });
        }
        return out;
    }

    private List<String> networkInterfaces(String vpc) {
        return ec2().describeNetworkInterfacesPaginator(r -> r.filters(Ec2Tags.filter("vpc-id", vpc), Ec2Tags.filter("status", "available")))
                .networkInterfaces().stream().filter(n -> forCluster(Ec2Tags.map(n.tagSet())))
                .map(NetworkInterface::networkInterfaceId).toList();
    }

    private List<String> securityGroups(String vpc) {
        Set<String> out = new LinkedHashSet<>();
        ec2().describeSecurityGroupsPaginator(r -> r.filters(Ec2Tags.filter("vpc-id", vpc))).securityGroups().stream()
                .filter(g -> forCluster(Ec2Tags.map(g.tags())) && !aws.owns(Ec2Tags.map(g.tags())))
                .map(SecurityGroup::groupId).forEach(out::add);
        return List.copyOf(out);
    }

    /** Not tagged by this tool, and yet the platform's: they exist only because its cluster did. */
    @Override
    Map<String, String> tagsOf(Current current) {
        return aws.tags(PlanBuilder.CLUSTER);
    }

    @Override
    String label(Resource resource, Current current) {
        return "what EKS left in the VPC";
    }

    @Override
    void record(Resource resource, Current current, Outputs outputs) {
    }

    @Override
    List<String> deletionNotes(Resource resource, Current current, Outputs outputs) {
        return List.of(current.summary() + " tagged " + clusterTag());
    }

    @Override
    List<Drift> drifts(Resource resource, Current current, Outputs outputs, ProgressListener listener) {
        return List.of();
    }

    @Override
    Current create(Resource resource, Outputs outputs, ProgressListener listener) {
        throw new IllegalStateException("what EKS leaves behind is only ever deleted");
    }

    @Override
    void remove(Resource resource, Current current, Outputs outputs, ProgressListener listener) {
        Waiter waiter = waiter(resource, listener, aws.waits().other());
        ElasticLoadBalancingV2Client elbv2 = aws.clients().elbv2();
        current.loadBalancers().forEach(arn -> elbv2.deleteLoadBalancer(r -> r.loadBalancerArn(arn)));
        current.classicLoadBalancers().forEach(name -> aws.clients().elb().deleteLoadBalancer(r -> r.loadBalancerName(name)));
        if (!current.loadBalancers().isEmpty()) {
            waiter.untilGone(() -> elbv2.describeLoadBalancersPaginator(r -> { }).loadBalancers().stream()
                    .filter(lb -> current.loadBalancers().contains(lb.loadBalancerArn())).findFirst(), lb -> lb.state().codeAsString());
        }
        for (String eni : current.networkInterfaces()) {
            waiter.retrying("deleted", Set.of("InvalidNetworkInterface.InUse"),
                    () -> ec2().deleteNetworkInterface(r -> r.networkInterfaceId(eni)));
        }
        for (String group : current.securityGroups()) {
            waiter.retrying("deleted", Set.of("DependencyViolation"), () -> ec2().deleteSecurityGroup(r -> r.groupId(group)));
        }
    }
}

package io.logexaminer.aws;

import io.logexaminer.config.Platform;
import io.logexaminer.plan.Inventory;
import io.logexaminer.plan.Outputs;
import io.logexaminer.plan.PlanBuilder;
import io.logexaminer.plan.PlatformNames;
import io.logexaminer.plan.ResourceSpec;
import software.amazon.awssdk.services.ec2.model.TagDescription;
import software.amazon.awssdk.services.iam.model.Role;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the platform has on AWS whether platform.yaml still describes it or not: the EC2 resources carrying its owner
 * tag, the cluster's node groups and add-ons, and the IAM roles named with its prefix. Candidates found by name are
 * checked for the owner tag when they are observed; those without it are never touched.
 */
public final class AwsInventory implements Inventory {
    private static final Map<String, String> EC2_TYPES = Map.of(
            "vpc-", ResourceSpec.Vpc.TYPE, "subnet-", ResourceSpec.Subnet.TYPE, "igw-", ResourceSpec.InternetGateway.TYPE,
            "rtb-", ResourceSpec.RouteTable.TYPE, "nat-", ResourceSpec.NatGateway.TYPE, "eipalloc-", ResourceSpec.ElasticIp.TYPE,
            "sg-", ResourceSpec.SecurityGroup.TYPE, "vpce-", ResourceSpec.VpcEndpoint.TYPE);

    private final AwsPlatform aws;

    public AwsInventory(AwsPlatform aws) {
        this.aws = aws;
    }

    @Override
    public Map<String, String> owned(Outputs outputs) {
        Map<String, String> owned = new LinkedHashMap<>();
        ec2(owned);
        if (outputs.get(PlanBuilder.CLUSTER, Keys.ARN).isPresent()) {
            String cluster = aws.platform().eks().clusterName();
            aws.clients().eks().listNodegroupsPaginator(r -> r.clusterName(cluster)).nodegroups()
                    .forEach(name -> owned.put(PlanBuilder.nodeGroupId(name), ResourceSpec.NodeGroup.TYPE));
            aws.clients().eks().listAddonsPaginator(r -> r.clusterName(cluster)).addons()
                    .forEach(name -> owned.put(PlanBuilder.addonId(name), ResourceSpec.EksAddon.TYPE));
        }
        String prefix = PlatformNames.roleName(aws.platform(), "");
        for (Role role : aws.clients().iam().listRolesPaginator().roles()) {
            if (role.roleName().startsWith(prefix)) {
                String purpose = role.roleName().substring(prefix.length());
                String id = purpose.equals("eks-cluster") ? PlanBuilder.CLUSTER_ROLE : purpose.equals("eks-nodes") ? PlanBuilder.NODE_ROLE
                        : PlanBuilder.serviceAccountRoleId(purpose);
                owned.put(id, ResourceSpec.IamRole.TYPE);
            }
        }
        return owned;
    }

    private void ec2(Map<String, String> owned) {
        List<String> ids = aws.clients().ec2().describeTagsPaginator(r -> r.filters(Ec2Tags.filter("key", Platform.OWNER_TAG),
                Ec2Tags.filter("value", aws.platform().name()))).tags().stream().map(TagDescription::resourceId).distinct().toList();
        for (int i = 0; i < ids.size(); i += 200) {
            List<String> batch = ids.subList(i, Math.min(ids.size(), i + 200));
            for (TagDescription t : aws.clients().ec2().describeTagsPaginator(r -> r.filters(Ec2Tags.filter("key", Platform.LOGICAL_ID_TAG),
                    Ec2Tags.filter("resource-id", batch.toArray(String[]::new)))).tags()) {
                EC2_TYPES.entrySet().stream().filter(e -> t.resourceId().startsWith(e.getKey())).findFirst()
                        .ifPresent(e -> owned.put(t.value(), e.getValue()));
            }
        }
    }
}

package io.logexaminer.aws;

import io.logexaminer.plan.Action;
import io.logexaminer.plan.Outputs;
import io.logexaminer.plan.PlanBuilder;
import io.logexaminer.plan.Resource;
import io.logexaminer.plan.ResourceHandler.Purpose;
import io.logexaminer.plan.ResourceSpec.Tier;
import io.logexaminer.testing.MotoServer;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cluster autoscaler's node-template tags on a node group's Auto Scaling group. EKS makes that group; moto's node
 * groups name one but never make it, so the test makes it in moto's Auto Scaling, as EKS would.
 */
class NodeGroupsTest extends AgainstMotoHandlers {

    @Test
    void theExecutorsGroupCanBeScaledFromZeroByTheClusterAutoscaler() {
        Outputs outputs = new Outputs();
        outputs.put(PlanBuilder.CLUSTER, Keys.ARN, f.createCluster());
        outputs.put(PlanBuilder.NODE_ROLE, Keys.ARN, "arn:aws:iam::" + MotoServer.ACCOUNT + ":role/demo-eu-west-1-eks-nodes");
        outputs.put(PlanBuilder.subnetId(Tier.PRIVATE, "eu-west-1a"), Keys.ID, "subnet-a");
        outputs.put(PlanBuilder.subnetId(Tier.PRIVATE, "eu-west-1b"), Keys.ID, "subnet-b");
        NodeGroups groups = new NodeGroups(f.aws);
        Resource executors = f.resource(PlanBuilder.nodeGroupId("executors"));
        groups.apply(executors, outputs, f.listener);

        String asg = f.clients.eks().describeNodegroup(r -> r.clusterName("demo").nodegroupName("executors")).nodegroup()
                .resources().autoScalingGroups().getFirst().name();
        f.clients.autoScaling().createLaunchConfiguration(r -> r.launchConfigurationName("eks-executors").imageId("ami-12c6146b")
                .instanceType("m6i.2xlarge"));
        f.clients.autoScaling().createAutoScalingGroup(r -> r.autoScalingGroupName(asg).launchConfigurationName("eks-executors")
                .minSize(0).maxSize(20).availabilityZones("eu-west-1a"));

        var seen = groups.observe(executors, outputs, Purpose.UP);
        assertEquals(Action.UPDATE, seen.upAction());
        assertTrue(seen.differences().getFirst().startsWith("Auto Scaling group " + asg + " tags: set "), seen.differences().toString());
        groups.apply(executors, outputs, f.listener);

        Map<String, String> tags = new HashMap<>();
        f.clients.autoScaling().describeAutoScalingGroups(r -> r.autoScalingGroupNames(asg)).autoScalingGroups().getFirst().tags()
                .forEach(t -> tags.put(t.key(), t.value()));
        assertEquals("executors", tags.get("k8s.io/cluster-autoscaler/node-template/label/role"));
        assertEquals("executors:NoSchedule", tags.get("k8s.io/cluster-autoscaler/node-template/taint/role"));
        assertEquals("owned", tags.get("k8s.io/cluster-autoscaler/demo"));
        assertEquals("true", tags.get("k8s.io/cluster-autoscaler/enabled"));
        assertEquals(Action.NOOP, groups.observe(executors, outputs, Purpose.UP).upAction());
    }
}

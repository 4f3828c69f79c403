package io.logexaminer.aws;

import io.logexaminer.error.RemoteStateException;
import io.logexaminer.plan.Action;
import io.logexaminer.plan.Outputs;
import io.logexaminer.plan.PlanBuilder;
import io.logexaminer.plan.Resource;
import io.logexaminer.plan.ResourceHandler.Purpose;
import io.logexaminer.testing.MotoServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The EKS add-on calls and their waits. moto has no add-on API at all, so the test proxy answers CreateAddon,
 * DescribeAddon, UpdateAddon, DeleteAddon and ListAddons from memory (everything else reaches moto), and the statuses
 * EKS goes through (CREATING, CREATE_FAILED), which moto never reports, are queued by each test.
 */
class EksAddonsTest extends AgainstMotoHandlers {
    private static final String VERSIONED = "name: demo\nregion: eu-west-1\neks:\n  addons:\n    - {name: vpc-cni}\n"
            + "    - {name: coredns, version: v1.11.4-eksbuild.2}\n    - {name: kube-proxy}\n    - {name: aws-ebs-csi-driver}\n";

    private final Outputs outputs = new Outputs();
    private EksAddons addons;
    private Resource coredns;

    @Override
    String platformYaml() {
        return VERSIONED;
    }

    @BeforeEach
    void start() {
        outputs.put(PlanBuilder.CLUSTER, Keys.ARN, f.createCluster());
        addons = new EksAddons(f.aws);
        coredns = f.resource("eks-addon/coredns");
    }

    @Test
    void createWaitsWhileEksReportsCreatingThenTheAddOnMatches() {
        assertEquals(Action.CREATE, addons.observe(coredns, outputs, Purpose.UP).upAction());
        f.proxy.addons().queueStatuses("coredns", "CREATING", "CREATING");
        addons.apply(coredns, outputs, f.listener);
        assertEquals(2, f.messages.stream().filter(m -> m.contains("CREATING, waiting for ACTIVE")).count(), f.messages::toString);
        var stored = f.proxy.addons().of("demo").get("coredns");
        assertEquals("v1.11.4-eksbuild.2", stored.get("addonVersion").asText());
        assertEquals("demo", stored.get("tags").get("logexaminer.io/platform").asText());
        assertEquals(Action.NOOP, addons.observe(coredns, outputs, Purpose.UP).upAction());
    }

    @Test
    void anotherVersionIsUpdatedInPlace() {
        f.clients.eks().createAddon(r -> r.clusterName("demo").addonName("coredns").addonVersion("v1.10.1-eksbuild.1")
                .tags(f.aws.tags(coredns.id())));
        var seen = addons.observe(coredns, outputs, Purpose.UP);
        assertEquals(Action.UPDATE, seen.upAction());
        assertEquals("version v1.10.1-eksbuild.1 -> v1.11.4-eksbuild.2", seen.differences().getFirst());
        f.proxy.addons().queueStatuses("coredns", "UPDATING");
        addons.apply(coredns, outputs, f.listener);
        assertEquals("v1.11.4-eksbuild.2", f.proxy.addons().of("demo").get("coredns").get("addonVersion").asText());
        assertEquals(Action.NOOP, addons.observe(coredns, outputs, Purpose.UP).upAction());
    }

    @Test
    void aFailedAddOnStopsTheRunWithEksHealthIssues() {
        f.proxy.addons().queueStatuses("coredns", "CREATING", "CREATE_FAILED");
        f.clients.eks().createAddon(r -> r.clusterName("demo").addonName("coredns").tags(f.aws.tags(coredns.id())));
        f.proxy.addons().setIssue("demo", "coredns", "InsufficientNumberOfReplicas", "The add-on is unhealthy because it doesn't have the desired number of replicas.");
        RemoteStateException e = assertThrows(RemoteStateException.class, () -> addons.awaitActive(coredns, f.listener));
        assertTrue(e.getMessage().startsWith("eks-addon/coredns: CREATE_FAILED instead of ACTIVE: InsufficientNumberOfReplicas"), e.getMessage());
    }

    @Test
    void theEbsCsiDriverGetsItsServiceAccountRoleAndDeleteRemovesTheAddOn() {
        Resource ebs = f.resource("eks-addon/aws-ebs-csi-driver");
        String role = "arn:aws:iam::" + MotoServer.ACCOUNT + ":role/demo-eu-west-1-ebs-csi";
        outputs.put("iam-role/irsa/ebs-csi", Keys.ARN, role);
        addons.apply(ebs, outputs, f.listener);
        assertEquals(role, f.proxy.addons().of("demo").get("aws-ebs-csi-driver").get("serviceAccountRoleArn").asText());
        assertTrue(addons.delete(ebs, outputs, f.listener).isEmpty());
        assertTrue(f.proxy.addons().of("demo").isEmpty());
        assertEquals(Action.CREATE, addons.observe(ebs, outputs, Purpose.UP).upAction());
    }
}

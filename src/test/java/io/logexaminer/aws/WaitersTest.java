package io.logexaminer.aws;

import io.logexaminer.error.CancelledException;
import io.logexaminer.error.RemoteStateException;
import io.logexaminer.plan.Action;
import io.logexaminer.plan.Outputs;
import io.logexaminer.plan.PlanBuilder;
import io.logexaminer.plan.ProgressListener;
import io.logexaminer.plan.Resource;
import io.logexaminer.plan.ResourceHandler.Purpose;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.ResourceType;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Waiting for resources to become ready or go away. moto creates everything ready at once and never reports
 * CREATING or pending, so the resource waits are driven here by the test proxy rewriting moto's answers, and the
 * waiter itself by scripted states.
 */
class WaitersTest extends AgainstMotoHandlers {

    private Waiter waiter(Duration timeout) {
        return new Waiter(f.resource(PlanBuilder.CLUSTER), f.listener, Duration.ofMillis(10), timeout);
    }

    private static java.util.function.Supplier<Optional<String>> script(String... states) {
        Deque<String> queue = new ArrayDeque<>(List.of(states));
        return () -> Optional.ofNullable(queue.size() > 1 ? queue.pollFirst() : queue.peekFirst());
    }

    @Test
    void theWaiterReportsEachStateUntilTheGoal() {
        String result = waiter(Duration.ofSeconds(5)).until("ACTIVE", script("CREATING", "CREATING", "ACTIVE"), s -> s,
                "ACTIVE"::equals, "FAILED"::equals, s -> "");
        assertEquals("ACTIVE", result);
        assertEquals(2, f.messages.stream().filter(m -> m.startsWith("eks-cluster: CREATING, waiting for ACTIVE (")).count());
    }

    @Test
    void aTimeoutSaysWhichStateTheResourceIsStillIn() {
        RemoteStateException e = assertThrows(RemoteStateException.class, () -> waiter(Duration.ofMillis(60)).until("ACTIVE",
                script("CREATING"), s -> s, "ACTIVE"::equals, "FAILED"::equals, s -> ""));
        assertTrue(e.getMessage().startsWith("eks-cluster: still CREATING after 0s waiting for ACTIVE;"), e.getMessage());
    }

    @Test
    void aFailedStateAndADisappearanceEndTheWait() {
        RemoteStateException failed = assertThrows(RemoteStateException.class, () -> waiter(Duration.ofSeconds(5)).until("ACTIVE",
                script("CREATING", "FAILED"), s -> s, "ACTIVE"::equals, "FAILED"::equals, s -> "subnet has no free addresses"));
        assertEquals("eks-cluster: FAILED instead of ACTIVE: subnet has no free addresses", failed.getMessage());
        RemoteStateException gone = assertThrows(RemoteStateException.class, () -> waiter(Duration.ofSeconds(5)).until("ACTIVE",
                Optional::<String>empty, s -> s, "ACTIVE"::equals, "FAILED"::equals, s -> ""));
        assertEquals("eks-cluster: disappeared while waiting for ACTIVE", gone.getMessage());
    }

    @Test
    void anInterruptStopsTheWait() throws Exception {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread t = Thread.ofVirtual().start(() -> {
            try {
                new Waiter(f.resource(PlanBuilder.CLUSTER), ProgressListener.NONE, Duration.ofSeconds(30), Duration.ofMinutes(5))
                        .until("ACTIVE", script("CREATING"), s -> s, "ACTIVE"::equals, "FAILED"::equals, s -> "");
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        Thread.sleep(100);
        t.interrupt();
        t.join(5000);
        assertInstanceOf(CancelledException.class, thrown.get());
        assertTrue(thrown.get().getMessage().contains("still CREATING"));
    }

    @Test
    void callsRefusedWhileADependencyGoesAwayAreRetriedOthersAreNot() {
        AtomicInteger calls = new AtomicInteger();
        waiter(Duration.ofSeconds(5)).retrying("deleted", Set.of("DependencyViolation"), () -> {
            if (calls.incrementAndGet() < 3) {
                throw Ec2Exception.builder().awsErrorDetails(AwsErrorDetails.builder().errorCode("DependencyViolation").build()).build();
            }
        });
        assertEquals(3, calls.get());
        AtomicInteger other = new AtomicInteger();
        assertThrows(Ec2Exception.class, () -> waiter(Duration.ofSeconds(5)).retrying("deleted", Set.of("DependencyViolation"), () -> {
            other.incrementAndGet();
            throw Ec2Exception.builder().awsErrorDetails(AwsErrorDetails.builder().errorCode("InvalidGroup.NotFound").build()).build();
        }));
        assertEquals(1, other.get());
    }

    @Test
    void upWaitsForAClusterStillCreating() {
        Outputs outputs = new Outputs();
        f.createCluster();
        // Three answers say CREATING, as EKS does for about ten minutes after CreateCluster.
        f.proxy.rewrite("eks:DescribeCluster", "\"status\"\\s*:\\s*\"ACTIVE\"", "\"status\": \"CREATING\"", 3);
        EksClusters clusters = new EksClusters(f.aws);
        Resource cluster = f.resource(PlanBuilder.CLUSTER);
        var seen = clusters.observe(cluster, outputs, Purpose.UP);
        assertEquals(Action.UPDATE, seen.upAction());
        assertEquals("CREATING: wait until ACTIVE", seen.differences().getFirst());
        clusters.apply(cluster, outputs, f.listener);
        assertEquals(Action.NOOP, clusters.observe(cluster, outputs, Purpose.UP).upAction());
        assertTrue(f.proxy.requests().get("eks:DescribeCluster") >= 4, f.proxy.requests()::toString);
    }

    @Test
    void aNatGatewayStillPendingIsWaitedForAndOneThatNeverComesTimesOut() {
        String vpc = f.clients.ec2().createVpc(r -> r.cidrBlock("10.0.0.0/16")).vpc().vpcId();
        String subnet = f.clients.ec2().createSubnet(r -> r.vpcId(vpc).cidrBlock("10.0.0.0/20").availabilityZone("eu-west-1a")).subnet().subnetId();
        String eip = f.clients.ec2().allocateAddress(r -> r.domain("vpc")).allocationId();
        Resource nat = f.resource(PlanBuilder.natGatewayId("eu-west-1a"));
        f.clients.ec2().createNatGateway(r -> r.subnetId(subnet).allocationId(eip)
                .tagSpecifications(t -> t.resourceType(ResourceType.NATGATEWAY).tags(Ec2Tags.list(f.aws.tags(nat.id())))));
        Outputs outputs = new Outputs();
        f.proxy.rewrite("ec2:DescribeNatGateways", "<state>available</state>", "<state>pending</state>", 3);
        NatGateways gateways = new NatGateways(f.aws);
        assertEquals("pending: wait until available", gateways.observe(nat, outputs, Purpose.UP).differences().getFirst());
        gateways.apply(nat, outputs, f.listener);
        assertTrue(f.messages.stream().anyMatch(m -> m.contains("pending, waiting for available")), f.messages::toString);

        AwsHandlerFixture impatient = new AwsHandlerFixture(moto, "name: demo\nregion: eu-west-1\n",
                Waits.uniform(Duration.ofMillis(20), Duration.ofMillis(200)));
        try (impatient) {
            impatient.proxy.rewrite("ec2:DescribeNatGateways", "<state>available</state>", "<state>pending</state>", 1000);
            RemoteStateException e = assertThrows(RemoteStateException.class,
                    () -> new NatGateways(impatient.aws).apply(nat, new Outputs(), impatient.listener));
            assertTrue(e.getMessage().startsWith("nat-gateway/eu-west-1a: still pending after 0s waiting for available"), e.getMessage());
        }
    }
}

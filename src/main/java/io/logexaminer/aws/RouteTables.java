package io.logexaminer.aws;

import io.logexaminer.plan.Outputs;
import io.logexaminer.plan.PlanBuilder;
import io.logexaminer.plan.ProgressListener;
import io.logexaminer.plan.Resource;
import io.logexaminer.plan.ResourceSpec;
import io.logexaminer.plan.ResourceSpec.Tier;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Route;
import software.amazon.awssdk.services.ec2.model.RouteState;
import software.amazon.awssdk.services.ec2.model.RouteTable;
import software.amazon.awssdk.services.ec2.model.RouteTableAssociation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A route table and its subnet associations. The public one sends 0.0.0.0/0 to the internet gateway; a private one
 * to its zone's NAT gateway, or nowhere without NAT. Routes it does not manage (local, the S3 endpoint's) stay.
 */
public final class RouteTables extends AwsHandler<RouteTable> {
    static final String DEFAULT_ROUTE = "0.0.0.0/0";

    public RouteTables(AwsPlatform aws) {
        super(aws);
    }

    private Ec2Client ec2() {
        return aws.clients().ec2();
    }

    @Override
    Optional<RouteTable> find(Resource resource, Outputs outputs) {
        return single(resource, ec2().describeRouteTables(r -> r.filters(Ec2Tags.owned(aws, resource.id()))).routeTables(),
                RouteTable::routeTableId);
    }

    @Override
    Map<String, String> tagsOf(RouteTable current) {
        return Ec2Tags.map(current.tags());
    }

    @Override
    String label(Resource resource, RouteTable current) {
        return "route table " + current.routeTableId();
    }

    @Override
    void record(Resource resource, RouteTable current, Outputs outputs) {
        outputs.put(resource.id(), Keys.ID, current.routeTableId());
    }

    /** The resource id of the default route's target: the internet gateway, the zone's NAT gateway, or none. */
    private static Optional<String> targetId(ResourceSpec.RouteTable spec) {
        return spec.tier() == Tier.PUBLIC ? Optional.of(PlanBuilder.INTERNET_GATEWAY) : Optional.ofNullable(spec.natGatewayId());
    }

    @Override
    List<Drift> drifts(Resource resource, RouteTable current, Outputs outputs, ProgressListener listener) {
        ResourceSpec.RouteTable spec = (ResourceSpec.RouteTable) resource.spec();
        String table = current.routeTableId();
        List<Drift> drifts = new ArrayList<>();
        Optional<String> vpc = outputs.get(PlanBuilder.VPC, Keys.ID);
        if (vpc.isPresent() && !vpc.get().equals(current.vpcId())) {
            drifts.add(Drift.blocked("is in " + current.vpcId() + ", not in the platform's VPC: delete route table " + table + " by hand"));
        }
        Optional<Route> route = current.routes().stream().filter(r -> DEFAULT_ROUTE.equals(r.destinationCidrBlock())).findFirst();
        Optional<String> targetId = targetId(spec);
        if (targetId.isEmpty()) {
            route.ifPresent(r -> drifts.add(Drift.of("route " + DEFAULT_ROUTE + ": remove (no NAT gateway)",
                    () -> ec2().deleteRoute(d -> d.routeTableId(table).destinationCidrBlock(DEFAULT_ROUTE)))));
        } else {
            String target = targetId.get();
            Optional<String> known = outputs.get(target, Keys.ID);
            String actual = route.map(r -> r.natGatewayId() != null ? r.natGatewayId() : r.gatewayId()).orElse(null);
            boolean blackhole = route.map(r -> r.state() == RouteState.BLACKHOLE).orElse(false);
            if (known.isEmpty() || !known.get().equals(actual) || blackhole) {
                String to = "route " + DEFAULT_ROUTE + " to " + target + known.map(k -> " (" + k + ")").orElse(" (being created)");
                drifts.add(Drift.of(route.isEmpty() ? to : to + " instead of " + actual, () -> {
                    String id = outputs.require(target, Keys.ID);
                    boolean nat = id.startsWith("nat-");
                    if (route.isEmpty()) {
                        ec2().createRoute(c -> c.routeTableId(table).destinationCidrBlock(DEFAULT_ROUTE)
                                .gatewayId(nat ? null : id).natGatewayId(nat ? id : null));
                    } else {
                        ec2().replaceRoute(c -> c.routeTableId(table).destinationCidrBlock(DEFAULT_ROUTE)
                                .gatewayId(nat ? null : id).natGatewayId(nat ? id : null));
                    }
                }));
            }
        }
        Set<String> associated = new java.util.HashSet<>();
        for (RouteTableAssociation a : current.associations()) {
            if (a.subnetId() != null) {
                associated.add(a.subnetId());
            }
        }
        Set<String> wanted = new java.util.HashSet<>();
        for (String subnetId : spec.subnetIds()) {
            Optional<String> subnet = outputs.get(subnetId, Keys.ID);
            subnet.ifPresent(wanted::add);
            if (subnet.isEmpty() || !associated.contains(subnet.get())) {
                drifts.add(Drift.of("associate " + subnetId + subnet.map(s -> " (" + s + ")").orElse(" (being created)"),
                        () -> associate(table, outputs.require(subnetId, Keys.ID))));
            }
        }
        for (RouteTableAssociation a : current.associations()) {
            if (a.subnetId() != null && !Boolean.TRUE.equals(a.main()) && !wanted.contains(a.subnetId())
                    && spec.subnetIds().stream().allMatch(id -> outputs.get(id, Keys.ID).isPresent())) {
                drifts.add(Drift.of("disassociate " + a.subnetId(),
                        () -> ec2().disassociateRouteTable(d -> d.associationId(a.routeTableAssociationId()))));
            }
        }
        tagDrift(aws.tags(resource.id()), tagsOf(current), tags -> Ec2Tags.set(ec2(), table, tags)).ifPresent(drifts::add);
        return drifts;
    }

    /** Associates a subnet with this table, moving it from the table it is explicitly associated with, if any. */
    private void associate(String table, String subnet) {
        Optional<RouteTableAssociation> existing = ec2().describeRouteTables(r -> r.filters(Ec2Tags.filter("association.subnet-id", subnet)))
                .routeTables().stream().flatMap(t -> t.associations().stream())
                .filter(a -> subnet.equals(a.subnetId())).findFirst();
        if (existing.isPresent()) {
            ec2().replaceRouteTableAssociation(r -> r.associationId(existing.get().routeTableAssociationId()).routeTableId(table));
        } else {
            ec2().associateRouteTable(r -> r.routeTableId(table).subnetId(subnet));
        }
    }

    @Override
    RouteTable create(Resource resource, Outputs outputs, ProgressListener listener) {
        return ec2().createRouteTable(r -> r.vpcId(outputs.require(PlanBuilder.VPC, Keys.ID))
                .tagSpecifications(Ec2Tags.onCreate(ResourceType.ROUTE_TABLE, aws.tags(resource.id())))).routeTable();
    }

    @Override
    void remove(Resource resource, RouteTable current, Outputs outputs, ProgressListener listener) {
        for (RouteTableAssociation a : current.associations()) {
            if (!Boolean.TRUE.equals(a.main())) {
                ec2().disassociateRouteTable(r -> r.associationId(a.routeTableAssociationId()));
            }
        }
        waiter(resource, listener, aws.waits().other()).retrying("deleted", Set.of("DependencyViolation"),
                () -> ec2().deleteRouteTable(r -> r.routeTableId(current.routeTableId())));
    }
}

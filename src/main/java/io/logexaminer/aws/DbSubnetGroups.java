package io.logexaminer.aws;

import io.logexaminer.plan.Outputs;
import io.logexaminer.plan.PlanBuilder;
import io.logexaminer.plan.ProgressListener;
import io.logexaminer.plan.Resource;
import io.logexaminer.plan.ResourceSpec;
import io.logexaminer.plan.ResourceSpec.Tier;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBSubnetGroup;
import software.amazon.awssdk.services.rds.model.DbSubnetGroupNotFoundException;
import software.amazon.awssdk.services.rds.model.Tag;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** The database's subnet group: the private subnets. */
public final class DbSubnetGroups extends AwsHandler<DbSubnetGroups.Current> {

    record Current(DBSubnetGroup group, Map<String, String> tags) {
    }

    public DbSubnetGroups(AwsPlatform aws) {
        super(aws);
    }

    private RdsClient rds() {
        return aws.clients().rds();
    }

    static Map<String, String> tags(List<Tag> tags) {
        return Tags.map(tags, Tag::key, Tag::value);
    }

    static List<Tag> rdsTags(Map<String, String> tags) {
        return Tags.list(tags, (k, v) -> Tag.builder().key(k).value(v).build());
    }

    @Override
    Optional<Current> find(Resource resource, Outputs outputs) {
        String name = ((ResourceSpec.DbSubnetGroup) resource.spec()).name();
        return unlessNotFound(DbSubnetGroupNotFoundException.class,
                () -> rds().describeDBSubnetGroups(r -> r.dbSubnetGroupName(name)).dbSubnetGroups().stream().findFirst().orElse(null))
                .map(group -> new Current(group, tags(rds().listTagsForResource(r -> r.resourceName(group.dbSubnetGroupArn())).tagList())));
    }

    @Override
    Map<String, String> tagsOf(Current current) {
        return current.tags();
    }

    @Override
    String label(Resource resource, Current current) {
        return "DB subnet group " + current.group().dbSubnetGroupName();
    }

    @Override
    void record(Resource resource, Current current, Outputs outputs) {
        outputs.put(resource.id(), Keys.NAME, current.group().dbSubnetGroupName());
    }

    private List<String> subnetIds() {
        return aws.platform().network().availabilityZones().stream().map(z -> PlanBuilder.subnetId(Tier.PRIVATE, z)).toList();
    }

    @Override
    List<Drift> drifts(Resource resource, Current current, Outputs outputs, ProgressListener listener) {
        String name = current.group().dbSubnetGroupName();
        List<Drift> drifts = new ArrayList<>();
        Set<String> actual = new TreeSet<>(current.group().subnets().stream().map(s -> s.subnetIdentifier()).toList());
        Set<String> wanted = new TreeSet<>();
        subnetIds().forEach(id -> outputs.get(id, Keys.ID).ifPresent(wanted::add));
        if (wanted.size() != subnetIds().size() || !wanted.equals(actual)) {
            drifts.add(Drift.of("subnets: " + String.join(", ", subnetIds()), () -> rds().modifyDBSubnetGroup(r -> r
                    .dbSubnetGroupName(name).subnetIds(subnetIds().stream().map(id -> outputs.require(id, Keys.ID)).toList()))));
        }
        tagDrift(aws.tags(resource.id()), current.tags(), tags -> rds().addTagsToResource(r -> r
                .resourceName(current.group().dbSubnetGroupArn()).tags(rdsTags(tags)))).ifPresent(drifts::add);
        return drifts;
    }

    @Override
    Current create(Resource resource, Outputs outputs, ProgressListener listener) {
        String name = ((ResourceSpec.DbSubnetGroup) resource.spec()).name();
        Map<String, String> tags = aws.tags(resource.id());
        DBSubnetGroup created = rds().createDBSubnetGroup(r -> r.dbSubnetGroupName(name)
                .dbSubnetGroupDescription("Hive Metastore database of logexaminer platform " + aws.platform().name())
                .subnetIds(subnetIds().stream().map(id -> outputs.require(id, Keys.ID)).toList())
                .tags(rdsTags(tags))).dbSubnetGroup();
        return new Current(created, tags);
    }

    @Override
    void remove(Resource resource, Current current, Outputs outputs, ProgressListener listener) {
        waiter(resource, listener, aws.waits().other()).retrying("deleted", Set.of("InvalidDBSubnetGroupStateFault"),
                () -> rds().deleteDBSubnetGroup(r -> r.dbSubnetGroupName(current.group().dbSubnetGroupName())));
    }
}

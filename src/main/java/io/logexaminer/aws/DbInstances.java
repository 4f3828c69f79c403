package io.logexaminer.aws;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logexaminer.config.Platform;
import io.logexaminer.error.RemoteStateException;
import io.logexaminer.plan.Outputs;
import io.logexaminer.plan.PlanBuilder;
import io.logexaminer.plan.PlatformNames;
import io.logexaminer.plan.ProgressListener;
import io.logexaminer.plan.Resource;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.DbInstanceNotFoundException;
import software.amazon.awssdk.services.rds.model.ModifyDbInstanceRequest;
import software.amazon.awssdk.services.rds.model.VpcSecurityGroupMembership;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The Hive Metastore's PostgreSQL instance: private, encrypted, in the platform's subnet group behind the database
 * security group, its master password taken from the secret. Once it is available, its host and port complete the
 * secret. A tag records which secret the master password came from, so that a secret made anew (after it was lost)
 * resets the password to the new one.
 */
public final class DbInstances extends AwsHandler<DBInstance> {
    static final String PASSWORD_TAG = "logexaminer.io/password-from";
    private static final Set<String> BUSY = Set.of("creating", "modifying", "backing-up", "configuring-enhanced-monitoring",
            "configuring-iam-database-auth", "configuring-log-exports", "upgrading", "rebooting", "maintenance",
            "storage-optimization", "starting", "renaming", "resetting-master-credentials", "moving-to-vpc");

    public DbInstances(AwsPlatform aws) {
        super(aws);
    }

    private RdsClient rds() {
        return aws.clients().rds();
    }

    private SecretsManagerClient secrets() {
        return aws.clients().secretsManager();
    }

    private Platform.Database db() {
        return aws.platform().database();
    }

    private Optional<DBInstance> read() {
        return unlessNotFound(DbInstanceNotFoundException.class,
                () -> rds().describeDBInstances(r -> r.dbInstanceIdentifier(db().identifier())).dbInstances().stream().findFirst().orElse(null));
    }

    @Override
    Optional<DBInstance> find(Resource resource, Outputs outputs) {
        return read();
    }

    @Override
    Map<String, String> tagsOf(DBInstance current) {
        return DbSubnetGroups.tags(current.tagList());
    }

    @Override
    String label(Resource resource, DBInstance current) {
        return "DB instance " + current.dbInstanceIdentifier();
    }

    @Override
    void record(Resource resource, DBInstance current, Outputs outputs) {
        outputs.put(resource.id(), Keys.ARN, current.dbInstanceArn());
    }

    /** {@code 16.8} is newer than {@code 16.4}; a platform.yaml version of {@code 16} matches any 16.x. */
    static int compareVersions(String wanted, String actual) {
        String[] w = wanted.split("\\.");
        String[] a = actual.split("\\.");
        for (int i = 0; i < w.length; i++) {
            int x = Integer.parseInt(w[i]);
            int y = i < a.length ? Integer.parseInt(a[i].replaceAll("[^0-9].*", "")) : 0;
            if (x != y) {
                return Integer.compare(x, y);
            }
        }
        return 0;
    }

    @Override
    List<Drift> drifts(Resource resource, DBInstance current, Outputs outputs, ProgressListener listener) {
        Platform.Database db = db();
        String id = current.dbInstanceIdentifier();
        List<Drift> drifts = new ArrayList<>();
        String status = current.dbInstanceStatus();
        if (BUSY.contains(status)) {
            drifts.add(Drift.staged(status + ": wait until available", () -> awaitAvailable(resource, listener)));
        } else if (!"available".equals(status)) {
            drifts.add(Drift.blocked(status + ": bring it back to available (in the RDS console), then run up again"));
        }
        if (!"postgres".equals(current.engine()) || !db.username().equals(current.masterUsername())
                || !PlatformNames.dbSubnetGroupName(aws.platform()).equals(current.dbSubnetGroup().dbSubnetGroupName())) {
            drifts.add(Drift.blocked("is " + current.engine() + " with user " + current.masterUsername() + " in subnet group "
                    + current.dbSubnetGroup().dbSubnetGroupName() + ", which cannot change in place: set database back in platform.yaml, "
                    + "or give it another identifier"));
        }
        ModifyDbInstanceRequest.Builder modify = ModifyDbInstanceRequest.builder().dbInstanceIdentifier(id).applyImmediately(true);
        List<String> changes = new ArrayList<>();
        int version = compareVersions(db.engineVersion(), current.engineVersion());
        if (version < 0) {
            drifts.add(Drift.blocked("runs PostgreSQL " + current.engineVersion() + " and cannot go back to " + db.engineVersion()
                    + ": set database.engineVersion to \"" + current.engineVersion() + "\""));
        } else if (version > 0) {
            modify.engineVersion(db.engineVersion()).allowMajorVersionUpgrade(
                    !db.engineVersion().split("\\.")[0].equals(current.engineVersion().split("\\.")[0]));
            changes.add("engine version " + current.engineVersion() + " -> " + db.engineVersion());
        }
        if (!db.instanceClass().equals(current.dbInstanceClass())) {
            modify.dbInstanceClass(db.instanceClass());
            changes.add("class " + current.dbInstanceClass() + " -> " + db.instanceClass());
        }
        if (db.allocatedStorageGiB() < current.allocatedStorage()) {
            drifts.add(Drift.blocked("has " + current.allocatedStorage() + " GiB and RDS cannot shrink storage: set "
                    + "database.allocatedStorageGiB to " + current.allocatedStorage() + " or more"));
        } else if (db.allocatedStorageGiB() > current.allocatedStorage()) {
            modify.allocatedStorage(db.allocatedStorageGiB());
            changes.add("storage " + current.allocatedStorage() + " -> " + db.allocatedStorageGiB() + " GiB");
        }
        if (db.multiAz() != Boolean.TRUE.equals(current.multiAZ())) {
            modify.multiAZ(db.multiAz());
            changes.add("Multi-AZ " + db.multiAz());
        }
        if (current.backupRetentionPeriod() == null || db.backupRetentionDays() != current.backupRetentionPeriod()) {
            modify.backupRetentionPeriod(db.backupRetentionDays());
            changes.add("backup retention " + db.backupRetentionDays() + " days");
        }
        if (db.deletionProtection() != Boolean.TRUE.equals(current.deletionProtection())) {
            modify.deletionProtection(db.deletionProtection());
            changes.add("deletion protection " + db.deletionProtection());
        }
        List<String> groups = current.vpcSecurityGroups().stream().map(VpcSecurityGroupMembership::vpcSecurityGroupId).toList();
        Optional<String> group = outputs.get(PlanBuilder.DATABASE_SECURITY_GROUP, Keys.ID);
        if (group.isEmpty() || !groups.equals(List.of(group.get()))) {
            changes.add("security group " + PlanBuilder.DATABASE_SECURITY_GROUP);
            modify.vpcSecurityGroupIds(List.of(outputs.get(PlanBuilder.DATABASE_SECURITY_GROUP, Keys.ID).orElse("")));
        }
        if (!changes.isEmpty()) {
            drifts.add(Drift.of(String.join(", ", changes), () -> {
                if (changes.stream().anyMatch(c -> c.startsWith("security group"))) {
                    modify.vpcSecurityGroupIds(outputs.require(PlanBuilder.DATABASE_SECURITY_GROUP, Keys.ID));
                }
                rds().modifyDBInstance(modify.build());
                awaitAvailable(resource, listener);
            }));
        }
        Optional<String> secret = outputs.get(PlanBuilder.DATABASE_SECRET, Keys.ARN);
        Map<String, String> tags = tagsOf(current);
        if (secret.isEmpty() || !secret.get().equals(tags.get(PASSWORD_TAG))) {
            drifts.add(Drift.staged("master password: the one in " + PlanBuilder.DATABASE_SECRET, () -> {
                String arn = outputs.require(PlanBuilder.DATABASE_SECRET, Keys.ARN);
                String password = DatabaseSecrets.value(secrets(), arn).path("password").asText();
                rds().modifyDBInstance(r -> r.dbInstanceIdentifier(id).masterUserPassword(password).applyImmediately(true));
                rds().addTagsToResource(r -> r.resourceName(current.dbInstanceArn()).tags(DbSubnetGroups.rdsTags(Map.of(PASSWORD_TAG, arn))));
                awaitAvailable(resource, listener);
            }));
        } else if (current.endpoint() != null) {
            ObjectNode value = DatabaseSecrets.value(secrets(), secret.get());
            String host = current.endpoint().address();
            int port = current.endpoint().port();
            if (!host.equals(value.path("host").asText()) || port != value.path("port").asInt()) {
                drifts.add(Drift.of("secret: host and port of the database", () -> {
                    ObjectNode fresh = DatabaseSecrets.value(secrets(), secret.get());
                    fresh.put("host", host);
                    fresh.put("port", port);
                    DatabaseSecrets.putValue(secrets(), secret.get(), fresh);
                }));
            }
        }
        tagDrift(aws.tags(resource.id()), tags, missing -> rds().addTagsToResource(r -> r.resourceName(current.dbInstanceArn())
                .tags(DbSubnetGroups.rdsTags(missing)))).ifPresent(drifts::add);
        return drifts;
    }

    @Override
    DBInstance create(Resource resource, Outputs outputs, ProgressListener listener) {
        Platform.Database db = db();
        String secret = outputs.require(PlanBuilder.DATABASE_SECRET, Keys.ARN);
        String password = DatabaseSecrets.value(secrets(), secret).path("password").asText();
        Map<String, String> tags = aws.tags(resource.id());
        tags.put(PASSWORD_TAG, secret);
        rds().createDBInstance(r -> r.dbInstanceIdentifier(db.identifier()).engine("postgres").engineVersion(db.engineVersion())
                .dbInstanceClass(db.instanceClass()).allocatedStorage(db.allocatedStorageGiB()).storageType("gp3").storageEncrypted(true)
                .masterUsername(db.username()).masterUserPassword(password).dbName(db.databaseName()).port(db.port())
                .dbSubnetGroupName(outputs.require(PlanBuilder.DB_SUBNET_GROUP, Keys.NAME))
                .vpcSecurityGroupIds(outputs.require(PlanBuilder.DATABASE_SECURITY_GROUP, Keys.ID))
                .multiAZ(db.multiAz()).backupRetentionPeriod(db.backupRetentionDays()).deletionProtection(db.deletionProtection())
                .publiclyAccessible(false).copyTagsToSnapshot(true).autoMinorVersionUpgrade(true)
                .tags(DbSubnetGroups.rdsTags(tags)));
        return awaitAvailable(resource, listener);
    }

    private DBInstance awaitAvailable(Resource resource, ProgressListener listener) {
        return waiter(resource, listener, aws.waits().database()).until("available", this::read,
                DBInstance::dbInstanceStatus, "available"::equals, s -> s.equals("failed") || s.startsWith("incompatible")
                        || s.equals("deleting") || s.equals("stopped"), i -> "see the instance's events in the RDS console");
    }

    static String finalSnapshotId(String identifier, ZonedDateTime at) {
        return identifier + "-final-" + at.withZoneSameInstant(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    }

    @Override
    List<String> deletionNotes(Resource resource, DBInstance current, Outputs outputs) {
        List<String> notes = new ArrayList<>();
        if (Boolean.TRUE.equals(current.deletionProtection())) {
            notes.add("has deletion protection: down stops here (set database.deletionProtection: false and run up first)");
        }
        notes.add(aws.deletion().skipFinalSnapshot() ? "no final snapshot (--skip-final-snapshot)"
                : "a final snapshot " + current.dbInstanceIdentifier() + "-final-<time> is kept (down --skip-final-snapshot skips it)");
        return notes;
    }

    @Override
    void remove(Resource resource, DBInstance current, Outputs outputs, ProgressListener listener) {
        if (Boolean.TRUE.equals(current.deletionProtection())) {
            throw new RemoteStateException(resource.id() + ": " + current.dbInstanceIdentifier() + " has deletion protection: set "
                    + "database.deletionProtection: false, run up, then down again");
        }
        Waiter waiter = waiter(resource, listener, aws.waits().database());
        if (!"deleting".equals(current.dbInstanceStatus())) {
            String snapshot = finalSnapshotId(current.dbInstanceIdentifier(), ZonedDateTime.now());
            if (!aws.deletion().skipFinalSnapshot()) {
                listener.message(resource, "final snapshot " + snapshot);
            }
            waiter.retrying("deleted", Set.of("InvalidDBInstanceState"), () -> rds().deleteDBInstance(r -> {
                r.dbInstanceIdentifier(current.dbInstanceIdentifier());
                if (aws.deletion().skipFinalSnapshot()) {
                    r.skipFinalSnapshot(true);
                } else {
                    r.skipFinalSnapshot(false).finalDBSnapshotIdentifier(snapshot);
                }
            }));
        }
        waiter.untilGone(this::read, DBInstance::dbInstanceStatus);
    }
}

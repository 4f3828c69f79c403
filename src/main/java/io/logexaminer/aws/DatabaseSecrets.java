package io.logexaminer.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logexaminer.config.Platform;
import io.logexaminer.plan.Outputs;
import io.logexaminer.plan.ProgressListener;
import io.logexaminer.plan.Resource;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.secretsmanager.model.Tag;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Hive Metastore database secret: {@code username}, {@code password}, {@code engine}, {@code dbname}, and once
 * the database is available {@code host} and {@code port}, which {@link DbInstances} writes. The password is made
 * here, kept only in the secret, and never printed. {@code down} leaves the secret recoverable for a week unless told
 * to delete data.
 */
public final class DatabaseSecrets extends AwsHandler<DescribeSecretResponse> {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Letters, digits and URL-safe marks: none of the characters RDS refuses ({@code / @ " } and space), nothing to escape in a JDBC URL or XML. */
    private static final String PASSWORD_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~";
    private static final int PASSWORD_LENGTH = 32;
    static final int RECOVERY_DAYS = 7;
    private static final SecureRandom RANDOM = new SecureRandom();

    public DatabaseSecrets(AwsPlatform aws) {
        super(aws);
    }

    private SecretsManagerClient secrets() {
        return aws.clients().secretsManager();
    }

    private String name() {
        return aws.platform().database().secretName();
    }

    /** A new password: 32 characters from 66, about 190 bits. */
    static String newPassword() {
        StringBuilder b = new StringBuilder(PASSWORD_LENGTH);
        for (int i = 0; i < PASSWORD_LENGTH; i++) {
            b.append(PASSWORD_ALPHABET.charAt(RANDOM.nextInt(PASSWORD_ALPHABET.length())));
        }
        return b.toString();
    }

    /** The secret's JSON value, or an empty object when it holds something else. */
    static ObjectNode value(SecretsManagerClient secrets, String secretId) {
        String text = secrets.getSecretValue(r -> r.secretId(secretId)).secretString();
        try {
            return text != null && JSON.readTree(text) instanceof ObjectNode o ? o : JSON.createObjectNode();
        } catch (JsonProcessingException e) {
            return JSON.createObjectNode();
        }
    }

    static void putValue(SecretsManagerClient secrets, String secretId, ObjectNode value) {
        secrets.putSecretValue(r -> r.secretId(secretId).secretString(value.toString()));
    }

    @Override
    Optional<DescribeSecretResponse> find(Resource resource, Outputs outputs) {
        return unlessNotFound(ResourceNotFoundException.class, () -> secrets().describeSecret(r -> r.secretId(name())));
    }

    @Override
    Map<String, String> tagsOf(DescribeSecretResponse current) {
        return Tags.map(current.tags(), Tag::key, Tag::value);
    }

    @Override
    String label(Resource resource, DescribeSecretResponse current) {
        return "secret " + current.name();
    }

    @Override
    boolean gone(DescribeSecretResponse current) {
        return current.deletedDate() != null;
    }

    @Override
    void record(Resource resource, DescribeSecretResponse current, Outputs outputs) {
        outputs.put(resource.id(), Keys.ARN, current.arn());
    }

    /** The fields this handler keeps, from platform.yaml; the password and the database's address are left as they are. */
    private Map<String, String> fields() {
        Platform.Database db = aws.platform().database();
        return Map.of("username", db.username(), "engine", "postgres", "dbname", db.databaseName());
    }

    @Override
    List<Drift> drifts(Resource resource, DescribeSecretResponse current, Outputs outputs, ProgressListener listener) {
        List<Drift> drifts = new ArrayList<>();
        String arn = current.arn();
        if (current.deletedDate() != null) {
            drifts.add(Drift.staged("scheduled for deletion: restore", () -> secrets().restoreSecret(r -> r.secretId(arn))));
        } else {
            ObjectNode value = value(secrets(), arn);
            List<String> differing = fields().entrySet().stream()
                    .filter(e -> !e.getValue().equals(value.path(e.getKey()).asText(null))).map(Map.Entry::getKey).sorted().toList();
            boolean noPassword = value.path("password").asText("").isEmpty();
            if (noPassword || !differing.isEmpty()) {
                List<String> what = new ArrayList<>(differing);
                if (noPassword) {
                    what.add("password (none stored: a new one)");
                }
                drifts.add(Drift.of("value: " + String.join(", ", what), () -> {
                    ObjectNode fresh = value(secrets(), arn);
                    fields().forEach(fresh::put);
                    if (fresh.path("password").asText("").isEmpty()) {
                        fresh.put("password", newPassword());
                    }
                    putValue(secrets(), arn, fresh);
                }));
            }
        }
        tagDrift(aws.tags(resource.id()), tagsOf(current), tags -> secrets().tagResource(r -> r.secretId(arn).tags(smTags(tags))))
                .ifPresent(drifts::add);
        return drifts;
    }

    private static List<Tag> smTags(Map<String, String> tags) {
        return Tags.list(tags, (k, v) -> Tag.builder().key(k).value(v).build());
    }

    @Override
    DescribeSecretResponse create(Resource resource, Outputs outputs, ProgressListener listener) {
        ObjectNode value = JSON.createObjectNode();
        fields().forEach(value::put);
        value.put("password", newPassword());
        List<Tag> tags = smTags(aws.tags(resource.id()));
        String arn = secrets().createSecret(r -> r.name(name()).description("Hive Metastore database of logexaminer platform "
                + aws.platform().name()).secretString(value.toString()).tags(tags)).arn();
        return DescribeSecretResponse.builder().arn(arn).name(name()).tags(tags).build();
    }

    @Override
    List<String> deletionNotes(Resource resource, DescribeSecretResponse current, Outputs outputs) {
        return List.of(aws.deletion().deleteData() ? "deleted at once (--delete-data)"
                : "recoverable for " + RECOVERY_DAYS + " days, then deleted (down --delete-data deletes it at once)");
    }

    @Override
    void remove(Resource resource, DescribeSecretResponse current, Outputs outputs, ProgressListener listener) {
        if (aws.deletion().deleteData()) {
            secrets().deleteSecret(r -> r.secretId(current.arn()).forceDeleteWithoutRecovery(true));
        } else {
            secrets().deleteSecret(r -> r.secretId(current.arn()).recoveryWindowInDays((long) RECOVERY_DAYS));
        }
    }
}

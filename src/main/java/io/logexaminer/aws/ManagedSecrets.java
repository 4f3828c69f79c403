package io.logexaminer.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logexaminer.error.OperationFailedException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

import java.util.ArrayList;
import java.util.List;

/** Values kept in Secrets Manager. Messages name secrets and fields, never what they hold. */
public final class ManagedSecrets {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AwsClients clients;

    public ManagedSecrets(AwsClients clients) {
        this.clients = clients;
    }

    /** The field {@code key} of the secret's JSON object; a secret that is not a JSON object is the value itself. */
    public String field(String secretId, String key) {
        String region = clients.settings().region();
        String text;
        try {
            text = clients.secretsManager().getSecretValue(r -> r.secretId(secretId)).secretString();
        } catch (ResourceNotFoundException e) {
            throw new OperationFailedException("Secrets Manager secret " + secretId + " does not exist in " + region);
        } catch (SdkException e) {
            throw new OperationFailedException("cannot read Secrets Manager secret " + secretId + " in " + region + ": "
                    + AwsErrors.describe(e), e);
        }
        if (text == null) {
            throw new OperationFailedException("Secrets Manager secret " + secretId + " holds binary data, not text");
        }
        JsonNode document;
        try {
            document = JSON.readTree(text);
        } catch (JsonProcessingException notJson) {
            return text;
        }
        if (document == null || !document.isObject()) {
            return text;
        }
        JsonNode value = document.get(key);
        if (value == null || !value.isValueNode() || value.isNull()) {
            List<String> fields = new ArrayList<>();
            document.fieldNames().forEachRemaining(fields::add);
            throw new OperationFailedException("Secrets Manager secret " + secretId + " has no field " + key + " (it has: "
                    + String.join(", ", fields) + ")");
        }
        return value.asText();
    }
}

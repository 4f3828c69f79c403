package io.logexaminer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logexaminer.action.ClusterAccess;
import io.logexaminer.output.Output;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.util.Optional;

@Command(name = "eks-token", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Print a bearer token for an EKS cluster as a kubeconfig ExecCredential.",
                "Contexts written by 'logexaminer kubeconfig' run it for their credentials; it needs no aws CLI and makes no AWS call.",
                "Without --cluster it is the platform's cluster, read from platform.yaml."})
public final class EksTokenCommand extends PlatformCommand {
    static final String DEFAULT_API_VERSION = "client.authentication.k8s.io/v1beta1";

    @Option(names = "--cluster", paramLabel = "NAME", description = "the EKS cluster (needs --region, AWS_REGION or AWS_DEFAULT_REGION)")
    String cluster;

    @Override
    public Integer call() {
        ClusterAccess.Token token = ClusterAccess.eksToken(Optional.ofNullable(cluster), globals().region(), this::platform, awsAccess());
        ObjectNode credential = Output.object();
        credential.put("kind", "ExecCredential");
        credential.put("apiVersion", apiVersion(io().environment().get("KUBERNETES_EXEC_INFO")));
        credential.putObject("spec");
        ObjectNode status = credential.putObject("status");
        status.put("expirationTimestamp", token.expiresAt().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
        status.put("token", token.value());
        out().printJsonLine(credential);
        return ExitCodes.OK;
    }

    /** The ExecCredential version the caller asked for in {@code KUBERNETES_EXEC_INFO}, else v1beta1. */
    static String apiVersion(String execInfo) {
        if (execInfo == null || execInfo.isBlank()) {
            return DEFAULT_API_VERSION;
        }
        try {
            JsonNode info = new ObjectMapper().readTree(execInfo);
            return Optional.ofNullable(info.path("apiVersion").textValue()).filter(v -> !v.isBlank()).orElse(DEFAULT_API_VERSION);
        } catch (IOException e) {
            return DEFAULT_API_VERSION;
        }
    }
}

package io.logexaminer.action;

import io.logexaminer.aws.AwsClients;
import io.logexaminer.aws.EksAccess;
import io.logexaminer.config.Platform;
import io.logexaminer.error.UsageException;
import io.logexaminer.k8s.ClusterClient;
import io.logexaminer.k8s.KubeconfigFiles;
import io.logexaminer.k8s.KubeconfigWriter;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The way into a cluster: the platform's EKS cluster (endpoint and CA from DescribeCluster, a token signed here), or
 * any kubeconfig context the user names. Also writes the kubeconfig context for the platform's cluster.
 */
public final class ClusterAccess {
    /** The command that kubeconfig contexts written here run for their credentials. */
    public static final String TOKEN_COMMAND = "logexaminer";

    /**
     * Which cluster a command talks to: with neither a kubeconfig nor a context, the platform's EKS cluster.
     *
     * @param kubeconfig a kubeconfig file instead of {@code KUBECONFIG} / {@code ~/.kube/config}
     * @param context    a context of the kubeconfig instead of its current context
     */
    public record Choice(Optional<Path> kubeconfig, Optional<String> context) {
        public static Choice platformCluster() {
            return new Choice(Optional.empty(), Optional.empty());
        }

        public boolean usesPlatformCluster() {
            return kubeconfig.isEmpty() && context.isEmpty();
        }
    }

    /** A bearer token for an EKS cluster and when it stops being accepted. */
    public record Token(String value, Instant expiresAt) {
    }

    /** A context written into a kubeconfig file. */
    public record KubeconfigWritten(Path file, String context, String server) {
        /** What was written, in one line for the user. */
        public String summary() {
            return "wrote context " + context + " (" + server + ") to " + file + "; it is now the current context";
        }
    }

    private ClusterAccess() {
    }

    /**
     * A client for a cluster and, for the platform's EKS cluster, the AWS clients (of the platform's region) it signs
     * its tokens with, for other AWS calls while it is open: the cluster client closes them.
     */
    record Connection(ClusterClient cluster, Optional<AwsClients> aws) {
    }

    /**
     * A client for the chosen cluster. {@code platform} is read only for the platform's cluster; the environment in
     * {@code aws} also gives {@code KUBECONFIG} and {@code HOME}.
     */
    static Connection connect(Choice choice, Supplier<Platform> platform, AwsAccess aws) {
        if (!choice.usesPlatformCluster()) {
            return new Connection(ClusterClient.kubeconfig(KubeconfigFiles.find(choice.kubeconfig(), aws.environment()),
                    choice.context()), Optional.empty());
        }
        Platform p = platform.get();
        AwsClients clients = aws.clients(p.region());
        try {
            EksAccess eks = new EksAccess(clients);
            EksAccess.Cluster cluster = eks.describeCluster(p.eks().clusterName());
            return new Connection(ClusterClient.eks(cluster.name(), cluster.endpoint(), cluster.certificateAuthority(),
                    () -> eks.token(cluster.name()).value(), clients), Optional.of(clients));
        } catch (RuntimeException e) {
            clients.close();
            throw e;
        }
    }

    /**
     * A fresh EKS token for {@code cluster}, in {@code region} or else {@code AWS_REGION} / {@code AWS_DEFAULT_REGION};
     * without a cluster, for the platform's cluster in its region.
     */
    public static Token eksToken(Optional<String> cluster, Optional<String> region, Supplier<Platform> platform, AwsAccess aws) {
        if (cluster.isEmpty()) {
            Platform p = platform.get();
            return eksToken(p.eks().clusterName(), p.region(), aws);
        }
        Map<String, String> env = aws.environment();
        String chosen = region
                .or(() -> Stream.of(env.get("AWS_REGION"), env.get("AWS_DEFAULT_REGION")).filter(r -> r != null && !r.isBlank()).findFirst())
                .orElseThrow(() -> new UsageException("--cluster needs a region: --region, AWS_REGION or AWS_DEFAULT_REGION"));
        return eksToken(cluster.get(), chosen, aws);
    }

    /** A fresh EKS token for {@code clusterName}, signed with the user's AWS credentials; no AWS call is made. */
    private static Token eksToken(String clusterName, String region, AwsAccess aws) {
        try (AwsClients clients = aws.clients(region)) {
            EksAccess.Token token = new EksAccess(clients).token(clusterName);
            return new Token(token.value(), token.expiresAt());
        }
    }

    /**
     * Writes (or replaces) a context for the platform's EKS cluster into {@code file} (default: the first
     * {@code KUBECONFIG} file, or {@code ~/.kube/config}) and makes it current; its user runs
     * {@code logexaminer eks-token}.
     */
    public static KubeconfigWritten writeKubeconfig(Platform platform, AwsAccess aws, Optional<Path> file, Optional<String> alias) {
        try (AwsClients clients = aws.clients(platform.region())) {
            return writeKubeconfig(platform, aws, clients, file, alias);
        }
    }

    /**
     * As {@link #writeKubeconfig(Platform, AwsAccess, Optional, Optional)}, on the caller's clients for the platform's
     * region: {@code up} calls this with its own once the cluster is ready.
     */
    static KubeconfigWritten writeKubeconfig(Platform platform, AwsAccess aws, AwsClients clients, Optional<Path> file,
                                             Optional<String> alias) {
        EksAccess.Cluster cluster = new EksAccess(clients).describeCluster(platform.eks().clusterName());
        String name = alias.orElse(cluster.name());
        List<String> args = new ArrayList<>(List.of("eks-token", "--cluster", cluster.name(), "--region", cluster.region()));
        aws.profile().ifPresent(profile -> {
            args.add("--profile");
            args.add(profile);
        });
        Path target = KubeconfigFiles.find(file, aws.environment()).primary();
        KubeconfigWriter.merge(target, new KubeconfigWriter.ExecContext(name, cluster.endpoint(), cluster.certificateAuthority(),
                TOKEN_COMMAND, args));
        return new KubeconfigWritten(target, name, cluster.endpoint());
    }
}

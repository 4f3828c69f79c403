package io.logexaminer.cli;

import io.logexaminer.action.ClusterAccess;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code --kubeconfig FILE} and {@code --context NAME}, shared by every command that talks to the cluster
 * ({@code @Mixin ClusterOptions cluster;}). With neither, the command uses the platform's EKS cluster.
 */
public final class ClusterOptions {

    @Option(names = "--kubeconfig", paramLabel = "FILE", order = 20,
            description = "use a cluster of this kubeconfig instead of the platform's EKS cluster")
    Path kubeconfig;

    @Option(names = "--context", paramLabel = "NAME", order = 21,
            description = "use this kubeconfig context (of --kubeconfig, KUBECONFIG or ~/.kube/config) instead of the platform's EKS cluster")
    String context;

    public ClusterAccess.Choice choice() {
        return new ClusterAccess.Choice(Optional.ofNullable(kubeconfig), Optional.ofNullable(context));
    }
}

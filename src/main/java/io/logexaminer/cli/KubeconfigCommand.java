package io.logexaminer.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logexaminer.action.ClusterAccess;
import io.logexaminer.output.Output;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Optional;

@Command(name = "kubeconfig", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Write a kubeconfig context for the platform's EKS cluster and make it the current context.",
                "Its endpoint and CA come from DescribeCluster; its credentials from 'logexaminer eks-token', so kubectl needs no aws CLI.",
                "Other contexts in the file are kept; a context of the same name is replaced."})
public final class KubeconfigCommand extends PlatformCommand {

    @Option(names = "--kubeconfig", paramLabel = "FILE",
            description = "the file to write (default: the first file of KUBECONFIG, else ~/.kube/config)")
    Path file;

    @Option(names = "--alias", paramLabel = "NAME", description = "the context's name (default: the cluster's name)")
    String alias;

    @Override
    public Integer call() {
        ClusterAccess.KubeconfigWritten written = ClusterAccess.writeKubeconfig(platform(), awsAccess(), Optional.ofNullable(file),
                Optional.ofNullable(alias));
        if (out().json()) {
            ObjectNode doc = Output.object();
            doc.put("file", written.file().toString());
            doc.put("context", written.context());
            doc.put("server", written.server());
            out().printJson(doc);
        } else {
            out().info(written.summary());
        }
        return ExitCodes.OK;
    }
}

package io.logexaminer.aws;

import io.logexaminer.config.Platform;
import io.logexaminer.config.PlatformLoader;
import io.logexaminer.plan.PlanBuilder;
import io.logexaminer.plan.ProgressListener;
import io.logexaminer.plan.Resource;
import io.logexaminer.plan.ResourceGraph;
import io.logexaminer.testing.AwsProxy;
import io.logexaminer.testing.MotoServer;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** One handler at a time against moto behind the proxy, with waits short enough for tests. */
final class AwsHandlerFixture implements AutoCloseable {
    static final Waits QUICK = Waits.uniform(Duration.ofMillis(20), Duration.ofSeconds(5));

    final AwsProxy proxy;
    final AwsClients clients;
    final Platform platform;
    final AwsPlatform aws;
    final ResourceGraph graph;
    final List<String> messages = new CopyOnWriteArrayList<>();
    final ProgressListener listener = new ProgressListener() {
        @Override
        public void message(Resource resource, String message) {
            messages.add(resource.id() + ": " + message);
        }
    };

    AwsHandlerFixture(MotoServer moto, String yaml, Waits waits) {
        proxy = new AwsProxy(moto.endpoint());
        clients = new AwsClients(new AwsSettings("eu-west-1", Optional.empty(), proxy.environment(moto.environment())));
        platform = PlatformLoader.parse("platform.yaml", yaml, Optional.empty()).platform();
        aws = new AwsPlatform(clients, platform, new CallerIdentity(MotoServer.ACCOUNT, "arn:aws:iam::" + MotoServer.ACCOUNT + ":user/test"),
                waits, AwsPlatform.Deletion.KEEP_DATA);
        graph = PlanBuilder.build(platform);
    }

    Resource resource(String id) {
        return graph.require(id);
    }

    /** A cluster made directly in moto, as if an earlier run had made it. */
    String createCluster() {
        return clients.eks().createCluster(r -> r.name(platform.eks().clusterName()).version(platform.eks().version())
                .roleArn("arn:aws:iam::" + MotoServer.ACCOUNT + ":role/demo-eu-west-1-eks-cluster")
                .resourcesVpcConfig(v -> v.subnetIds("subnet-a", "subnet-b").endpointPublicAccess(true).endpointPrivateAccess(true)
                        .publicAccessCidrs("0.0.0.0/0"))
                .tags(aws.tags(PlanBuilder.CLUSTER))).cluster().arn();
    }

    @Override
    public void close() {
        clients.close();
        proxy.close();
    }
}

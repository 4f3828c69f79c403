package io.logexaminer.aws;

import io.logexaminer.config.Platform;
import io.logexaminer.plan.Outputs;
import io.logexaminer.plan.PlanBuilder;
import io.logexaminer.plan.ProgressListener;
import io.logexaminer.plan.Resource;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.OpenIDConnectProviderListEntry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The IAM OIDC provider for the cluster's issuer, which IRSA roles trust, with the audience {@code sts.amazonaws.com}. */
public final class OidcProviders extends AwsHandler<OidcProviders.Current> {

    record Current(String arn, String url, List<String> clientIds, Map<String, String> tags) {
    }

    public OidcProviders(AwsPlatform aws) {
        super(aws);
    }

    private IamClient iam() {
        return aws.clients().iam();
    }

    static String host(String issuer) {
        return issuer.replaceFirst("^https://", "");
    }

    private Optional<Current> read(String arn) {
        return unlessNotFound(NoSuchEntityException.class, () -> iam().getOpenIDConnectProvider(g -> g.openIDConnectProviderArn(arn)))
                .map(r -> new Current(arn, host(r.url()), r.clientIDList(), IamRoles.tags(r.tags())));
    }

    /**
     * The provider of the cluster's issuer when the cluster exists; otherwise the one carrying this resource's tags,
     * which is how {@code down} finds a provider whose cluster is already gone.
     */
    @Override
    Optional<Current> find(Resource resource, Outputs outputs) {
        Optional<String> issuer = outputs.get(PlanBuilder.CLUSTER, Keys.ISSUER);
        if (issuer.isPresent()) {
            return read("arn:" + aws.partition() + ":iam::" + aws.account() + ":oidc-provider/" + host(issuer.get()));
        }
        for (OpenIDConnectProviderListEntry entry : iam().listOpenIDConnectProviders(r -> { }).openIDConnectProviderList()) {
            Map<String, String> tags = IamRoles.tags(iam().listOpenIDConnectProviderTags(r -> r.openIDConnectProviderArn(entry.arn())).tags());
            if (aws.owns(tags) && resource.id().equals(tags.get(Platform.LOGICAL_ID_TAG))) {
                return read(entry.arn());
            }
        }
        return Optional.empty();
    }

    @Override
    Map<String, String> tagsOf(Current current) {
        return current.tags();
    }

    @Override
    String label(Resource resource, Current current) {
        return "OIDC provider " + current.url();
    }

    @Override
    void record(Resource resource, Current current, Outputs outputs) {
        outputs.put(resource.id(), Keys.ARN, current.arn());
        outputs.put(resource.id(), Keys.ISSUER_HOST, current.url());
    }

    @Override
    List<Drift> drifts(Resource resource, Current current, Outputs outputs, ProgressListener listener) {
        List<Drift> drifts = new ArrayList<>();
        if (!current.clientIds().contains(Policies.IRSA_AUDIENCE)) {
            drifts.add(Drift.of("audience " + Policies.IRSA_AUDIENCE + ": add", () -> iam().addClientIDToOpenIDConnectProvider(r -> r
                    .openIDConnectProviderArn(current.arn()).clientID(Policies.IRSA_AUDIENCE))));
        }
        tagDrift(aws.tags(resource.id()), current.tags(), tags -> iam().tagOpenIDConnectProvider(r -> r
                .openIDConnectProviderArn(current.arn()).tags(IamRoles.iamTags(tags)))).ifPresent(drifts::add);
        return drifts;
    }

    @Override
    Current create(Resource resource, Outputs outputs, ProgressListener listener) {
        String issuer = outputs.require(PlanBuilder.CLUSTER, Keys.ISSUER);
        Map<String, String> tags = aws.tags(resource.id());
        String arn = iam().createOpenIDConnectProvider(r -> r.url(issuer).clientIDList(Policies.IRSA_AUDIENCE)
                .tags(IamRoles.iamTags(tags))).openIDConnectProviderArn();
        return new Current(arn, host(issuer), List.of(Policies.IRSA_AUDIENCE), tags);
    }

    @Override
    void remove(Resource resource, Current current, Outputs outputs, ProgressListener listener) {
        iam().deleteOpenIDConnectProvider(r -> r.openIDConnectProviderArn(current.arn()));
    }
}

package io.logexaminer.aws;

import com.fasterxml.jackson.databind.JsonNode;
import io.logexaminer.plan.Outputs;
import io.logexaminer.plan.PlanBuilder;
import io.logexaminer.plan.PlatformNames;
import io.logexaminer.plan.ProgressListener;
import io.logexaminer.plan.Resource;
import io.logexaminer.plan.ResourceSpec.IamRole;
import io.logexaminer.plan.ResourceSpec.RoleKind;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AttachedPolicy;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.Role;
import software.amazon.awssdk.services.iam.model.Tag;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * An IAM role: its trust policy, its AWS-managed policies and its inline policy. IRSA roles trust only their service
 * account ({@code system:serviceaccount:NS:SA}) with the audience {@code sts.amazonaws.com}, through the cluster's
 * OIDC provider.
 */
public final class IamRoles extends AwsHandler<IamRoles.Current> {

    record Current(Role role, Map<String, String> tags, Set<String> managed, Map<String, JsonNode> inline) {
    }

    public IamRoles(AwsPlatform aws) {
        super(aws);
    }

    private IamClient iam() {
        return aws.clients().iam();
    }

    /** The role's name: from its spec, or for a role platform.yaml no longer has, from its logical id's last part. */
    String name(Resource resource) {
        if (resource.spec() instanceof IamRole role) {
            return role.roleName();
        }
        return PlatformNames.roleName(aws.platform(), resource.id().substring(resource.id().lastIndexOf('/') + 1));
    }

    @Override
    Optional<Current> find(Resource resource, Outputs outputs) {
        String name = name(resource);
        Optional<Role> found = unlessNotFound(NoSuchEntityException.class, () -> iam().getRole(r -> r.roleName(name)).role());
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Role role = found.get();
        Map<String, String> tags = tags(role.hasTags() ? role.tags() : iam().listRoleTags(r -> r.roleName(name)).tags());
        if (!aws.owns(tags)) {
            return Optional.of(new Current(role, tags, Set.of(), Map.of()));
        }
        Set<String> managed = new TreeSet<>();
        iam().listAttachedRolePoliciesPaginator(r -> r.roleName(name)).attachedPolicies().forEach(p -> managed.add(p.policyArn()));
        Map<String, JsonNode> inline = new LinkedHashMap<>();
        for (String policy : iam().listRolePoliciesPaginator(r -> r.roleName(name)).policyNames()) {
            inline.put(policy, Policies.parse(iam().getRolePolicy(r -> r.roleName(name).policyName(policy)).policyDocument()));
        }
        return Optional.of(new Current(role, tags, managed, inline));
    }

    static Map<String, String> tags(List<Tag> tags) {
        return Tags.map(tags, Tag::key, Tag::value);
    }

    @Override
    Map<String, String> tagsOf(Current current) {
        return current.tags();
    }

    @Override
    String label(Resource resource, Current current) {
        return "IAM role " + current.role().roleName();
    }

    @Override
    void record(Resource resource, Current current, Outputs outputs) {
        outputs.put(resource.id(), Keys.ARN, current.role().arn());
    }

    /** The trust policy, or empty while the OIDC provider an IRSA role trusts is not created yet. */
    private Optional<JsonNode> trust(IamRole role, Outputs outputs) {
        if (role.kind() != RoleKind.SERVICE_ACCOUNT) {
            return Optional.of(Policies.trust(role, null, null));
        }
        Optional<String> provider = outputs.get(PlanBuilder.OIDC_PROVIDER, Keys.ARN);
        Optional<String> issuer = outputs.get(PlanBuilder.OIDC_PROVIDER, Keys.ISSUER_HOST);
        if (provider.isEmpty() || issuer.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(Policies.trust(role, provider.get(), issuer.get()));
    }

    private Optional<JsonNode> inline(IamRole role, Outputs outputs) {
        return Policies.inline(role, aws, outputs.get(PlanBuilder.DATABASE_SECRET, Keys.ARN));
    }

    @Override
    List<Drift> drifts(Resource resource, Current current, Outputs outputs, ProgressListener listener) {
        IamRole role = (IamRole) resource.spec();
        String name = role.roleName();
        List<Drift> drifts = new ArrayList<>();
        Optional<JsonNode> trust = trust(role, outputs);
        if (trust.isEmpty() || !trust.get().equals(Policies.parse(current.role().assumeRolePolicyDocument()))) {
            drifts.add(Drift.of("trust policy" + (trust.isEmpty() ? ": the cluster's OIDC provider (being created)" : ""),
                    () -> iam().updateAssumeRolePolicy(r -> r.roleName(name)
                            .policyDocument(Policies.text(trust(role, outputs).orElseThrow())))));
        }
        List<String> managed = Policies.managed(role, aws.partition());
        for (String arn : managed) {
            if (!current.managed().contains(arn)) {
                drifts.add(Drift.of("attach " + arn, () -> iam().attachRolePolicy(r -> r.roleName(name).policyArn(arn))));
            }
        }
        for (String arn : current.managed()) {
            if (!managed.contains(arn)) {
                drifts.add(Drift.of("detach " + arn, () -> iam().detachRolePolicy(r -> r.roleName(name).policyArn(arn))));
            }
        }
        if (Policies.hasInline(role)) {
            Optional<JsonNode> wanted = inline(role, outputs);
            JsonNode actual = current.inline().get(Policies.INLINE_POLICY);
            if (wanted.isEmpty() || !wanted.get().equals(actual)) {
                drifts.add(Drift.of("inline policy " + Policies.INLINE_POLICY + (wanted.isEmpty() ? ": the secret's ARN (being created)" : ""),
                        () -> iam().putRolePolicy(r -> r.roleName(name).policyName(Policies.INLINE_POLICY)
                                .policyDocument(Policies.text(inline(role, outputs).orElseThrow())))));
            }
        }
        for (String policy : current.inline().keySet()) {
            if (!Policies.hasInline(role) || !policy.equals(Policies.INLINE_POLICY)) {
                drifts.add(Drift.of("delete inline policy " + policy, () -> iam().deleteRolePolicy(r -> r.roleName(name).policyName(policy))));
            }
        }
        tagDrift(aws.tags(resource.id()), current.tags(), tags -> iam().tagRole(r -> r.roleName(name).tags(iamTags(tags))))
                .ifPresent(drifts::add);
        return drifts;
    }

    static List<Tag> iamTags(Map<String, String> tags) {
        return Tags.list(tags, (k, v) -> Tag.builder().key(k).value(v).build());
    }

    @Override
    Current create(Resource resource, Outputs outputs, ProgressListener listener) {
        IamRole role = (IamRole) resource.spec();
        JsonNode trust = trust(role, outputs).orElseThrow(() -> new IllegalStateException(
                resource.id() + ": the OIDC provider it trusts is not created yet"));
        Map<String, String> tags = aws.tags(resource.id());
        Role created = iam().createRole(r -> r.roleName(role.roleName()).assumeRolePolicyDocument(Policies.text(trust))
                .description("logexaminer " + aws.platform().name() + ": " + role.purpose())
                .tags(iamTags(tags))).role();
        return new Current(created.toBuilder().assumeRolePolicyDocument(Policies.text(trust)).build(), tags, Set.of(), Map.of());
    }

    @Override
    void remove(Resource resource, Current current, Outputs outputs, ProgressListener listener) {
        String name = current.role().roleName();
        for (AttachedPolicy p : iam().listAttachedRolePoliciesPaginator(r -> r.roleName(name)).attachedPolicies()) {
            iam().detachRolePolicy(r -> r.roleName(name).policyArn(p.policyArn()));
        }
        for (String policy : iam().listRolePoliciesPaginator(r -> r.roleName(name)).policyNames()) {
            iam().deleteRolePolicy(r -> r.roleName(name).policyName(policy));
        }
        iam().deleteRole(r -> r.roleName(name));
    }
}

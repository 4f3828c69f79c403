package io.logexaminer.aws;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

import java.util.Locale;
import java.util.Optional;

/**
 * Remembers, per thread, the IAM action of the last AWS call started, such as {@code ec2:CreateVpc}, so that an error
 * can name the action that was refused. SDK calls run on the calling thread, so the last one is the one that failed.
 */
final class OperationNames implements ExecutionInterceptor {
    static final OperationNames INSTANCE = new OperationNames();
    private static final ThreadLocal<String> LAST = new ThreadLocal<>();

    private OperationNames() {
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        LAST.set(iamPrefix(service) + ":" + operation);
    }

    /** The IAM action of the last call this thread started. */
    static Optional<String> last() {
        return Optional.ofNullable(LAST.get());
    }

    /** The SDK's service name as IAM actions spell it: {@code Ec2} is {@code ec2}, {@code ElasticLoadBalancingV2} is {@code elasticloadbalancing}. */
    static String iamPrefix(String serviceName) {
        String lower = serviceName == null ? "aws" : serviceName.toLowerCase(Locale.ROOT);
        return lower.endsWith("v2") ? lower.substring(0, lower.length() - 2) : lower;
    }
}

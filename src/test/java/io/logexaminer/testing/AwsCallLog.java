package io.logexaminer.testing;

import software.amazon.awssdk.awscore.AwsServiceClientConfiguration;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.core.interceptor.SdkInternalExecutionAttribute;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * Counts every AWS SDK call made in the test JVM by operation ({@code Ec2:CreateVpc}), registered for all SDK clients
 * through the SDK's global interceptor file in the test resources. A call is mutating unless its name says it reads.
 * It also tells apart the sets of clients the calls came from: an {@code AwsClients} gives each client it builds its
 * one credentials provider, so there is one provider per set.
 */
public final class AwsCallLog implements ExecutionInterceptor {
    private static final List<String> READS = List.of("Describe", "Get", "List", "Head", "Lookup");
    private static final Map<String, AtomicInteger> CALLS = new ConcurrentHashMap<>();
    private static final AtomicInteger MUTATING = new AtomicInteger();
    private static final Set<Object> CREDENTIALS = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));
    private static volatile IntConsumer onMutating = n -> { };

    /** Forgets every call counted so far. */
    public static void reset() {
        CALLS.clear();
        MUTATING.set(0);
        CREDENTIALS.clear();
        onMutating = n -> { };
    }

    /** Calls per operation since the last reset. */
    public static Map<String, Integer> calls() {
        Map<String, Integer> out = new TreeMap<>();
        CALLS.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    public static int total() {
        return CALLS.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    /** How many sets of clients (credentials providers) made calls since the last reset. */
    public static int clientSets() {
        return CREDENTIALS.size();
    }

    /** The mutating calls per operation since the last reset. */
    public static Map<String, Integer> mutating() {
        Map<String, Integer> out = new TreeMap<>();
        calls().forEach((k, v) -> {
            if (isMutating(k)) {
                out.put(k, v);
            }
        });
        return out;
    }

    /** Runs {@code listener} with the running count after each mutating call completes. */
    public static void onMutating(IntConsumer listener) {
        onMutating = listener;
    }

    static boolean isMutating(String call) {
        String operation = call.substring(call.indexOf(':') + 1);
        return READS.stream().noneMatch(operation::startsWith);
    }

    private static String name(ExecutionAttributes attributes) {
        return attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME) + ":" + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        CALLS.computeIfAbsent(name(attributes), k -> new AtomicInteger()).incrementAndGet();
        SdkClient client = attributes.getAttribute(SdkInternalExecutionAttribute.SDK_CLIENT);
        if (client != null && client.serviceClientConfiguration() instanceof AwsServiceClientConfiguration aws) {
            CREDENTIALS.add(aws.credentialsProvider());
        }
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        String name = name(attributes);
        if (isMutating(name)) {
            onMutating.accept(MUTATING.incrementAndGet());
        }
    }
}

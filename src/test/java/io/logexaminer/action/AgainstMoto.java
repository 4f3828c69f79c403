package io.logexaminer.action;

import io.logexaminer.aws.AwsClients;
import io.logexaminer.testing.AwsCallLog;
import io.logexaminer.testing.AwsProxy;
import io.logexaminer.testing.MotoServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;

/**
 * Tests of {@code up} and {@code down} against moto server, emptied before each test, behind the test proxy (which
 * also answers the EKS add-on calls moto lacks). {@code env} points the CLI at the proxy; {@code aws} looks at moto
 * directly.
 */
abstract class AgainstMoto {
    @RegisterExtension
    static final MotoServer moto = new MotoServer();

    protected AwsProxy proxy;
    protected Map<String, String> env;
    protected AwsClients aws;

    @BeforeEach
    void startProxy() throws Exception {
        moto.reset();
        proxy = new AwsProxy(moto.endpoint());
        env = proxy.environment(moto.environment());
        aws = Fixtures.clients(moto);
        AwsCallLog.reset();
    }

    @AfterEach
    void stopProxy() {
        AwsCallLog.reset();
        aws.close();
        proxy.close();
    }
}

package io.logexaminer.aws;

import io.logexaminer.testing.MotoServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Tests of single handlers against moto server, emptied before each test, through an {@link AwsHandlerFixture}. */
abstract class AgainstMotoHandlers {
    @RegisterExtension
    static final MotoServer moto = new MotoServer();

    protected AwsHandlerFixture f;

    /** The platform the handlers work for. */
    String platformYaml() {
        return "name: demo\nregion: eu-west-1\n";
    }

    @BeforeEach
    void startFixture() throws Exception {
        moto.reset();
        f = new AwsHandlerFixture(moto, platformYaml(), AwsHandlerFixture.QUICK);
    }

    @AfterEach
    void stopFixture() {
        f.close();
    }
}

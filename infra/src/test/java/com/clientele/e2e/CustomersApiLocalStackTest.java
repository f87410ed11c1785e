package com.clientele.e2e;

import com.clientele.local.LocalCloud;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The same contract with LocalStack's DynamoDB and SQS behind the local API front. Runs where a
 * Docker engine is present; skipped (not failed) where there is none. The image is pinned: newer
 * LocalStack tags need an auth token.
 */
@Testcontainers(disabledWithoutDocker = true)
class CustomersApiLocalStackTest extends CustomersApiContract {

    @Container
    static final LocalStackContainer LOCALSTACK = new LocalStackContainer(DockerImageName.parse("localstack/localstack:4.14"))
            .withServices("dynamodb", "sqs");

    private static LocalCloud cloud;

    @BeforeAll
    static void start() throws Exception {
        cloud = LocalCloud.start(LocalCloud.Options.inMemory(TestCloud.template())
                .withExternal(LOCALSTACK.getEndpoint(), LOCALSTACK.getEndpoint()));
    }

    @AfterAll
    static void stop() throws Exception {
        if (cloud != null) {
            cloud.close();
        }
    }

    @Override
    protected LocalCloud cloud() {
        return cloud;
    }
}

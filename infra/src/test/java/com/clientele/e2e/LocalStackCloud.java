package com.clientele.e2e;

import com.clientele.local.LocalCloud;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * One LocalStack container per test JVM (DynamoDB, SQS and S3), with the local API front over it,
 * shared by every suite that runs against LocalStack. The image is pinned: newer LocalStack tags
 * need an auth token. Only started by suites that run, i.e. where a Docker engine is present.
 */
final class LocalStackCloud {

    private static LocalCloud cloud;

    private LocalStackCloud() {
    }

    static synchronized LocalCloud get() {
        if (cloud == null) {
            var localstack = new LocalStackContainer(DockerImageName.parse("localstack/localstack:4.14"))
                    .withServices("dynamodb", "sqs", "s3");
            localstack.start();
            try {
                cloud = LocalCloud.start(LocalCloud.Options.inMemory(TestCloud.tappedTemplate())
                        .withExternal(localstack.getEndpoint(), localstack.getEndpoint(), localstack.getEndpoint()));
            } catch (Exception e) {
                localstack.stop();
                throw new IllegalStateException("the local cloud did not start on LocalStack", e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    cloud.close();
                } catch (Exception ignored) {
                    // JVM exit
                }
                localstack.stop();
            }));
        }
        return cloud;
    }
}

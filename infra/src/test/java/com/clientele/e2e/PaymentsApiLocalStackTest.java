package com.clientele.e2e;

import com.clientele.local.LocalCloud;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * The payments contract with LocalStack's DynamoDB and SQS behind the local API front. Runs where
 * a Docker engine is present; skipped (not failed) where there is none.
 */
@Testcontainers(disabledWithoutDocker = true)
class PaymentsApiLocalStackTest extends PaymentsApiContract {

    @Override
    protected LocalCloud cloud() {
        return LocalStackCloud.get();
    }
}

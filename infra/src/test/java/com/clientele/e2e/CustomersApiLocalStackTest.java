package com.clientele.e2e;

import com.clientele.local.LocalCloud;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * The customers contract with LocalStack's DynamoDB and SQS behind the local API front. Runs where
 * a Docker engine is present; skipped (not failed) where there is none.
 */
@Testcontainers(disabledWithoutDocker = true)
class CustomersApiLocalStackTest extends CustomersApiContract {

    @Override
    protected LocalCloud cloud() {
        return LocalStackCloud.get();
    }
}

package com.clientele.shared.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.clientele.shared.Json;
import org.junit.jupiter.api.Test;

class JobStatusTest {

    @Test
    void isWrittenAndReadInLowerCaseAsTheTableAndTheApiHoldIt() throws Exception {
        for (var status : JobStatus.values()) {
            String json = Json.MAPPER.writeValueAsString(status);
            assertThat(json).isEqualTo("\"" + status.name().toLowerCase() + "\"");
            assertThat(Json.MAPPER.readValue(json, JobStatus.class)).isSameAs(status);
        }
        assertThat(JobStatus.of("running")).isEqualTo(JobStatus.RUNNING);
    }

    @Test
    void onlySucceededAndFailedAreFinished() {
        assertThat(JobStatus.values()).filteredOn(JobStatus::finished).containsExactly(JobStatus.SUCCEEDED, JobStatus.FAILED);
    }
}

package com.clientele.exports;

import com.clientele.analytics.TenantCounters;
import com.clientele.customers.CustomersWiring;
import com.clientele.shared.Components;
import com.clientele.shared.events.Sqs;
import com.clientele.shared.jobs.JobMetrics;
import com.clientele.shared.jobs.StepRunner;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** How the exports capability's parts are built from a function's {@link Components}, each once. */
public final class ExportsWiring {

    private ExportsWiring() {
    }

    static ExportRepository repository(Components components) {
        return components.once(ExportRepository.class, () -> new ExportRepository(components.dynamoDb(), components.table()));
    }

    static ExportFiles files(Components components) {
        return components.once(ExportFiles.class, () -> new S3ExportFiles(
                components.once(S3Client.class, () -> S3ExportFiles.client(components.env())),
                components.once(S3Presigner.class, () -> S3ExportFiles.presigner(components.env())),
                components.env().require("EXPORT_BUCKET")));
    }

    static ExportQueue queue(Components components) {
        return components.once(ExportQueue.class,
                () -> new ExportQueue(Sqs.client(components), components.env().require("EXPORT_QUEUE_URL")));
    }

    /** The purge of a tenant's export files, which an erasure runs. */
    public static ExportPurge purge(Components components) {
        return components.once(ExportPurge.class, () -> new ExportPurge(repository(components), files(components), components.clock()));
    }

    static ExportService service(Components components) {
        return components.once(ExportService.class, () -> new ExportService(repository(components), files(components),
                queue(components), components.cursors(), components.clock(), components.env().find("MAX_ACTIVE_EXPORTS")
                        .map(Integer::parseInt).orElse(ExportService.DEFAULT_MAX_ACTIVE)));
    }

    static StepRunner<ExportMessage> runner(Components components) {
        var env = components.env();
        var customers = CustomersWiring.service(components);
        var metrics = new JobMetrics(components.metrics(), JobMetrics.EXPORT);
        var export = new ExportRunner(repository(components), files(components), customers::customers,
                new TenantCounters(components.dynamoDb(), components.table())::read, components.clock(),
                Integer.parseInt(env.get("EXPORT_PART_BYTES", Integer.toString(ExportWorkerHandler.DEFAULT_PART_BYTES))),
                Integer.parseInt(env.get("EXPORT_PAGE_SIZE", "500")), metrics);
        return new StepRunner<>(ExportMessage.class, export, queue(components),
                StepRunner.Settings.from(env, "EXPORT", ExportWorkerHandler.DEFAULT_BUDGET_MILLIS, ExportWorkerHandler.RESERVE_MILLIS),
                metrics);
    }
}

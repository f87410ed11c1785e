package com.clientele.web;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.clientele.e2e.Api;
import com.clientele.e2e.TestCloud;
import com.clientele.local.LocalCloud;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * How fast the customers page of a tenant with 10,000 customers shows its table, in headless
 * Chromium against the local cloud: from the navigation's start (a full page load: the app's
 * modules, its configuration, the API's first page of 50) to the table on screen, as the page
 * marks it. Not part of the suite; run it with
 * {@code mvn -pl infra -am verify -Dlambda.skip -Dtest=CustomersPageBenchmark -Dsurefire.failIfNoSpecifiedTests=false -Dbenchmark=true}
 * ({@code -Dbenchmark.customers=N} for another size).
 */
class CustomersPageBenchmark {

    @Test
    void customersPageOfTenThousand() throws Exception {
        assumeTrue(Boolean.getBoolean("benchmark"), "a benchmark: run it with -Dbenchmark=true");
        int customers = Integer.getInteger("benchmark.customers", 10_000);
        LocalCloud cloud = TestCloud.embedded();
        String tenant = "bench" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        var api = new Api(cloud.apiUrl(), cloud.token(tenant, "alice"));
        long seeding = System.nanoTime();
        var made = new AtomicInteger();
        try (var pool = Executors.newFixedThreadPool(8)) {
            for (int i = 0; i < customers; i++) {
                int n = i;
                pool.submit(() -> {
                    var reply = api.post("/customers", """
                            {"firstName": "Bench", "lastName": "Customer %d", "email": "bench%d@example.com", "phone": "+1415555%04d"}"""
                            .formatted(n, n, n % 10_000));
                    if (reply.status() == 201) {
                        made.incrementAndGet();
                    }
                });
            }
        }
        System.out.printf("[bench] seeded %d customers in %.1f s%n", made.get(), (System.nanoTime() - seeding) / 1e9);

        List<Double> api50 = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            long start = System.nanoTime();
            api.get("/customers?limit=50");
            api50.add((System.nanoTime() - start) / 1e6);
        }
        Collections.sort(api50);
        System.out.printf("[bench] GET /customers?limit=50: median %.0f ms, max %.0f ms%n", api50.get(api50.size() / 2), api50.get(api50.size() - 1));
        try (var browser = Browser.open(cloud.apiUrl().toString())) {
            browser.signIn(tenant, "alice", "admin").go("#/customers");
            try {
                browser.waiting(Duration.ofSeconds(60)).until(d -> !d.findElements(By.cssSelector(".customers-table tbody tr[data-customer-id]")).isEmpty());
            } finally {
                browser.screenshot("customers-10k");
            }
            List<Double> shown = new ArrayList<>();
            for (int i = 0; i < 11; i++) {
                browser.driver().navigate().refresh();
                browser.waiting(Duration.ofSeconds(30)).until(d -> browser.script(
                        "return performance.getEntriesByName('clientele:customers-table').length") instanceof Number n && n.intValue() > 0);
                double ms = ((Number) browser.script("return performance.getEntriesByName('clientele:customers-table')[0].startTime")).doubleValue();
                int rows = browser.driver().findElements(By.cssSelector(".customers-table tbody tr[data-customer-id]")).size();
                if (i > 0) {
                    shown.add(ms);
                }
                System.out.printf("[bench] load %d: table of %d rows shown %.0f ms after navigation%n", i, rows, ms);
            }
            Collections.sort(shown);
            System.out.printf("[bench] customers page, %d customers: table shown in median %.0f ms, max %.0f ms (10 loads after the first)%n",
                    made.get(), shown.get(shown.size() / 2), shown.get(shown.size() - 1));
        }
    }
}

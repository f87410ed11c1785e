package com.clientele.bench;

import com.clientele.customers.CustomerItems;
import com.clientele.customers.CustomersHandler;
import com.clientele.local.LocalCloud;
import com.clientele.local.LocalContext;
import com.clientele.payments.PaymentItems;
import com.clientele.payments.PaymentsHandler;
import com.clientele.shared.Keys;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.function.ToDoubleFunction;
import java.util.zip.ZipFile;

/**
 * Cold start of the customers or the payments function, against the least any Java function
 * reading DynamoDB must do. Starts DynamoDB Local (through an in-memory {@link LocalCloud}), seeds
 * what the request reads, then spawns fresh JVMs, in pairs and alternating which goes first,
 * running {@link ColdStartProbe} on the function's own jar (its CodeUri), unpacked at start into a
 * folder as Lambda unpacks a deployment package into {@code /var/task}, plus the probe's classes:
 * "handler" builds the function's handler as Lambda does (by name, no-argument constructor) and
 * serves one request; "baseline" builds a bare {@code DynamoDbClient} and does one
 * GetItem of the item that request returns. Both children get the same java binary, flags, class
 * path and environment (the function's, as the local cloud resolves it). Reports the medians of each
 * and of the per-pair ratios handler / baseline, against the product's target of at most 1.25x.
 * <ul>
 *   <li>{@code customers} (the default): {@code CustomersHandler}, {@code GET /customers/{id}} (one
 *       GetItem of the profile);</li>
 *   <li>{@code payments}: {@code PaymentsHandler} (which also builds its SQS client), {@code GET
 *       /payments/{id}} of a charge made through the API (two GetItems: the payment's pointer, then the
 *       payment); the baseline gets the payment item.</li>
 * </ul>
 *
 * <p>Run from the repository root:
 * <pre>
 *   mvn -q -pl infra -am -DskipTests package exec:exec -Dlocal.main=com.clientele.bench.ColdStartBenchmark [-Dlocal.args="[customers|payments] [PAIRS [JVM flags...]]"]
 * </pre>
 * The environment variable {@code COLD_START_JAR} names another jar to run instead of the
 * function's own (a build from another branch, to compare). PAIRS defaults to 10; the JVM flags default to template.yaml's JAVA_TOOL_OPTIONS
 * ({@code -XX:+TieredCompilation -XX:TieredStopAtLevel=1 -XX:+UseSerialGC}). One extra pair runs first, unreported,
 * so the unpacked classes are in the page cache for every measured run.
 */
public final class ColdStartBenchmark {

    static final int DEFAULT_PAIRS = 10;
    static final List<String> DEFAULT_FLAGS = List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
    static final double TARGET_RATIO = 1.25;
    /** The functions a run can start, as its first argument names them. */
    static final List<String> FUNCTIONS = List.of("customers", "payments");
    private static final String TENANT = "bench";

    /**
     * What is measured: the function (its logical id in template.yaml), the request the handler
     * probe serves and the arguments of both probes.
     */
    record Target(String functionId, String request, String[] handlerArgs, String[] baselineArgs) {
    }

    /** One child JVM's timings, in milliseconds. */
    record Run(double wall, double spawnToResponse, double jvmToResponse, double jvmToMain, double init, double call, double cpu) {
    }

    private ColdStartBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        var options = Bench.options(args);
        String function = !options.isEmpty() && FUNCTIONS.contains(options.getFirst())
                ? options.getFirst() : "customers";
        if (!options.isEmpty() && options.getFirst().equals(function)) {
            options = options.subList(1, options.size());
        }
        int pairs = Bench.intOption(options, 0, DEFAULT_PAIRS);
        List<String> flags = options.size() > 1 ? options.subList(1, options.size()) : DEFAULT_FLAGS;
        var handler = new ArrayList<Run>();
        var baseline = new ArrayList<Run>();
        Path snapshot = Files.createTempDirectory("clientele-cold-start");
        Optional<CpuQuota> invokeCpu = Optional.empty();
        try (var cloud = LocalCloud.start(LocalCloud.Options.inMemory(Bench.template()))) {
            var target = seed(cloud, function);
            // Another build's jar may be measured instead of the function's own, to compare (COLD_START_JAR).
            String other = System.getenv("COLD_START_JAR");
            Path jar = other != null ? Path.of(other) : cloud.artifact(target.functionId());
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException("no jar at " + jar + "; run mvn -DskipTests package first");
            }
            printJar(jar);
            // Unpacked, as Lambda unpacks a deployment package into /var/task and loads the handler's classes from there.
            Path task = unpack(jar, snapshot.resolve("task"));
            int memoryMb = cloud.memoryMb(target.functionId());
            invokeCpu = invokeCpu(memoryMb);
            var children = new Children(flags, probeClasspath(task, snapshot), cloud.environment(target.functionId()),
                    invokeCpu.orElse(null));
            String[] handlerArgs = target.handlerArgs();
            String[] baselineArgs = target.baselineArgs();

            System.out.printf("%s: handler serves %s; java %s %s, %d CPUs; %d pairs after 1 warm-up pair%n",
                    target.functionId(), target.request(), children.java, String.join(" ", flags),
                    Runtime.getRuntime().availableProcessors(), pairs);
            System.out.println(invokeCpu.map(quota -> String.format(
                            "init on every CPU, the request under %.2f of a CPU (%d MB; Lambda gives one vCPU at %,d MB)",
                            quota.vcpus, memoryMb, CpuQuota.MB_PER_VCPU))
                    .orElse("init and the request on every CPU (COLD_START_INVOKE_VCPU=none, or no cgroup cpu controller to write: not root?)"));
            children.run(handlerArgs);
            children.run(baselineArgs);
            System.out.println("pair  first      handler wall  baseline wall  ratio");
            for (int pair = 1; pair <= pairs; pair++) {
                boolean handlerFirst = pair % 2 == 1;
                Run h;
                Run b;
                if (handlerFirst) {
                    h = children.run(handlerArgs);
                    b = children.run(baselineArgs);
                } else {
                    b = children.run(baselineArgs);
                    h = children.run(handlerArgs);
                }
                handler.add(h);
                baseline.add(b);
                System.out.printf("%4d  %-9s  %9.1f ms  %10.1f ms  %5.2fx%n",
                        pair, handlerFirst ? "handler" : "baseline", h.wall(), b.wall(), h.wall() / b.wall());
            }
        } finally {
            deleteTree(snapshot);
            if (invokeCpu.isPresent()) {
                invokeCpu.get().close();
            }
        }
        report(handler, baseline);
        // DynamoDB Local leaves a non-daemon thread (its shard-rollover job) sleeping for minutes after it stops.
        System.exit(0);
    }

    /**
     * The CPU a first request gets in Lambda, where init runs with burst CPU and an invocation with
     * CPU in proportion to the function's memory: {@code COLD_START_INVOKE_VCPU} (a share of one CPU,
     * or {@code none}) or else {@code memoryMb} / 1,769. Empty where no cgroup can be written.
     */
    private static Optional<CpuQuota> invokeCpu(int memoryMb) {
        String share = System.getenv().getOrDefault("COLD_START_INVOKE_VCPU", String.valueOf((double) memoryMb / CpuQuota.MB_PER_VCPU));
        return share.equals("none") ? Optional.empty()
                : CpuQuota.create("clientele-cold-start-" + ProcessHandle.current().pid(), Double.parseDouble(share));
    }

    /**
     * The probes' class path: the function's code (its jar, or the jar unpacked) and a copy of the
     * probe's own classes in {@code folder}, so that a rebuild while the benchmark runs cannot
     * change what is measured.
     */
    public static String probeClasspath(Path code, Path folder) throws IOException {
        Path classes = folder.resolve("classes");
        for (Class<?> type : List.of(ColdStartProbe.class, ApiEvents.class, LocalContext.class)) {
            String file = type.getName().replace('.', '/') + ".class";
            Path source;
            try {
                source = Path.of(type.getResource(type.getSimpleName() + ".class").toURI()).getParent();
            } catch (java.net.URISyntaxException e) {
                throw new IOException(e);
            }
            Path target = classes.resolve(file).getParent();
            Files.createDirectories(target);
            // the class and its nested and anonymous classes (Name$...)
            try (Stream<Path> files = Files.list(source)) {
                for (Path nested : files.filter(f -> f.getFileName().toString().equals(type.getSimpleName() + ".class")
                        || f.getFileName().toString().startsWith(type.getSimpleName() + "$")).toList()) {
                    Files.copy(nested, target.resolve(nested.getFileName()));
                }
            }
        }
        return code + File.pathSeparator + classes;
    }

    /** Writes the jar's entries under {@code folder} (a copy: a rebuild meanwhile does not change it); returns it. */
    private static Path unpack(Path jar, Path folder) throws IOException {
        try (var zip = new ZipFile(jar.toFile())) {
            for (var entry : Collections.list(zip.entries())) {
                Path target = folder.resolve(entry.getName()).normalize();
                if (!target.startsWith(folder)) {
                    throw new IOException("entry outside the jar's folder: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                    continue;
                }
                Files.createDirectories(target.getParent());
                try (var in = zip.getInputStream(entry)) {
                    Files.copy(in, target);
                }
            }
        }
        return folder;
    }

    /** Deletes a folder and what it holds. */
    public static void deleteTree(Path folder) throws IOException {
        try (var paths = Files.walk(folder)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    private static void printJar(Path jar) throws IOException {
        long bytes = Files.size(jar);
        long classes;
        int entries;
        try (var zip = new ZipFile(jar.toFile())) {
            entries = zip.size();
            classes = zip.stream().filter(e -> e.getName().endsWith(".class")).count();
        }
        System.out.printf("Lambda jar %s: %,d bytes (%.1f MiB), %,d entries, %,d classes%n",
                jar, bytes, bytes / (1024.0 * 1024.0), entries, classes);
    }

    /** Creates, through the API, what every probe reads: a customer, or a customer's charge. */
    private static Target seed(LocalCloud cloud, String function) {
        try (var http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            var api = new ApiClient(http, cloud.apiUrl(), cloud.token(TENANT, "bench-user"));
            String customerId = api.create("/customers", """
                    {"firstName":"Ada","lastName":"Lovelace","email":"ada@example.com","phone":"+14155550123"}""");
            String home = Keys.customer(TENANT, customerId);
            if (function.equals("customers")) {
                return new Target("CustomersFunction", "GET /customers/{id}",
                        new String[] {CustomersHandler.class.getName(), TENANT, "/customers/{id}", "/customers/" + customerId},
                        new String[] {"baseline", home, CustomerItems.PROFILE});
            }
            String cardId = api.create("/customers/" + customerId + "/payment-methods", ChargeBenchmark.cardJson(ChargeBenchmark.VISA));
            String paymentId = ChargeBenchmark.charge(api, new ChargeBenchmark.Payer(customerId, cardId), UUID.randomUUID().toString());
            return new Target("PaymentsFunction", "GET /payments/{id}",
                    new String[] {PaymentsHandler.class.getName(), TENANT, "/payments/{id}", "/payments/" + paymentId},
                    new String[] {"baseline", home, PaymentItems.paymentSortKey(paymentId)});
        }
    }

    /**
     * Spawns probe JVMs: same java binary as this one, fixed flags, the function's environment only;
     * with a {@link CpuQuota}, each pauses after init and its invocation runs under the quota.
     */
    private static final class Children {
        private final String java = ProcessHandle.current().info().command().orElseThrow();
        private final List<String> flags;
        private final String classpath;
        private final Map<String, String> environment;
        private final CpuQuota invokeCpu;

        Children(List<String> flags, String classpath, Map<String, String> environment, CpuQuota invokeCpu) {
            this.flags = flags;
            this.classpath = classpath;
            this.environment = environment;
            this.invokeCpu = invokeCpu;
        }

        Run run(String... probeArgs) throws IOException, InterruptedException {
            var command = new ArrayList<String>();
            command.add(java);
            command.addAll(flags);
            if (invokeCpu != null) {
                command.add("-Dprobe.pauseAfterInit=true");
            }
            command.addAll(List.of("-cp", classpath, ColdStartProbe.class.getName()));
            command.addAll(List.of(probeArgs));
            var builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().clear();
            builder.environment().putAll(environment);

            long spawnedAt = ColdStartProbe.nowMicros();
            long start = System.nanoTime();
            Process process = builder.start();
            var output = new StringBuilder();
            try (var lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    if (line.equals("probe-init-done")) {
                        invokeCpu.add(process.pid());
                        process.getOutputStream().write('\n');
                        process.getOutputStream().flush();
                    }
                    output.append(line).append('\n');
                }
            }
            int exit = process.waitFor();
            double wall = (System.nanoTime() - start) / 1e6;

            var line = output.toString().lines().filter(l -> l.startsWith("probe ")).findFirst().orElse(null);
            if (exit != 0 || line == null || line.contains("failed")) {
                throw new IllegalStateException("probe " + probeArgs[0] + " exited " + exit + ":\n" + output);
            }
            var values = new HashMap<String, Long>();
            for (String field : line.split(" ")) {
                int eq = field.indexOf('=');
                if (eq > 0 && field.substring(eq + 1).chars().allMatch(Character::isDigit)) {
                    values.put(field.substring(0, eq), Long.parseLong(field.substring(eq + 1)));
                }
            }
            double responded = values.get("respondedAt") / 1000.0;
            double main = values.get("mainAt") / 1000.0;
            double initDone = values.get("initDoneAt") / 1000.0;
            double resumed = values.get("resumedAt") / 1000.0;
            double jvmStart = values.get("jvmStartMillis");
            // The pause between init and the invocation (the parent moving the JVM under the quota) is no part of either.
            double paused = resumed - initDone;
            return new Run(wall - paused, responded - paused - spawnedAt / 1000.0, responded - paused - jvmStart, main - jvmStart,
                    initDone - main, responded - resumed, values.get("cpuMicros") / 1000.0);
        }
    }

    private static void report(List<Run> handler, List<Run> baseline) {
        System.out.printf("%nMedians over %d pairs, ms      handler  baseline   ratio*%n", handler.size());
        row("spawn -> exit (wall)", handler, baseline, Run::wall);
        row("spawn -> response", handler, baseline, Run::spawnToResponse);
        row("JVM start -> response", handler, baseline, Run::jvmToResponse);
        row("  JVM start -> main", handler, baseline, Run::jvmToMain);
        row("  init (handler / client)", handler, baseline, Run::init);
        row("  first request", handler, baseline, Run::call);
        row("CPU time to response", handler, baseline, Run::cpu);
        System.out.println("* median of the per-pair ratios handler / baseline");

        var ratios = pairRatios(handler, baseline, Run::wall);
        double ratio = ratios.median();
        System.out.printf("%nCold start, spawn to exit: handler %.0f ms vs baseline %.0f ms = %.2fx (pairs' quartiles %.2fx-%.2fx; target <= %.2fx): %s%n",
                median(handler, Run::wall), median(baseline, Run::wall), ratio, ratios.percentile(25), ratios.percentile(75),
                TARGET_RATIO, ratio <= TARGET_RATIO ? "MET" : "NOT MET");
    }

    private static void row(String label, List<Run> handler, List<Run> baseline, ToDoubleFunction<Run> metric) {
        System.out.printf("%-28s %9.1f %9.1f %7.2fx%n", label, median(handler, metric), median(baseline, metric),
                pairRatios(handler, baseline, metric).median());
    }

    private static double median(List<Run> runs, ToDoubleFunction<Run> metric) {
        var samples = new Samples();
        runs.forEach(run -> samples.add(metric.applyAsDouble(run)));
        return samples.median();
    }

    private static Samples pairRatios(List<Run> handler, List<Run> baseline, ToDoubleFunction<Run> metric) {
        var ratios = new Samples();
        for (int i = 0; i < handler.size(); i++) {
            ratios.add(metric.applyAsDouble(handler.get(i)) / metric.applyAsDouble(baseline.get(i)));
        }
        return ratios;
    }
}

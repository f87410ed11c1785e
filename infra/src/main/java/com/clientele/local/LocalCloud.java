package com.clientele.local;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The whole system on one machine, in one JVM: DynamoDB Local, ElasticMQ, S3Mock and a mail server
 * (GreenMail: SMTP and IMAP, {@link #mailbox()}, {@code GET /_local/mail}) on loopback,
 * the table, queues and buckets template.yaml declares, its HttpApi on a local port with a JWT
 * authorizer, its SQS event sources (pollers that invoke the functions) and its schedules, on a
 * clock of its own that {@code POST /_local/clock} moves forward ({@link LocalClock}).
 *
 * <pre>
 *   --port N          HTTP port of the API (default 3000; 0 picks a free one)
 *   --data DIR        keep the tables, queues (with their messages), buckets, secrets and the clock's
 *                     offset in DIR across restarts, a kill included (default .local-cloud)
 *   --in-memory       keep nothing: a clean cloud (and fresh secrets) on every start
 *   --template FILE   the SAM template to run (default template.yaml)
 *   --dynamodb-port N / --sqs-port N / --s3-port N   fixed ports for the engines (default: free ones)
 *   --no-schedules    do not fire schedules on time (POST /_local/schedules/{Function} still runs them)
 *   --no-pollers      do not poll the queues: messages wait in them (to look at them, or to try a restart)
 *   --oidc-issuer URL --oidc-client-id ID   the dashboard signs in at this OpenID provider, as in AWS
 *                     ({@code GET /config.json}), instead of the development sign-in
 * </pre>
 */
public final class LocalCloud implements AutoCloseable {

    /**
     * What to start. {@code external} endpoints replace the embedded engines (LocalStack);
     * {@code schedules} says whether schedules fire on time, {@code pollers} whether the SQS event
     * sources poll their queues; {@code oidc}, when not null, is the OpenID provider the dashboard signs in at.
     */
    public record Options(Path template, int port, Path dataDir, int dynamoDbPort, int sqsPort, int s3Port,
                          URI externalDynamoDb, URI externalSqs, URI externalS3, boolean schedules, boolean pollers,
                          OidcSignIn oidc) {

        /** A clean cloud on free ports whose schedules run only on demand ({@link #runSchedule}). */
        public static Options inMemory(Path template) {
            return new Options(template, 0, null, 0, 0, 0, null, null, null, false, true, null);
        }

        public Options withExternal(URI dynamoDb, URI sqs, URI s3) {
            return new Options(template, port, dataDir, dynamoDbPort, sqsPort, s3Port, dynamoDb, sqs, s3, schedules, pollers, oidc);
        }

        public Options withSchedules(boolean on) {
            return new Options(template, port, dataDir, dynamoDbPort, sqsPort, s3Port, externalDynamoDb, externalSqs,
                    externalS3, on, pollers, oidc);
        }

        public Options withOidc(OidcSignIn signIn) {
            return new Options(template, port, dataDir, dynamoDbPort, sqsPort, s3Port, externalDynamoDb, externalSqs,
                    externalS3, schedules, pollers, signIn);
        }
    }

    /**
     * The system property ({@code --webhooks-to-localhost}) that lets webhooks go to loopback addresses, over
     * http too: a receiver on this machine. Off, the local cloud refuses them as AWS does.
     */
    public static final String WEBHOOKS_TO_LOCALHOST = "clientele.webhooksToLocalhost";

    private final Backends backends;
    private final Provisioner provisioner;
    private final FunctionHost functions;
    private final HttpApiGateway gateway;
    private final Jwts jwts;
    private final SqsClient pollerClient;
    private final List<SqsPoller> pollers;
    private final Schedules schedules;
    private final Path templateFolder;
    private final boolean polling;
    private final LocalClock clock;
    private final MailServer mail;

    private LocalCloud(Backends backends, Provisioner provisioner, FunctionHost functions, HttpApiGateway gateway, Jwts jwts,
                       SqsClient pollerClient, List<SqsPoller> pollers, Schedules schedules, Path templateFolder,
                       boolean polling, LocalClock clock, MailServer mail) {
        this.clock = clock;
        this.mail = mail;
        this.backends = backends;
        this.provisioner = provisioner;
        this.functions = functions;
        this.gateway = gateway;
        this.jwts = jwts;
        this.pollerClient = pollerClient;
        this.pollers = pollers;
        this.schedules = schedules;
        this.templateFolder = templateFolder;
        this.polling = polling;
    }

    public static LocalCloud start(Options options) throws Exception {
        var template = Template.load(options.template());
        var backends = options.externalDynamoDb() != null
                ? Backends.external(options.externalDynamoDb(), options.externalSqs(), options.externalS3(), "test", "test")
                : Backends.embedded(options.dataDir(), options.dynamoDbPort(), options.sqsPort(), options.s3Port(),
                        !template.resources("AWS::S3::Bucket").isEmpty());
        SqsClient pollerClient = null;
        MailServer mail = null;
        try {
            mail = MailServer.start(0, 0);
            var provisioner = new Provisioner(template);
            provisioner.createSecrets(options.dataDir());
            try (var dynamo = backends.dynamoDbClient(); var sqs = backends.sqsClient(); var s3 = backends.s3Client()) {
                provisioner.createTables(dynamo);
                provisioner.createQueues(sqs);
                if (s3 != null) {
                    provisioner.createBuckets(s3);
                }
            }
            var clock = LocalClock.load(options.dataDir());
            var functions = new FunctionHost(template, provisioner.refs(), backends, clock, mail.smtpPort());
            String audience = template.parameterDefault("JwtAudience");
            // Tokens live by the real time: one handed out before the clock is moved still works after.
            var jwts = new Jwts(options.dataDir() == null ? null : options.dataDir().resolve("signing-key.json"),
                    "https://local.clientele.dev", audience == null ? "clientele" : audience, Clock.systemUTC());
            var schedules = Schedules.forTemplate(template, provisioner.refs(), functions, clock);
            pollerClient = backends.sqsClient();
            var pollers = SqsPoller.forTemplate(template, provisioner.refs(), pollerClient, functions);
            var feedbackQueue = provisioner.refs().get("EmailFeedbackQueue.QueueUrl");
            var feedbackClient = pollerClient;
            var mailServer = mail;
            HttpApiGateway.Feedback feedback = (messageId, type) -> mailServer.feedback(messageId, type).map(event -> {
                if (feedbackQueue == null) {
                    throw new IllegalStateException("the template declares no EmailFeedbackQueue");
                }
                feedbackClient.sendMessage(r -> r.queueUrl(feedbackQueue).messageBody(event));
                return event;
            }).isPresent();
            var processor = new LocalProcessor(pollerClient, provisioner.refs().get("DisputeNotificationsQueue.QueueUrl"), clock);
            var gateway = new HttpApiGateway(template, functions, schedules, jwts, clock, mail, feedback, processor, options.oidc(),
                    options.port());
            if (options.pollers()) {
                pollers.forEach(SqsPoller::start);
            }
            if (options.schedules()) {
                schedules.start();
            }
            return new LocalCloud(backends, provisioner, functions, gateway, jwts, pollerClient, pollers, schedules,
                    options.template().toAbsolutePath().getParent(), options.pollers(), clock, mail);
        } catch (Exception e) {
            if (pollerClient != null) {
                pollerClient.close();
            }
            if (mail != null) {
                mail.close();
            }
            backends.close();
            throw e;
        }
    }

    public URI apiUrl() {
        return URI.create("http://localhost:" + gateway.port());
    }

    public URI dynamoDbEndpoint() {
        return backends.dynamoDbEndpoint();
    }

    public URI sqsEndpoint() {
        return backends.sqsEndpoint();
    }

    /** The S3 server's endpoint; null when the template declares no bucket (none is started). */
    public URI s3Endpoint() {
        return backends.s3Endpoint();
    }

    /** Physical names and URLs of what the template declared, by logical id ("Table", "Table.Arn"). */
    public Map<String, String> resources() {
        return Map.copyOf(provisioner.refs());
    }

    /** Every email the local mail server received so far, oldest first (what {@code GET /_local/mail} shows). */
    public List<LocalMail> mailbox() {
        return mail.messages();
    }

    /** The local mail server's SMTP and IMAP ports. */
    public int smtpPort() {
        return mail.smtpPort();
    }

    public int imapPort() {
        return mail.imapPort();
    }

    /** The names of the buckets the template declared, as created here. */
    public List<String> buckets() {
        return provisioner.buckets();
    }

    /** The URL of a queue of the template, by logical id. */
    public String queueUrl(String logicalId) {
        String url = provisioner.refs().get(logicalId + ".QueueUrl");
        if (url == null) {
            throw new IllegalArgumentException("no queue " + logicalId + " in the template");
        }
        return url;
    }

    /**
     * Runs a function's schedule now, as {@code POST /_local/schedules/{functionId}} does: invokes
     * it with the ScheduledEvent EventBridge would send and returns what the handler returned.
     * Works whether or not schedules fire on time, and for disabled schedules too.
     *
     * @throws IllegalArgumentException if the function has no Schedule or ScheduleV2 event
     */
    public Object runSchedule(String functionId) {
        return schedules.run(functionId);
    }

    /**
     * The clock every function here reads, and the schedules follow: the real time until
     * {@code POST /_local/clock} moves it forward.
     */
    public Clock clock() {
        return clock;
    }

    /** The environment a function of the template runs with here. */
    public Map<String, String> environment(String functionId) {
        return functions.environment(functionId);
    }

    /**
     * The jar a function deploys (its CodeUri, under the template's folder). The local cloud itself
     * runs every handler in this JVM, from the class path; benchmarks and tests start a function
     * from its own jar.
     */
    public Path artifact(String functionId) {
        return templateFolder.resolve(functions.codeUri(functionId)).normalize();
    }

    /** The memory the template gives a function (its MemorySize, in MB), which Lambda gives CPU in proportion to. */
    public int memoryMb(String functionId) {
        return functions.memoryMb(functionId);
    }

    /** A development token, as {@code POST /_local/tokens} issues: of the {@link Roles#DEFAULT} role. */
    public String token(String tenantId, String userId) {
        return jwts.issue(tenantId, userId);
    }

    /** A development token of a role preset ({@link Roles#PRESETS}), with its {@code role} claim; without {@code sub} when {@code userId} is null. */
    public String tokenOfRole(String tenantId, String userId, String role) {
        return jwts.issue(tenantId, userId, role, Roles.scopes(role).orElseThrow(() -> new IllegalArgumentException("no role " + role)));
    }

    /** A development token with these scopes only. */
    public String token(String tenantId, String userId, Collection<String> scopes) {
        return jwts.issue(tenantId, userId, scopes);
    }

    @Override
    public void close() throws Exception {
        for (var poller : pollers) {
            poller.close();
        }
        schedules.close();
        gateway.close();
        pollerClient.close();
        mail.close();
        backends.close();
    }

    /** What runs the functions besides the API, one line each: SQS pollers, then schedules (and their state). */
    public List<String> eventSources() {
        var lines = new ArrayList<String>();
        pollers.forEach(p -> lines.add(p.describe() + (polling ? "" : "   (not polled: --no-pollers)")));
        lines.addAll(schedules.describe());
        return lines;
    }

    public static void main(String[] arguments) throws Exception {
        // Maven passes its options as one argument (possibly empty): split on white space.
        String[] args = String.join(" ", arguments).trim().isEmpty() ? new String[0]
                : String.join(" ", arguments).trim().split("\\s+");
        Path template = Path.of(System.getProperty("clientele.template", "template.yaml"));
        Path data = Path.of(System.getProperty("clientele.data", ".local-cloud"));
        int port = 3000;
        int dynamoPort = 0;
        int sqsPort = 0;
        int s3Port = 0;
        boolean fireSchedules = true;
        boolean poll = true;
        String oidcIssuer = null;
        String oidcClientId = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--data" -> data = Path.of(args[++i]);
                case "--in-memory" -> data = null;
                case "--template" -> template = Path.of(args[++i]);
                case "--dynamodb-port" -> dynamoPort = Integer.parseInt(args[++i]);
                case "--sqs-port" -> sqsPort = Integer.parseInt(args[++i]);
                case "--s3-port" -> s3Port = Integer.parseInt(args[++i]);
                case "--no-schedules" -> fireSchedules = false;
                case "--no-pollers" -> poll = false;
                case "--webhooks-to-localhost" -> System.setProperty(WEBHOOKS_TO_LOCALHOST, "true");
                case "--oidc-issuer" -> oidcIssuer = args[++i];
                case "--oidc-client-id" -> oidcClientId = args[++i];
                default -> {
                    System.err.println("unknown option " + args[i]
                            + "; options: --port N, --data DIR, --in-memory, --template FILE, --dynamodb-port N, --sqs-port N, --s3-port N, --no-schedules, --no-pollers, --webhooks-to-localhost, --oidc-issuer URL --oidc-client-id ID");
                    System.exit(2);
                }
            }
        }
        if (!Files.exists(template)) {
            System.err.println("no template at " + template.toAbsolutePath() + " (run from the repository, or pass --template)");
            System.exit(2);
        }
        OidcSignIn oidc = null;
        if (oidcIssuer != null || oidcClientId != null) {
            try {
                oidc = new OidcSignIn(URI.create(String.valueOf(oidcIssuer)), oidcClientId);
            } catch (IllegalArgumentException e) {
                System.err.println("--oidc-issuer URL and --oidc-client-id ID go together: " + e.getMessage());
                System.exit(2);
            }
        }
        var cloud = start(new Options(template, port, data, dynamoPort, sqsPort, s3Port, null, null, null, fireSchedules, poll, oidc));
        var stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                cloud.close();
            } catch (Exception ignored) {
                // shutting down
            }
            stopped.countDown();
        }));
        String url = cloud.apiUrl().toString();
        System.out.printf("""

                Clientele local cloud is up.
                  API        %s   (every route in %s)
                  DynamoDB   %s   table %s   data: %s
                  SQS        %s
                  S3         %s
                  Mail       SMTP 127.0.0.1:%d, IMAP 127.0.0.1:%d   (what the functions sent: curl %s/_local/mail)%s

                Clock      %s   (move it forward: curl -X POST %s/_local/clock -d '{"advance":"P1M"}')

                Get a token (an admin's; add "role": "viewer", "cashier" or "manager", or "scopes": [...], for less):
                  TOKEN=$(curl -s -X POST %s/_local/tokens -d '{"tenantId":"acme","userId":"alice"}' | sed 's/.*"token":"\\([^"]*\\)".*/\\1/')
                Then, for example:
                  curl -s -X POST %s/customers -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \\
                    -d '{"firstName":"Ada","lastName":"Lovelace","email":"ada@example.com","phone":"+442071234567"}'

                Ctrl-C stops it.
                %n""", url, template.getFileName(), cloud.dynamoDbEndpoint(), cloud.resources().get("Table"),
                data == null ? "in memory" : data.toAbsolutePath(), cloud.sqsEndpoint(),
                cloud.s3Endpoint() == null ? "(none: the template declares no bucket)"
                        : cloud.s3Endpoint() + "   buckets: " + String.join(", ", cloud.buckets()),
                cloud.smtpPort(), cloud.imapPort(), url,
                cloud.eventSources().stream().map(line -> "\n  " + line).collect(Collectors.joining()),
                cloud.clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS), url, url, url);
        stopped.await();
    }
}

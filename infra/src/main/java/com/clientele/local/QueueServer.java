package com.clientele.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.Props;
import org.apache.pekko.pattern.Patterns;
import org.elasticmq.NodeAddress;
import org.elasticmq.actor.QueueManagerActor;
import org.elasticmq.actor.queue.QueueEvent;
import org.elasticmq.persistence.sql.SqlQueuePersistenceActor;
import org.elasticmq.persistence.sql.SqlQueuePersistenceConfig;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.elasticmq.util.NowProvider;
import scala.Option;
import scala.concurrent.Await;
import scala.concurrent.duration.FiniteDuration;
import scala.util.Either;

/**
 * ElasticMQ on loopback. With a data folder, its queues and their messages are kept in an H2
 * database under {@code dataDir/sqs} (ElasticMQ's SQL persistence): every message sent, received
 * (its receive count and visibility) and deleted is written through before SQS's answer, and a
 * restart restores them — so killing the local cloud loses no message that SQS would have kept.
 * Without one, everything is in memory.
 *
 * <p>ElasticMQ's SQL persistence holds one connection pool per JVM: so one JVM runs at most one
 * persistent queue server at a time (a second one, on any folder, is refused).
 */
final class QueueServer implements AutoCloseable {

    private static final Duration RESTORE_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration DRAIN = Duration.ofSeconds(5);
    private static final Object PERSISTENT_LOCK = new Object();
    private static Path persistentIn;

    private final ActorSystem system;
    private final SQSRestServer server;
    private final Path dataDir;

    private QueueServer(ActorSystem system, SQSRestServer server, Path dataDir) {
        this.system = system;
        this.server = server;
        this.dataDir = dataDir;
    }

    /** Starts the server on {@code port}; with {@code dataDir}, restores what it kept there. */
    static QueueServer start(int port, Path dataDir) throws Exception {
        Path folder = dataDir == null ? null : claim(Files.createDirectories(dataDir.resolve("sqs")).toAbsolutePath());
        var system = ActorSystem.create("elasticmq");
        try {
            Option<ActorRef> store = Option.empty();
            if (folder != null) {
                store = Option.apply(system.actorOf(Props.create(SqlQueuePersistenceActor.class, persistence(folder),
                        scala.collection.immutable.List$.MODULE$.empty())));
            }
            var limits = SQSRestServerBuilder.sqsLimits();
            var manager = system.actorOf(Props.create(QueueManagerActor.class, new NowProvider(), limits, store));
            var builder = SQSRestServerBuilder.withActorSystem(system).withQueueManagerActor(manager)
                    .withInterface("127.0.0.1").withPort(port)
                    .withServerAddress(new NodeAddress("http", "127.0.0.1", port, ""))
                    .withAWSRegion(Backends.REGION).withAWSAccountId("000000000000");
            if (store.isDefined()) {
                builder = builder.withQueueEventListener(store.get());
            }
            var server = builder.start();
            server.waitUntilStarted();
            if (store.isDefined()) {
                restore(store.get(), manager);
            }
            return new QueueServer(system, server, folder);
        } catch (Exception | Error e) {
            system.terminate();
            release(folder);
            throw e;
        }
    }

    /**
     * The H2 database of the queues. {@code WRITE_DELAY=0}: each change is on disk when its
     * statement returns (H2 otherwise flushes about every half second, which a kill would lose).
     * The connection pool is set here, not left to ElasticMQ, which sets it once per JVM.
     */
    private static SqlQueuePersistenceConfig persistence(Path folder) {
        String url = "jdbc:h2:file:" + folder.resolve("queues") + ";WRITE_DELAY=0";
        var config = new SqlQueuePersistenceConfig(true, "org.h2.Driver", url, "sa", "", false);
        var settings = scalikejdbc.ConnectionPool.singleton$default$4();
        scalikejdbc.ConnectionPool.singleton(url, "sa", "", settings,
                scalikejdbc.ConnectionPool.singleton$default$5(url, "sa", "", settings));
        return config;
    }

    /** The queues and their messages as kept: created in the queue manager, messages put back. */
    private static void restore(ActorRef store, ActorRef manager) throws Exception {
        Object result = Patterns.ask(store, new QueueEvent.Restore(manager), RESTORE_TIMEOUT).toCompletableFuture()
                .get(RESTORE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        if (result instanceof Either<?, ?> either && either.isLeft()) {
            throw new IllegalStateException("cannot restore the queues kept in the data folder: " + either.left().get());
        }
    }

    private static Path claim(Path folder) {
        synchronized (PERSISTENT_LOCK) {
            if (persistentIn != null) {
                throw new IllegalStateException("this JVM already keeps queues in " + persistentIn
                        + "; one persistent local cloud per JVM");
            }
            persistentIn = folder;
            return folder;
        }
    }

    private static void release(Path folder) {
        if (folder == null) {
            return;
        }
        synchronized (PERSISTENT_LOCK) {
            scalikejdbc.ConnectionPool.closeAll();
            persistentIn = null;
        }
    }

    /**
     * Stops the server within {@link #DRAIN}: requests in flight get that long to finish, then their
     * connections are closed (ElasticMQ's own {@code stopAndWait} allows a minute, which a loaded machine
     * with a keep-alive connection still open can spend in full).
     */
    @Override
    public void close() throws Exception {
        try {
            var drain = FiniteDuration.create(DRAIN.toMillis(), TimeUnit.MILLISECONDS);
            Await.ready(server.waitUntilStarted().terminate(drain), drain.$times(2));
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } finally {
            release(dataDir);
        }
    }
}

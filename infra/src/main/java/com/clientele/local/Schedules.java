package com.clientele.local;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.joda.time.DateTime;
import org.joda.time.DateTimeZone;

/**
 * The template's {@code Schedule} (EventBridge rule) and {@code ScheduleV2} (EventBridge
 * Scheduler) events: each enabled one fires its function with a {@link ScheduledEvent} on its
 * rate or cron expression, by the local cloud's clock, on a thread of its own, when started; when
 * the clock is moved forward, those whose time came in the jump fire at once ({@link #caughtUp}).
 * Any of them also runs on demand ({@link #run}), including disabled ones and those whose
 * expression is not supported locally.
 */
final class Schedules implements AutoCloseable {

    /** One schedule event; {@code expression} is null when {@code problem} says why it cannot fire here. */
    record Schedule(Template.Event event, String source, ScheduleExpression expression, boolean enabled,
                    String problem, String resource) {
    }

    private final List<Schedule> schedules;
    private final FunctionHost functions;
    private final Clock clock;
    private final List<Thread> threads = new ArrayList<>();
    /** Each on-time schedule's next time to fire, by the clock; only schedules started are here. */
    private final Map<Schedule, Instant> next = new ConcurrentHashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition moved = lock.newCondition();
    private volatile boolean running;

    private Schedules(List<Schedule> schedules, FunctionHost functions, Clock clock) {
        this.schedules = schedules;
        this.functions = functions;
        this.clock = clock;
    }

    static Schedules forTemplate(Template template, Map<String, String> refs, FunctionHost functions, Clock clock) {
        var schedules = new ArrayList<Schedule>();
        for (var event : template.events("Schedule", "ScheduleV2")) {
            var p = event.properties();
            boolean v2 = event.type().equals("ScheduleV2");
            String source = template.resolve(p.get(v2 ? "ScheduleExpression" : "Schedule"), refs::get);
            String enabled = template.resolve(p.get("Enabled"), refs::get);
            String state = template.resolve(p.get("State"), refs::get);
            boolean on = (enabled == null || Boolean.parseBoolean(enabled)) && (state == null || state.equals("ENABLED"));
            String name = p.containsKey("Name") ? template.resolve(p.get("Name"), refs::get)
                    : refs.get("AWS::StackName") + "-" + event.functionId() + event.name();
            String resource = v2 ? "arn:aws:scheduler:" + Backends.REGION + ":000000000000:schedule/default/" + name
                    : "arn:aws:events:" + Backends.REGION + ":000000000000:rule/" + name;
            ScheduleExpression expression = null;
            String problem = null;
            try {
                String zone = v2 ? template.resolve(p.get("ScheduleExpressionTimezone"), refs::get) : null;
                expression = ScheduleExpression.parse(source, zone == null ? ZoneOffset.UTC : ZoneId.of(zone));
            } catch (RuntimeException e) {
                problem = e.getMessage();
            }
            if (p.containsKey("Input")) {
                System.err.println("[schedule] " + event.functionId() + "." + event.name()
                        + ": Input is not passed locally; the function gets the standard scheduled event");
            }
            schedules.add(new Schedule(event, source, expression, on, problem, resource));
        }
        return new Schedules(List.copyOf(schedules), functions, clock);
    }

    /** Fires every enabled, supported schedule on time (by the clock) from now on, until {@link #close()}. */
    void start() {
        running = true;
        Instant started = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        for (var schedule : schedules) {
            if (schedule.enabled() && schedule.problem() != null) {
                System.err.println("[schedule] " + schedule.event().functionId() + "." + schedule.event().name()
                        + " does not fire here: " + schedule.problem());
            } else if (schedule.enabled()) {
                Instant first = schedule.expression().next(started);
                if (first != null) {
                    next.put(schedule, first);
                    threads.add(Thread.ofVirtual().name("schedule-" + schedule.event().functionId() + "-" + schedule.event().name())
                            .start(() -> loop(schedule)));
                }
            }
        }
    }

    boolean has(String functionId) {
        return schedules.stream().anyMatch(s -> s.event().functionId().equals(functionId));
    }

    /**
     * Invokes {@code functionId} now with the event of its (first) schedule and returns what it
     * returned; a handler's exception propagates.
     *
     * @throws IllegalArgumentException if the function has no schedule event
     */
    Object run(String functionId) {
        var schedule = schedules.stream().filter(s -> s.event().functionId().equals(functionId)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("function " + functionId + " has no schedule"));
        return functions.invoke(functionId, event(schedule, clock.instant().truncatedTo(ChronoUnit.SECONDS)));
    }

    /** One line per schedule for the start banner. */
    List<String> describe() {
        return schedules.stream().map(s -> String.format("Schedule   %s → %s   %s", s.source(), s.event().functionId(),
                s.problem() != null ? "not run on time here (POST /_local/schedules/" + s.event().functionId() + " runs it)"
                        : !s.enabled() ? "disabled" : !running ? "on demand only (POST /_local/schedules/" + s.event().functionId() + ")"
                        : next(s))).toList();
    }

    private String next(Schedule schedule) {
        Instant at = next.get(schedule);
        return at == null ? "never (its years are past)" : "next " + at.truncatedTo(ChronoUnit.SECONDS);
    }

    /** Sleeps until the schedule's time comes by the clock (waking when the clock is moved), and fires it. */
    private void loop(Schedule schedule) {
        while (running) {
            lock.lock(); // read and wait under the lock that a move signals under: no signal is missed
            try {
                Instant at = next.get(schedule);
                if (at == null) {
                    return;
                }
                Duration wait = Duration.between(clock.instant(), at);
                if (wait.isPositive()) {
                    moved.await(wait.toNanos(), TimeUnit.NANOSECONDS);
                    continue;
                }
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
            fireIfDue(schedule);
        }
    }

    /**
     * After the clock was moved: fires, before returning, each on-time schedule whose time came in
     * the jump, once (a daily schedule moved past by a month runs once, not 30 times: the jobs read
     * everything due up to their time), with the event of the last time it would have fired.
     * Returns the runs, in the order of the times they were due; none when schedules do not fire on
     * time ({@code --no-schedules}).
     */
    List<Map<String, Object>> caughtUp() {
        var due = next.entrySet().stream().sorted(Map.Entry.comparingByValue()).map(Map.Entry::getKey).toList();
        var runs = new ArrayList<Map<String, Object>>();
        for (var schedule : due) {
            var run = fireIfDue(schedule);
            if (run != null) {
                runs.add(run);
            }
        }
        lock.lock();
        try {
            moved.signalAll(); // the on-time threads wait for their new times
        } finally {
            lock.unlock();
        }
        return runs;
    }

    /**
     * Fires {@code schedule} once if its time has come by the clock, with the event of the last
     * time due, and sets its next time after now (times missed while it ran, or jumped over, are
     * skipped). One schedule fires once at a time. Returns the run, or null if it was not due.
     */
    private Map<String, Object> fireIfDue(Schedule schedule) {
        synchronized (schedule) {
            Instant now = clock.instant();
            Instant at = next.get(schedule);
            if (at == null || at.isAfter(now)) {
                return null;
            }
            for (Instant later = schedule.expression().next(at); later != null && !later.isAfter(now);
                 later = schedule.expression().next(later)) {
                at = later;
            }
            var run = new LinkedHashMap<String, Object>();
            run.put("function", schedule.event().functionId());
            run.put("time", at.toString());
            try {
                run.put("result", functions.invoke(schedule.event().functionId(), event(schedule, at)));
            } catch (Throwable e) { // a failed run does not stop the schedule
                System.err.println("[schedule] " + schedule.event().functionId() + " failed at " + at + ": " + e);
                run.put("error", String.valueOf(e));
            }
            Instant following = schedule.expression().next(at);
            Instant after = clock.instant();
            if (following != null && !following.isAfter(after)) {
                following = schedule.expression().next(after); // missed while it ran: skip ahead
            }
            if (following == null) {
                next.remove(schedule);
            } else {
                next.put(schedule, following);
            }
            return run;
        }
    }

    /** The event EventBridge sends: source aws.events, detail-type Scheduled Event, the rule as resource. */
    static ScheduledEvent event(Schedule schedule, Instant time) {
        var event = new ScheduledEvent();
        event.setVersion("0");
        event.setId(UUID.randomUUID().toString());
        event.setDetailType("Scheduled Event");
        event.setSource("aws.events");
        event.setAccount("000000000000");
        event.setTime(new DateTime(time.toEpochMilli(), DateTimeZone.UTC));
        event.setRegion(Backends.REGION);
        event.setResources(List.of(schedule.resource()));
        event.setDetail(Map.of());
        return event;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        next.clear();
        for (var thread : threads) {
            thread.interrupt();
        }
        for (var thread : threads) {
            thread.join(Duration.ofSeconds(5));
        }
    }
}

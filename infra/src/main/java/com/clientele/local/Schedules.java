package com.clientele.local;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.joda.time.DateTime;
import org.joda.time.DateTimeZone;

/**
 * The template's {@code Schedule} (EventBridge rule) and {@code ScheduleV2} (EventBridge
 * Scheduler) events: each enabled one fires its function with a {@link ScheduledEvent} on its
 * rate or cron expression, on a thread of its own, when started; any of them also runs on demand
 * ({@link #run}), including disabled ones and those whose expression is not supported locally.
 */
final class Schedules implements AutoCloseable {

    /** One schedule event; {@code expression} is null when {@code problem} says why it cannot fire here. */
    record Schedule(Template.Event event, String source, ScheduleExpression expression, boolean enabled,
                    String problem, String resource) {
    }

    private final List<Schedule> schedules;
    private final FunctionHost functions;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running;
    private Instant started;

    private Schedules(List<Schedule> schedules, FunctionHost functions) {
        this.schedules = schedules;
        this.functions = functions;
    }

    static Schedules forTemplate(Template template, Map<String, String> refs, FunctionHost functions) {
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
        return new Schedules(List.copyOf(schedules), functions);
    }

    /** Fires every enabled, supported schedule on time from now on, until {@link #close()}. */
    void start() {
        running = true;
        started = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        for (var schedule : schedules) {
            if (schedule.enabled() && schedule.problem() != null) {
                System.err.println("[schedule] " + schedule.event().functionId() + "." + schedule.event().name()
                        + " does not fire here: " + schedule.problem());
            } else if (schedule.enabled()) {
                threads.add(Thread.ofVirtual().name("schedule-" + schedule.event().functionId() + "-" + schedule.event().name())
                        .start(() -> loop(schedule)));
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
        return functions.invoke(functionId, event(schedule, Instant.now().truncatedTo(ChronoUnit.SECONDS)));
    }

    /** One line per schedule for the start banner. */
    List<String> describe() {
        return schedules.stream().map(s -> String.format("Schedule   %s → %s   %s", s.source(), s.event().functionId(),
                s.problem() != null ? "not run on time here (POST /_local/schedules/" + s.event().functionId() + " runs it)"
                        : !s.enabled() ? "disabled" : !running ? "on demand only (POST /_local/schedules/" + s.event().functionId() + ")"
                        : next(s))).toList();
    }

    private String next(Schedule schedule) {
        Instant next = schedule.expression().next(started);
        return next == null ? "never (its years are past)" : "next " + next.truncatedTo(ChronoUnit.SECONDS);
    }

    private void loop(Schedule schedule) {
        Instant next = schedule.expression().next(started);
        while (running && next != null) {
            try {
                Duration wait = Duration.between(Instant.now(), next);
                if (wait.isPositive()) {
                    Thread.sleep(wait);
                }
            } catch (InterruptedException e) {
                return;
            }
            try {
                functions.invoke(schedule.event().functionId(), event(schedule, next));
            } catch (Throwable e) { // a failed run does not stop the schedule
                System.err.println("[schedule] " + schedule.event().functionId() + " failed at " + next + ": " + e);
            }
            Instant now = Instant.now();
            next = schedule.expression().next(next);
            if (next != null && next.isBefore(now)) {
                next = schedule.expression().next(now); // missed while the handler ran: skip ahead
            }
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
        for (var thread : threads) {
            thread.interrupt();
        }
        for (var thread : threads) {
            thread.join(Duration.ofSeconds(5));
        }
    }
}

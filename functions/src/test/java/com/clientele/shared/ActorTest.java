package com.clientele.shared;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class ActorTest {

    private final Actor alice = new Actor("alice", "admin", "req-1");
    private final Actor bob = new Actor("bob", "cashier", "req-2");

    @Test
    void anActorIsCurrentOnlyWhileItsWorkRuns() {
        assertThat(Actor.current()).isEmpty();
        assertThat(Actor.as(alice, () -> Actor.current().orElseThrow())).isEqualTo(alice);
        assertThat(Actor.current()).isEmpty();
    }

    @Test
    void itIsClearedEvenWhenTheWorkThrows() {
        assertThatThrownBy(() -> Actor.as(alice, (Runnable) () -> {
            throw new IllegalStateException("boom");
        })).hasMessage("boom");
        assertThat(Actor.current()).isEmpty();
    }

    @Test
    void anInnerActorGivesBackTheOuterOne() {
        Actor.as(alice, () -> {
            assertThat(Actor.as(bob, () -> Actor.current().orElseThrow())).isEqualTo(bob);
            assertThat(Actor.current()).contains(alice);
        });
        assertThat(Actor.current()).isEmpty();
    }

    @Test
    void itIsPerThread() throws Exception {
        try (var threads = Executors.newFixedThreadPool(2)) {
            Future<Boolean> other = Actor.as(alice, () -> threads.submit(() -> Actor.current().isEmpty()));
            assertThat(other.get()).as("another thread does not see this thread's actor").isTrue();
        }
    }

    @Test
    void theCustomersAChangeTouchedAreNotedForItsActorOnly() {
        Actor.touch("cus_outside");
        var touched = Actor.as(alice, () -> {
            Actor.touch("cus_1");
            Actor.touch("cus_1");
            assertThat(Actor.as(bob, () -> {
                Actor.touch("cus_2");
                return Actor.touched();
            })).containsExactly("cus_2");
            return Actor.touched();
        });
        assertThat(touched).containsExactly("cus_1");
        assertThat(Actor.touched()).isEmpty();
    }

    @Test
    void aSystemActorNamesItsFunctionAndEvent() {
        assertThat(Actor.system("PointsAccrualFunction", "msg-1"))
                .isEqualTo(new Actor("system:PointsAccrualFunction", "system", "msg-1"));
        assertThat(Actor.system(null, "msg-1").userId()).isEqualTo("system:unknown");
    }
}

package com.clientele.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.clientele.customers.CustomersHandler;
import com.clientele.e2e.TestCloud;
import com.clientele.loyalty.LoyaltyHandler;
import com.clientele.payments.Fingerprints;
import com.clientele.payments.PaymentsHandler;
import com.clientele.shared.http.ApiException;
import com.clientele.shared.http.Cursors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The template's secrets here: random per data folder, kept across restarts in it (owner-only),
 * fresh in memory, given to the functions through the template's dynamic references; and a
 * function without its secret does not start.
 */
class LocalSecretsTest {

    private static final String CARD = "4242424242424242";

    /** The environment a function gets on a cloud started on {@code dataDir}, as FunctionHost resolves it. */
    private static Map<String, String> environment(Path dataDir, String functionId) {
        var template = Template.load(TestCloud.template());
        var provisioner = new Provisioner(template);
        provisioner.createSecrets(dataDir);
        var function = template.functions().stream().filter(f -> f.logicalId().equals(functionId)).findFirst().orElseThrow();
        Function<String, String> refs = name -> provisioner.refs().get(name);
        var env = new HashMap<String, String>();
        function.environment().forEach((name, value) -> {
            String resolved = template.resolve(value, refs);
            if (resolved != null) {
                env.put(name, resolved);
            }
        });
        return env;
    }

    @Test
    void twoDataFoldersGetDifferentSecrets(@TempDir Path one, @TempDir Path two) {
        var first = environment(one, "PaymentsFunction");
        var second = environment(two, "PaymentsFunction");
        for (String name : new String[] {"CURSOR_SECRET", "FINGERPRINT_SECRET"}) {
            assertThat(first.get(name)).hasSize(64).isNotEqualTo(second.get(name));
        }
        assertThat(first.get("CURSOR_SECRET")).isNotEqualTo(first.get("FINGERPRINT_SECRET"));
        assertThat(environment(null, "PaymentsFunction").get("CURSOR_SECRET")).as("in memory: fresh ones")
                .hasSize(64).isNotEqualTo(environment(null, "PaymentsFunction").get("CURSOR_SECRET"));
    }

    @Test
    void aRestartOnTheSameFolderKeepsThemSoCursorsAndFingerprintsStillWork(@TempDir Path data) throws Exception {
        var before = environment(data, "PaymentsFunction");
        String cursor = new Cursors(before.get("CURSOR_SECRET")).encode("acme", "payments", Map.of("SK", "PAY#1"));
        String fingerprint = new Fingerprints(before.get("FINGERPRINT_SECRET")).of("acme", CARD);

        var after = environment(data, "PaymentsFunction");
        assertThat(new Cursors(after.get("CURSOR_SECRET")).decode("acme", "payments", cursor)).containsEntry("SK", "PAY#1");
        assertThat(new Fingerprints(after.get("FINGERPRINT_SECRET")).of("acme", CARD)).isEqualTo(fingerprint);
        assertThat(environment(data, "LoyaltyFunction").get("CURSOR_SECRET")).isEqualTo(before.get("CURSOR_SECRET"));

        Path file = data.resolve(LocalSecrets.FILE);
        assertThat(Files.getPosixFilePermissions(file))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        // Another folder's secret does not read this one's cursors.
        var other = data.resolve("another-folder");
        assertThatThrownBy(() -> new Cursors(environment(other, "PaymentsFunction").get("CURSOR_SECRET"))
                .decode("acme", "payments", cursor)).isInstanceOf(ApiException.class);
    }

    @Test
    void aFunctionWithoutItsSecretDoesNotStart() {
        var cloud = TestCloud.embedded();
        assertThatThrownBy(() -> new CustomersHandler(without(cloud.environment("CustomersFunction"), "CURSOR_SECRET")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("CURSOR_SECRET");
        assertThatThrownBy(() -> new PaymentsHandler(without(cloud.environment("PaymentsFunction"), "FINGERPRINT_SECRET")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("FINGERPRINT_SECRET");
        assertThatThrownBy(() -> new LoyaltyHandler(without(cloud.environment("LoyaltyFunction"), "OTP_SECRET")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("OTP_SECRET");
        // With the secrets the local cloud gives, they do.
        assertThat(new LoyaltyHandler(cloud.environment("LoyaltyFunction"))).isNotNull();
    }

    private static Map<String, String> without(Map<String, String> env, String name) {
        var copy = new HashMap<>(env);
        copy.remove(name);
        assertThat(Set.copyOf(env.keySet())).contains(name);
        return copy;
    }
}

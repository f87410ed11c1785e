package com.clientele.loyalty;

import com.clientele.customers.Customer;
import com.clientele.shared.Ids;
import com.clientele.shared.http.ApiException;
import com.clientele.shared.http.Cursors;
import com.clientele.shared.http.ListParams;
import com.clientele.shared.http.Listing;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Redemption OTPs: a 6-digit code sent to the customer (SMS to their phone, else email), valid
 * {@link #VALIDITY}, good for one redemption. {@link #MAX_FAILED_ATTEMPTS} wrong guesses in all,
 * whichever code they aim at, lock every live code of the customer (a wrong guess counts on each
 * code that is live then), so sending several codes gives a guesser no more tries. Only
 * an HMAC of the code (keyed by a secret, salted by the OTP's id) is stored, so a table reader
 * cannot try the million codes offline. The list a merchant sees never shows a code.
 */
public final class OtpService {

    static final Duration VALIDITY = Duration.ofMinutes(5);
    static final int MAX_FAILED_ATTEMPTS = 5;
    /** At most this many codes per customer per {@link #ISSUE_WINDOW}: a code cannot be farmed. */
    static final int MAX_ISSUED = 5;
    static final Duration ISSUE_WINDOW = Duration.ofMinutes(15);
    /** The OTPs a redemption's code is looked for among (newest first). */
    static final int CANDIDATES = MAX_ISSUED * 2;

    /** Delivers a code; returns it when the caller may see it (the sandbox, which has no SMS or email provider). */
    public interface Sender {
        Optional<String> send(String tenant, String customerId, String otpId, String channel, String to, String code);
    }

    public static final Sender SANDBOX = (tenant, customerId, otpId, channel, to, code) -> Optional.of(code);

    private final LoyaltyRepository repository;
    private final Sender sender;
    private final SecretKeySpec key;
    private final Cursors cursors;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public OtpService(LoyaltyRepository repository, Sender sender, String secret, Cursors cursors, Clock clock) {
        this.repository = repository;
        this.sender = sender;
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
        this.cursors = cursors;
        this.clock = clock;
    }

    /** What {@code POST …/points/otp} returns; {@code code} only where the sender lets the caller see it. */
    public record Issued(String id, Instant issuedAt, Instant expiresAt, String channel, String sentTo, String code) {
    }

    /** A code sent by {@code channel} ({@code sms} or {@code email}; null: by SMS when the customer has a phone, else by email). */
    public Issued issue(String tenant, String customerId, String channel) {
        if (channel != null && !"sms".equals(channel) && !"email".equals(channel)) {
            throw ApiException.invalid("channel", "must be sms or email");
        }
        var customer = LoyaltyService.existing(repository, tenant, customerId);
        Instant now = clock.instant();
        long recent = repository.recentOtps(tenant, customerId, MAX_ISSUED).stream()
                .filter(o -> o.issuedAt().isAfter(now.minus(ISSUE_WINDOW))).count();
        if (recent >= MAX_ISSUED) {
            throw new ApiException(429, "too_many_otps", "Too many codes",
                    "At most " + MAX_ISSUED + " codes are sent to a customer in " + ISSUE_WINDOW.toMinutes()
                            + " minutes; use the last one or try again later",
                    List.of(), Map.of(), Map.of("Retry-After", Long.toString(ISSUE_WINDOW.toSeconds())));
        }
        var contact = contact(customer, channel);
        String id = Ids.next(Ids.OTP);
        String code = String.format("%06d", random.nextInt(1_000_000));
        var otp = new Otp(id, hash(tenant, customerId, id, code), now, now.plus(VALIDITY), null, null, 0, contact[0], mask(contact));
        repository.putOtp(tenant, customerId, otp);
        var shown = sender.send(tenant, customerId, id, contact[0], contact[1], code);
        return new Issued(id, otp.issuedAt(), otp.expiresAt(), otp.channel(), otp.sentTo(), shown.orElse(null));
    }

    /**
     * The OTP that {@code code} approves a redemption with, to be marked used in the redemption's
     * transaction; null when no code was sent and none is required. 403 otherwise, saying why.
     */
    Otp verify(String tenant, String customerId, String code, boolean required) {
        if (code == null) {
            if (required) {
                throw forbidden("otp_required", "This programme needs a one-time code for redemptions: "
                        + "POST /customers/" + customerId + "/points/otp sends one to the customer");
            }
            return null;
        }
        Instant now = clock.instant();
        var candidates = repository.recentOtps(tenant, customerId, CANDIDATES);
        var live = candidates.stream().filter(o -> o.usedAt() == null && !o.expiredAt(now)).toList();
        // A wrong guess counts on every live code, so each code's count is every guess made while it
        // was live: five wrong guesses lock all of them, whichever code the guesser aims at.
        boolean locked = live.stream().anyMatch(o -> o.failedAttempts() >= MAX_FAILED_ATTEMPTS);
        for (var otp : candidates) {
            if (!MessageDigest.isEqual(otp.codeHash().getBytes(StandardCharsets.US_ASCII),
                    hash(tenant, customerId, otp.id(), code).getBytes(StandardCharsets.US_ASCII))) {
                continue;
            }
            if (otp.usedAt() != null) {
                throw forbidden("otp_used", "This code was used already; send the customer a new one");
            }
            if (otp.expiredAt(now)) {
                throw forbidden("otp_expired", "This code expired; codes are valid " + VALIDITY.toMinutes() + " minutes");
            }
            if (locked) {
                throw locked();
            }
            return otp;
        }
        live.forEach(o -> repository.failedAttempt(tenant, customerId, o.id()));
        if (locked) {
            throw locked();
        }
        throw forbidden("otp_invalid", "The code is not the one sent to the customer");
    }

    private static ApiException locked() {
        return forbidden("otp_invalid", "Too many wrong codes were tried: the customer's codes are locked; "
                + "send a new one once they expire (" + VALIDITY.toMinutes() + " minutes after they were sent)");
    }

    public record Row(String id, Instant issuedAt, Instant expiresAt, Instant usedAt, boolean expired, String redemptionId,
                      int failedAttempts, String channel, String sentTo) {
    }

    /** The codes a customer received, newest first: when, how, whether used or expired; never the code. */
    public Listing<Row> list(String tenant, String customerId, Map<String, String> query) {
        var paging = ListParams.of(query);
        LoyaltyService.existing(repository, tenant, customerId);
        String scope = "points-otps:" + customerId;
        var slice = repository.otps(tenant, customerId, paging.limit(), cursors.after(tenant, scope, paging));
        Instant now = clock.instant();
        var rows = slice.items().stream().map(LoyaltyRepository::otp).map(o -> new Row(o.id(), o.issuedAt(), o.expiresAt(),
                o.usedAt(), o.usedAt() == null && o.expiredAt(now), o.redemptionId(), o.failedAttempts(), o.channel(), o.sentTo()))
                .toList();
        return new Listing<>(rows, cursors.next(tenant, scope, slice));
    }

    /** {channel, address}: the channel asked for, else the phone by SMS, else the email. */
    private static String[] contact(Customer customer, String channel) {
        if (customer.phone() != null && !"email".equals(channel)) {
            return new String[] {"sms", customer.phone()};
        }
        if (customer.email() != null && !"sms".equals(channel)) {
            return new String[] {"email", customer.email()};
        }
        throw new ApiException(409, "no_contact", "No way to send a code",
                "The customer has neither a phone nor an email to send a one-time code to");
    }

    private static String mask(String[] contact) {
        String to = contact[1];
        if ("sms".equals(contact[0])) {
            return "***" + to.substring(Math.max(0, to.length() - 4));
        }
        int at = to.indexOf('@');
        return to.charAt(0) + "***" + to.substring(at);
    }

    private String hash(String tenant, String customerId, String otpId, String code) {
        try {
            var mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return HexFormat.of().formatHex(mac.doFinal((tenant + "\n" + customerId + "\n" + otpId + "\n" + code)
                    .getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ApiException forbidden(String code, String detail) {
        return new ApiException(403, code, "Redemption not approved", detail);
    }
}

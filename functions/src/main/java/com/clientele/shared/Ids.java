package com.clientele.shared;

import com.github.f4b6a3.ulid.UlidCreator;

/**
 * Prefixed, time-ordered ids ({@code cus_01J...}). Generated per request, never at init:
 * SnapStart would otherwise restore the same generator state into many environments.
 */
public final class Ids {

    public static final String CUSTOMER = "cus_";
    public static final String PAYMENT_METHOD = "pm_";
    public static final String PAYMENT = "pay_";
    public static final String REFUND = "re_";
    public static final String DISPUTE = "dp_";
    public static final String EVENT = "evt_";
    public static final String JOB = "job_";
    public static final String LOT = "lot_";
    public static final String REDEMPTION = "rdm_";
    public static final String ADJUSTMENT = "adj_";
    public static final String OTP = "otp_";
    public static final String NOTE = "note_";
    public static final String REFERRAL = "ref_";
    public static final String EXPORT = "exp_";
    public static final String PRODUCT = "prod_";
    public static final String VARIANT = "var_";
    public static final String PRICE = "price_";
    public static final String ORDER = "ord_";
    public static final String SUBSCRIPTION = "sub_";
    public static final String BILLING_GROUP = "bg_";
    public static final String MESSAGE = "msg_";
    public static final String INVOICE = "in_";
    public static final String CREDIT_NOTE = "cn_";
    public static final String CAMPAIGN = "cmp_";
    public static final String COUPON_RUN = "crun_";
    public static final String WEBHOOK_ENDPOINT = "we_";
    public static final String SMART_LIST = "sl_";

    private Ids() {
    }

    public static String next(String prefix) {
        return prefix + UlidCreator.getMonotonicUlid();
    }

    /** Whether a caller-supplied id has the shape of one of ours, before it gets near a key. */
    public static boolean isValid(String prefix, String id) {
        return id != null && id.length() == prefix.length() + 26 && id.startsWith(prefix)
                && id.substring(prefix.length()).chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z'));
    }
}

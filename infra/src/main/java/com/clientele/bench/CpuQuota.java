package com.clientele.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A Linux control group that caps the CPU time of the processes put in it at a share of one CPU,
 * as Lambda caps a function's invocations by its memory (one vCPU at 1,769 MB). Made under the
 * cgroup v2 hierarchy when it delegates the cpu controller, or else under v1's cpu hierarchy; both
 * need root. The quota is counted over 10 ms periods, so that a short request is slowed evenly
 * rather than stopped for most of a long period.
 */
final class CpuQuota implements AutoCloseable {

    /** The memory at which Lambda gives a function one full vCPU. */
    static final int MB_PER_VCPU = 1769;
    private static final long PERIOD_MICROS = 10_000;
    private static final Path ROOT = Path.of("/sys/fs/cgroup");

    private final Path group;
    final double vcpus;

    private CpuQuota(Path group, double vcpus) {
        this.group = group;
        this.vcpus = vcpus;
    }

    /** A group named {@code name} capped at {@code vcpus}; empty where no cpu controller can be written. */
    static Optional<CpuQuota> create(String name, double vcpus) {
        long quota = Math.max(1_000, Math.round(vcpus * PERIOD_MICROS));
        try {
            if (Files.readString(ROOT.resolve("cgroup.subtree_control")).contains("cpu")) {
                Path group = Files.createDirectories(ROOT.resolve(name));
                Files.writeString(group.resolve("cpu.max"), quota + " " + PERIOD_MICROS);
                return Optional.of(new CpuQuota(group, vcpus));
            }
        } catch (IOException | RuntimeException e) {
            // no v2 cpu controller here: try v1's
        }
        try {
            Path v1 = ROOT.resolve("cpu");
            if (Files.isRegularFile(v1.resolve("cpu.cfs_quota_us"))) {
                Path group = Files.createDirectories(v1.resolve(name));
                Files.writeString(group.resolve("cpu.cfs_period_us"), String.valueOf(PERIOD_MICROS));
                Files.writeString(group.resolve("cpu.cfs_quota_us"), String.valueOf(quota));
                return Optional.of(new CpuQuota(group, vcpus));
            }
        } catch (IOException | RuntimeException e) {
            // not root, or no cpu controller at all
        }
        return Optional.empty();
    }

    /** Moves the process, all its threads, into the group. */
    void add(long pid) throws IOException {
        Files.writeString(group.resolve("cgroup.procs"), String.valueOf(pid));
    }

    /** Removes the group (its processes have exited). */
    @Override
    public void close() throws IOException {
        Files.deleteIfExists(group);
    }
}

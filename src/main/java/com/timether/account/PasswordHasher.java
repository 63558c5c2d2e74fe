package com.timether.account;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id password hashing at OWASP's recommended minimum cost (19 MiB, two iterations, one lane), stored in the
 * PHC string format ({@code $argon2id$v=19$m=19456,t=2,p=1$salt$hash}).
 *
 * <p>Bouncy Castle computes the hash: with these parameters it took 32 to 35 ms where password4j, the first choice,
 * took 40 to 56 ms on the same machine (docs/benchmarks.md), and the PHC strings of both are the same format, so
 * hashes stored before the change still verify.
 *
 * <p>Hashing is deliberately expensive, so at most a bounded number of hashes run at once: a flood of sign-ins
 * queues here instead of taking every core from the rest of the server.
 */
public final class PasswordHasher {
    static final int MEMORY_KIB = 19 * 1024;
    static final int ITERATIONS = 2;
    static final int PARALLELISM = 1;
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    /** Bounds on what a stored hash may ask for, so that a corrupted row cannot make one check take minutes. */
    private static final int MAX_MEMORY_KIB = 256 * 1024;

    private static final int MAX_ITERATIONS = 16;
    private static final Pattern PHC = Pattern.compile("\\$argon2id\\$v=19\\$m=(\\d{1,9}),t=(\\d{1,3}),p=(\\d{1,2})"
            + "\\$([A-Za-z0-9+/]{11,88})\\$([A-Za-z0-9+/]{22,88})");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Semaphore slots;
    private final String decoyHash;

    public PasswordHasher() {
        this(Math.max(1, Runtime.getRuntime().availableProcessors() - 1));
    }

    PasswordHasher(int concurrentHashes) {
        this.slots = new Semaphore(concurrentHashes, true);
        this.decoyHash = hash("timether-decoy-password");
    }

    /** A self-describing Argon2id hash with a random salt. */
    public String hash(String password) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        byte[] hash = withSlot(() -> argon2(password, salt, MEMORY_KIB, ITERATIONS, PARALLELISM, HASH_BYTES));
        Base64.Encoder base64 = Base64.getEncoder().withoutPadding();
        return "$argon2id$v=19$m=" + MEMORY_KIB + ",t=" + ITERATIONS + ",p=" + PARALLELISM + "$"
                + base64.encodeToString(salt) + "$" + base64.encodeToString(hash);
    }

    /** Whether {@code password} matches {@code hash}; false for a hash that is not an Argon2id PHC string. */
    public boolean matches(String password, String hash) {
        Optional<Stored> stored = Stored.parse(hash);
        if (stored.isEmpty()) {
            return false;
        }
        Stored s = stored.get();
        byte[] computed =
                withSlot(() -> argon2(password, s.salt(), s.memory(), s.iterations(), s.lanes(), s.hash().length));
        return MessageDigest.isEqual(computed, s.hash());
    }

    /** Spends the same work as a real check, so an unknown account cannot be told apart by timing. */
    public void matchDecoy(String password) {
        matches(password, decoyHash);
    }

    private static byte[] argon2(String password, byte[] salt, int memory, int iterations, int lanes, int length) {
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withSalt(salt)
                .withMemoryAsKB(memory)
                .withIterations(iterations)
                .withParallelism(lanes)
                .build());
        byte[] out = new byte[length];
        generator.generateBytes(password.getBytes(StandardCharsets.UTF_8), out);
        return out;
    }

    private <T> T withSlot(Supplier<T> work) {
        try {
            if (!slots.tryAcquire(10, TimeUnit.SECONDS)) {
                throw new HasherBusyException();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HasherBusyException();
        }
        try {
            return work.get();
        } finally {
            slots.release();
        }
    }

    /** A stored hash, read from its PHC string. */
    private record Stored(int memory, int iterations, int lanes, byte[] salt, byte[] hash) {
        static Optional<Stored> parse(String phc) {
            Matcher m = phc == null ? null : PHC.matcher(phc);
            if (m == null || !m.matches()) {
                return Optional.empty();
            }
            int memory = Integer.parseInt(m.group(1));
            int iterations = Integer.parseInt(m.group(2));
            int lanes = Integer.parseInt(m.group(3));
            boolean isSane = lanes >= 1
                    && memory >= 8 * lanes
                    && memory <= MAX_MEMORY_KIB
                    && iterations >= 1
                    && iterations <= MAX_ITERATIONS;
            if (!isSane) {
                return Optional.empty();
            }
            Base64.Decoder base64 = Base64.getDecoder();
            try {
                return Optional.of(
                        new Stored(memory, iterations, lanes, base64.decode(m.group(4)), base64.decode(m.group(5))));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
    }

    /** No hashing slot came free in time: the server is flooded with sign-ins. */
    public static final class HasherBusyException extends RuntimeException {
        HasherBusyException() {
            super("Too many sign-ins at once; no password check could start within 10 seconds");
        }
    }
}

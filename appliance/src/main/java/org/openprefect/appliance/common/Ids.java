package org.openprefect.appliance.common;

import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** Ids as upstream makes them: time-ordered UUIDv7 for runs, states and logs; random v4 elsewhere. */
public final class Ids {

    private Ids() {
    }

    public static UUID v4() {
        return UUID.randomUUID();
    }

    /**
     * RFC 9562 version 7: 48 bits of Unix milliseconds, then random bits. The random bits come from
     * {@link ThreadLocalRandom}: these ids order and identify rows, they guard nothing, and one
     * shared SecureRandom made every thread writing rows wait on its lock.
     */
    public static UUID v7() {
        return v7(Instant.now());
    }

    public static UUID v7(Instant at) {
        long millis = at.toEpochMilli();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long randA = random.nextInt(1 << 12);
        long msb = (millis << 16) | (0x7L << 12) | randA;
        long lsb = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb);
    }

    /** Parses a UUID string, or returns null when it is not one. */
    public static UUID parseOrNull(String text) {
        if (text == null || text.length() != 36) {
            return null;
        }
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}

package org.openprefect.appliance.common;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.UUID;

/** Ids as upstream makes them: time-ordered UUIDv7 for runs, states and logs; random v4 elsewhere. */
public final class Ids {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {
    }

    public static UUID v4() {
        return UUID.randomUUID();
    }

    /** RFC 9562 version 7: 48 bits of Unix milliseconds, then random bits. */
    public static UUID v7() {
        return v7(Instant.now());
    }

    public static UUID v7(Instant at) {
        long millis = at.toEpochMilli();
        long randA = RANDOM.nextInt(1 << 12);
        long msb = (millis << 16) | (0x7L << 12) | randA;
        long lsb = (RANDOM.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
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

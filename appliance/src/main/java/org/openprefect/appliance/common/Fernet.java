package org.openprefect.appliance.common;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Fernet tokens (the {@code cryptography} package's format, which upstream encrypts block data
 * with): version byte 0x80, timestamp, IV, AES-128-CBC ciphertext, HMAC-SHA256, url-safe base64.
 * The same key reads upstream's tokens and upstream reads ours.
 */
public final class Fernet {
    private static final byte VERSION = (byte) 0x80;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec signingKey;
    private final SecretKeySpec encryptionKey;

    /** @param key 32 bytes in url-safe base64, as {@code Fernet.generate_key()} makes them */
    public Fernet(String key) {
        byte[] raw = Base64.getUrlDecoder().decode(key.trim());
        if (raw.length != 32) {
            throw new IllegalArgumentException("a Fernet key is 32 url-safe base64-encoded bytes");
        }
        this.signingKey = new SecretKeySpec(Arrays.copyOfRange(raw, 0, 16), "HmacSHA256");
        this.encryptionKey = new SecretKeySpec(Arrays.copyOfRange(raw, 16, 32), "AES");
    }

    public static String generateKey() {
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        return Base64.getUrlEncoder().encodeToString(raw);
    }

    public String encrypt(byte[] plain) {
        byte[] iv = new byte[16];
        RANDOM.nextBytes(iv);
        try {
            Cipher aes = Cipher.getInstance("AES/CBC/PKCS5Padding");
            aes.init(Cipher.ENCRYPT_MODE, encryptionKey, new IvParameterSpec(iv));
            byte[] ciphertext = aes.doFinal(plain);
            ByteBuffer token = ByteBuffer.allocate(1 + 8 + 16 + ciphertext.length + 32);
            token.put(VERSION).putLong(System.currentTimeMillis() / 1000).put(iv).put(ciphertext);
            token.put(hmac(Arrays.copyOf(token.array(), token.position())));
            return Base64.getUrlEncoder().encodeToString(token.array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES and HMAC-SHA256 are in every JDK", e);
        }
    }

    public String encrypt(String plain) {
        return encrypt(plain.getBytes(StandardCharsets.UTF_8));
    }

    /** The plaintext of a token made with this key; an {@link IllegalArgumentException} for a forged or foreign one. */
    public byte[] decrypt(String token) {
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(token.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a Fernet token", e);
        }
        if (raw.length < 1 + 8 + 16 + 16 + 32 || raw[0] != VERSION) {
            throw new IllegalArgumentException("not a Fernet token");
        }
        byte[] signed = Arrays.copyOf(raw, raw.length - 32);
        if (!MessageDigest.isEqual(hmac(signed), Arrays.copyOfRange(raw, raw.length - 32, raw.length))) {
            throw new IllegalArgumentException("the token was not made with this key");
        }
        try {
            Cipher aes = Cipher.getInstance("AES/CBC/PKCS5Padding");
            aes.init(Cipher.DECRYPT_MODE, encryptionKey, new IvParameterSpec(raw, 9, 16));
            return aes.doFinal(raw, 25, raw.length - 25 - 32);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the token does not decrypt", e);
        }
    }

    private byte[] hmac(byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(signingKey);
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is in every JDK", e);
        }
    }
}

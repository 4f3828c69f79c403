package io.logexaminer.registry;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** Content digests ({@code sha256:HEX}, {@code sha512:HEX}) and a stream that checks one as it is read. */
public final class Digests {
    private static final Pattern DIGEST = Pattern.compile("(sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})");

    private Digests() {
    }

    public static boolean valid(String digest) {
        return digest != null && DIGEST.matcher(digest).matches();
    }

    public static String sha256(byte[] bytes) {
        return of("sha256:", bytes);
    }

    /** The digest of {@code bytes} in the algorithm of {@code expected}. */
    public static String of(String expected, byte[] bytes) {
        return algorithm(expected) + HexFormat.of().formatHex(messageDigest(expected).digest(bytes));
    }

    /** The algorithm part of a digest with its colon, such as {@code sha256:}. */
    private static String algorithm(String digest) {
        return digest.substring(0, digest.indexOf(':') + 1);
    }

    static MessageDigest messageDigest(String digest) {
        try {
            return MessageDigest.getInstance(digest.startsWith("sha512:") ? "SHA-512" : "SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Why content of {@code count} bytes hashed into {@code hash} is not the blob {@code digest} of {@code size} bytes; null if it is. */
    static IOException mismatch(String digest, long size, long count, MessageDigest hash) {
        if (count != size) {
            return new IOException("blob " + digest + " ended after " + count + " of " + size + " bytes");
        }
        String actual = algorithm(digest) + HexFormat.of().formatHex(hash.digest());
        return actual.equals(digest) ? null : new IOException("blob content has digest " + actual + ", not " + digest);
    }

    /**
     * Passes bytes through, hashing and counting them, and fails the read that reaches the end when the content is
     * not {@code size} bytes with {@code digest}.
     */
    static final class Verifying extends FilterInputStream {
        private final String digest;
        private final long size;
        private final MessageDigest hash;
        private long count;
        private boolean verified;

        Verifying(InputStream in, String digest, long size) {
            super(in);
            this.digest = digest;
            this.size = size;
            this.hash = messageDigest(digest);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n < 0) {
                verify();
                return -1;
            }
            hash.update(b, off, n);
            count += n;
            if (count > size) {
                throw new IOException("blob " + digest + " is longer than its " + size + " bytes");
            }
            if (count == size) {
                verify();
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            throw new IOException("a verified stream is read whole");
        }

        private void verify() throws IOException {
            if (verified) {
                return;
            }
            IOException wrong = mismatch(digest, size, count, hash);
            if (wrong != null) {
                throw wrong;
            }
            verified = true;
        }
    }
}

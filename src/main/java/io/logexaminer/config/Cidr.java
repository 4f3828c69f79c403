package io.logexaminer.config;

import java.util.Optional;

/** An IPv4 CIDR block such as {@code 10.0.0.0/16}: the only address family the platform's VPC uses. */
public record Cidr(long base, int prefixLength) {

    /** Parses {@code a.b.c.d/n}; empty when the text is not an IPv4 CIDR. Host bits may be set; see {@link #isNormalized()}. */
    public static Optional<Cidr> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        int slash = text.indexOf('/');
        if (slash < 0) {
            return Optional.empty();
        }
        String[] octets = text.substring(0, slash).split("\\.", -1);
        if (octets.length != 4) {
            return Optional.empty();
        }
        long address = 0;
        for (String octet : octets) {
            if (octet.isEmpty() || octet.length() > 3 || !octet.chars().allMatch(Character::isDigit)) {
                return Optional.empty();
            }
            int value = Integer.parseInt(octet);
            if (value > 255) {
                return Optional.empty();
            }
            address = (address << 8) | value;
        }
        String prefix = text.substring(slash + 1);
        if (prefix.isEmpty() || prefix.length() > 2 || !prefix.chars().allMatch(Character::isDigit)) {
            return Optional.empty();
        }
        int length = Integer.parseInt(prefix);
        if (length > 32) {
            return Optional.empty();
        }
        return Optional.of(new Cidr(address, length));
    }

    private long mask() {
        return prefixLength == 0 ? 0 : (0xFFFFFFFFL << (32 - prefixLength)) & 0xFFFFFFFFL;
    }

    public long network() {
        return base & mask();
    }

    public long size() {
        return 1L << (32 - prefixLength);
    }

    /** True when no host bit is set: {@code 10.0.0.0/16}, not {@code 10.0.1.0/16}. */
    public boolean isNormalized() {
        return network() == base;
    }

    public Cidr normalized() {
        return new Cidr(network(), prefixLength);
    }

    public boolean contains(Cidr other) {
        return other.prefixLength >= prefixLength && (other.network() & mask()) == network();
    }

    public boolean overlaps(Cidr other) {
        return contains(other) || other.contains(this);
    }

    /** The {@code index}-th block when this one is cut into {@code 2^extraBits} equal blocks. */
    public Cidr subdivide(int extraBits, int index) {
        int length = prefixLength + extraBits;
        return new Cidr(network() + (long) index * (1L << (32 - length)), length);
    }

    @Override
    public String toString() {
        return ((base >> 24) & 255) + "." + ((base >> 16) & 255) + "." + ((base >> 8) & 255) + "." + (base & 255)
                + "/" + prefixLength;
    }
}

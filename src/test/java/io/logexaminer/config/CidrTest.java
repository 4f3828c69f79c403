package io.logexaminer.config;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CidrTest {
    private static Cidr cidr(String text) {
        return Cidr.parse(text).orElseThrow();
    }

    @Test
    void parsesOnlyIpv4Cidrs() {
        assertTrue(Cidr.parse("10.0.0.0/16").isPresent());
        assertFalse(Cidr.parse("10.0.0.0").isPresent());
        assertFalse(Cidr.parse("10.0.0.256/16").isPresent());
        assertFalse(Cidr.parse("10.0.0/16").isPresent());
        assertFalse(Cidr.parse("10.0.0.0/33").isPresent());
        assertFalse(Cidr.parse("fd00::/8").isPresent());
    }

    @Test
    void containmentAndOverlap() {
        assertTrue(cidr("10.0.0.0/16").contains(cidr("10.0.255.0/24")));
        assertFalse(cidr("10.0.0.0/16").contains(cidr("10.1.0.0/24")));
        assertTrue(cidr("10.0.0.0/24").overlaps(cidr("10.0.0.128/25")));
        assertFalse(cidr("10.0.0.0/25").overlaps(cidr("10.0.0.128/25")));
    }

    @Test
    void hostBitsAreDetected() {
        assertFalse(cidr("10.0.1.0/16").isNormalized());
        assertEquals("10.0.0.0/16", cidr("10.0.1.0/16").normalized().toString());
    }

    @Test
    void subdivideCutsEqualBlocks() {
        assertEquals("10.0.16.0/20", cidr("10.0.0.0/16").subdivide(4, 1).toString());
        assertEquals("10.0.192.0/18", cidr("10.0.0.0/16").subdivide(2, 3).toString());
    }
}

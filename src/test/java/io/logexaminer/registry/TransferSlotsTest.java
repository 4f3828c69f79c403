package io.logexaminer.registry;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TransferSlotsTest {

    @Test
    void aFreedSlotGoesToTheLargestBlobWaiting() throws Exception {
        TransferSlots slots = new TransferSlots(1);
        slots.acquire(10);
        List<Long> order = new CopyOnWriteArrayList<>();
        List<Thread> waiters = new ArrayList<>();
        for (long size : new long[] {5, 300, 40}) {
            Thread t = Thread.ofVirtual().start(() -> {
                try {
                    slots.acquire(size);
                    order.add(size);
                    slots.release();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            waiters.add(t);
            // Each waiter queues before the next one starts, so arrival order differs from size order.
            while (t.getState() != Thread.State.WAITING) {
                Thread.onSpinWait();
            }
        }
        slots.release();
        for (Thread t : waiters) {
            assertTrue(t.join(Duration.ofSeconds(10)));
        }
        assertEquals(List.of(300L, 40L, 5L), order);
    }

    @Test
    void anInterruptedWaiterGivesUpItsPlace() throws Exception {
        TransferSlots slots = new TransferSlots(1);
        slots.acquire(1);
        Thread big = Thread.ofVirtual().start(() -> {
            try {
                slots.acquire(1000);
            } catch (InterruptedException expected) {
                Thread.currentThread().interrupt();
            }
        });
        while (big.getState() != Thread.State.WAITING) {
            Thread.onSpinWait();
        }
        big.interrupt();
        assertTrue(big.join(Duration.ofSeconds(10)));
        slots.release();
        Thread small = Thread.ofVirtual().start(() -> {
            try {
                slots.acquire(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertTrue(small.join(Duration.ofSeconds(10)), "the slot went to the waiter that left");
    }
}

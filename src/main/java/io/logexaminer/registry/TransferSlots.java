package io.logexaminer.registry;

import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * At most {@code slots} blob transfers at once, a freed slot going to the largest blob waiting: the longest
 * transfers start first, so the run does not end on one big blob started last.
 */
final class TransferSlots {
    private static final class Waiter {
        final long size;
        final long arrival;
        final Condition turn;
        boolean granted;

        Waiter(long size, long arrival, Condition turn) {
            this.size = size;
            this.arrival = arrival;
            this.turn = turn;
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final PriorityQueue<Waiter> waiting = new PriorityQueue<>(
            Comparator.comparingLong((Waiter w) -> -w.size).thenComparingLong(w -> w.arrival));
    private int free;
    private long arrivals;

    TransferSlots(int slots) {
        this.free = slots;
    }

    void acquire(long size) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            if (free > 0 && waiting.isEmpty()) {
                free--;
                return;
            }
            Waiter me = new Waiter(size, arrivals++, lock.newCondition());
            waiting.add(me);
            try {
                while (!me.granted) {
                    me.turn.await();
                }
            } catch (InterruptedException e) {
                if (me.granted) {
                    release();
                } else {
                    waiting.remove(me);
                }
                throw e;
            }
        } finally {
            lock.unlock();
        }
    }

    void release() {
        lock.lock();
        try {
            Waiter next = waiting.poll();
            if (next == null) {
                free++;
            } else {
                next.granted = true;
                next.turn.signal();
            }
        } finally {
            lock.unlock();
        }
    }
}

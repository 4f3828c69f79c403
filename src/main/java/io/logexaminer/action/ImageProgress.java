package io.logexaminer.action;

import io.logexaminer.output.Sizes;
import io.logexaminer.plan.ProgressListener;
import io.logexaminer.plan.Resource;
import io.logexaminer.registry.ImageCopier;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** Turns one image's copy news into progress messages (a bar, bytes, blobs done), at most one per interval. */
final class ImageProgress implements ImageCopier.Progress {
    private final Resource resource;
    private final ProgressListener listener;
    private final long intervalNanos;
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicInteger blobsDone = new AtomicInteger();
    private volatile int blobs;
    private volatile long total;
    private final AtomicLong lastReport = new AtomicLong(System.nanoTime());

    ImageProgress(Resource resource, ProgressListener listener, Duration interval) {
        this.resource = resource;
        this.listener = listener;
        this.intervalNanos = interval.toNanos();
    }

    @Override
    public void planned(int blobs, long bytes) {
        this.blobs = blobs;
        this.total = bytes;
        listener.message(resource, blobs + " blobs, " + Sizes.format(bytes));
    }

    @Override
    public void blobDone(long untransferred) {
        blobsDone.incrementAndGet();
        bytes.addAndGet(untransferred);
        report();
    }

    @Override
    public void transferred(long n) {
        bytes.addAndGet(n);
        report();
    }

    private void report() {
        long now = System.nanoTime();
        long last = lastReport.get();
        if (now - last >= intervalNanos && lastReport.compareAndSet(last, now)) {
            long done = bytes.get();
            listener.message(resource, Sizes.bar(done, total, 20) + " " + Sizes.format(done) + " / " + Sizes.format(total)
                    + ", " + blobsDone.get() + "/" + blobs + " blobs");
        }
    }
}

package io.logexaminer.registry;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * Connects a blob download to its upload without a thread in between: the download's body is subscribed here and
 * the upload's body publisher subscribes here, and buffers pass straight through, one download read at a time, as
 * fast as the upload takes them (so memory stays flat whatever the blob's size). Each buffer is hashed on the way;
 * the last bytes wait for the check, and if the content is not {@code size} bytes with the expected digest the
 * upload's body fails before it is complete, so the registry never commits it.
 */
final class BlobPipe implements HttpResponse.BodySubscriber<Void>, Flow.Publisher<ByteBuffer> {
    private final String digest;
    private final long size;
    private final MessageDigest hash;
    private final LongConsumer progress;
    private final ConcurrentLinkedQueue<ByteBuffer> queue = new ConcurrentLinkedQueue<>();
    private final AtomicLong demand = new AtomicLong();
    private final AtomicInteger work = new AtomicInteger();
    private final AtomicBoolean requested = new AtomicBoolean();
    private volatile Flow.Subscription upstream;
    private volatile Flow.Subscriber<? super ByteBuffer> downstream;
    private volatile boolean upstreamDone;
    private volatile Throwable failure;
    private volatile boolean cancelled;
    private boolean terminated;
    private long count;
    /** Bytes handed to the upload so far; touched only inside {@link #drain}. */
    private long forwarded;

    BlobPipe(Descriptor blob, LongConsumer progress) {
        this.digest = blob.digest();
        this.size = blob.size();
        this.hash = Digests.messageDigest(blob.digest());
        this.progress = progress;
    }

    // ---- the download's side ----

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        upstream = subscription;
        drain();
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
        long n = 0;
        for (ByteBuffer b : buffers) {
            hash.update(b.duplicate());
            n += b.remaining();
            queue.add(b);
        }
        count += n;
        if (count > size) {
            failure = new IOException("blob " + digest + " is longer than its " + size + " bytes");
            upstreamDone = true;
            upstream.cancel();
        }
        progress.accept(n);
        requested.set(false);
        drain();
    }

    @Override
    public void onError(Throwable t) {
        failure = t instanceof IOException ? t : new IOException(t.getMessage(), t);
        upstreamDone = true;
        drain();
    }

    @Override
    public void onComplete() {
        if (failure == null) {
            failure = Digests.mismatch(digest, size, count, hash);
        }
        upstreamDone = true;
        drain();
    }

    /** Complete at once: the body flows on into the upload after the download's headers are in. */
    @Override
    public CompletionStage<Void> getBody() {
        return CompletableFuture.completedFuture(null);
    }

    // ---- the upload's side ----

    @Override
    public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
        if (downstream != null) {
            subscriber.onSubscribe(new Flow.Subscription() {
                @Override
                public void request(long n) {
                }

                @Override
                public void cancel() {
                }
            });
            subscriber.onError(new IllegalStateException("a blob stream is read once"));
            return;
        }
        downstream = subscriber;
        subscriber.onSubscribe(new Flow.Subscription() {
            @Override
            public void request(long n) {
                if (n > 0) {
                    demand.accumulateAndGet(n, (a, b) -> a + b < 0 ? Long.MAX_VALUE : a + b);
                }
                drain();
            }

            @Override
            public void cancel() {
                abort();
            }
        });
        drain();
    }

    /** Stops the download when the upload will not take (the rest of) it. */
    void abort() {
        cancelled = true;
        drain();
    }

    /** Moves buffers while the upload wants them; one thread at a time, whoever signalled last finishes the work. */
    private void drain() {
        if (work.getAndIncrement() != 0) {
            return;
        }
        do {
            if (cancelled) {
                Flow.Subscription s = upstream;
                if (s != null && !upstreamDone) {
                    s.cancel();
                }
                queue.clear();
                terminated = true;
                continue;
            }
            Flow.Subscriber<? super ByteBuffer> d = downstream;
            if (d == null || terminated) {
                continue;
            }
            if (upstreamDone && failure != null) {
                queue.clear();
                terminated = true;
                d.onError(failure);
                continue;
            }
            boolean heldBack = false;
            while (demand.get() > 0 && !queue.isEmpty()) {
                // The blob's last bytes go only once its digest is checked: bad content never reaches a complete request.
                if (!upstreamDone && forwarded + queue.peek().remaining() >= size) {
                    heldBack = true;
                    break;
                }
                ByteBuffer next = queue.poll();
                forwarded += next.remaining();
                demand.decrementAndGet();
                d.onNext(next);
            }
            if (queue.isEmpty() && upstreamDone) {
                terminated = true;
                d.onComplete();
            } else if ((queue.isEmpty() || heldBack) && !upstreamDone && demand.get() > 0 && upstream != null
                    && requested.compareAndSet(false, true)) {
                upstream.request(1);
            }
        } while (work.decrementAndGet() != 0);
    }
}

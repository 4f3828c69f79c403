package io.logexaminer.output;

import io.logexaminer.plan.Action;
import io.logexaminer.plan.ProgressListener;
import io.logexaminer.plan.Resource;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Progress on stderr. On a terminal: finished resources scroll by as lines, and the running ones stay in a block
 * at the bottom that is redrawn in place with their elapsed time and latest news. Elsewhere (CI, files): one
 * timestamped line per event.
 */
public abstract sealed class ProgressView implements ProgressListener, AutoCloseable {

    public static ProgressView create(Output out) {
        return out.interactive() ? new Live(out) : new Lines(out, Clock.systemDefaultZone());
    }

    /** How often a running step may report news: often where it is redrawn in place, seldom where each is a line. */
    public static Duration newsInterval(Output out) {
        return out.interactive() ? Duration.ofMillis(200) : Duration.ofSeconds(10);
    }

    static String outcomeWord(Outcome outcome) {
        return switch (outcome) {
            case SUCCEEDED -> "done";
            case FAILED -> "FAILED";
            case SKIPPED -> "skipped";
            case CANCELLED -> "cancelled";
        };
    }

    static String elapsed(Duration d) {
        long s = d.toSeconds();
        return s < 60 ? s + "s" : (s / 60) + "m" + String.format("%02d", s % 60) + "s";
    }

    @Override
    public void close() {
    }

    /** Plain lines, for logs: {@code 12:01:33 vpc: create started}. */
    static final class Lines extends ProgressView {
        private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
        private final PrintStream err;
        private final Clock clock;

        Lines(Output out, Clock clock) {
            this.err = out.log();
            this.clock = clock;
        }

        private synchronized void line(String text) {
            err.println(LocalTime.now(clock).format(TIME) + " " + text);
        }

        @Override
        public void started(Resource resource, Action action) {
            line(resource.id() + ": " + action.spelling() + " started");
        }

        @Override
        public void message(Resource resource, String message) {
            line(resource.id() + ": " + message);
        }

        @Override
        public void finished(Resource resource, Action action, Outcome outcome, Duration took, String detail) {
            if (outcome == Outcome.SKIPPED) {
                return;
            }
            line(resource.id() + ": " + action.spelling() + " " + outcomeWord(outcome) + " in " + elapsed(took)
                    + (detail == null ? "" : ": " + detail));
        }
    }

    static final class Live extends ProgressView {
        private record Running(Action action, long startNanos, String news) {
        }

        private final Output out;
        private final PrintStream err;
        private final Map<String, Running> running = new LinkedHashMap<>();
        private final ScheduledExecutorService ticker;
        private int drawnLines;
        private int done;
        private int failed;

        Live(Output out) {
            this.out = out;
            this.err = out.log();
            this.ticker = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().factory());
            ticker.scheduleAtFixedRate(this::redraw, 1, 1, TimeUnit.SECONDS);
        }

        @Override
        public synchronized void started(Resource resource, Action action) {
            running.put(resource.id(), new Running(action, System.nanoTime(), ""));
            redraw();
        }

        @Override
        public synchronized void message(Resource resource, String message) {
            running.computeIfPresent(resource.id(), (id, r) -> new Running(r.action(), r.startNanos(), message));
            redraw();
        }

        @Override
        public synchronized void finished(Resource resource, Action action, Outcome outcome, Duration took, String detail) {
            running.remove(resource.id());
            if (outcome == Outcome.SKIPPED) {
                return;
            }
            clear();
            if (outcome == Outcome.SUCCEEDED) {
                done++;
            } else {
                failed++;
            }
            String mark = switch (outcome) {
                case SUCCEEDED -> out.paint("✓", Output.Style.GREEN);
                case FAILED -> out.paint("✗", Output.Style.RED);
                default -> out.paint("•", Output.Style.YELLOW);
            };
            err.println(mark + " " + resource.id() + " " + out.paint(action.spelling() + " " + outcomeWord(outcome) + " in "
                    + elapsed(took), Output.Style.DIM) + (detail == null ? "" : ": " + detail));
            draw();
        }

        private synchronized void redraw() {
            clear();
            draw();
        }

        private void clear() {
            for (int i = 0; i < drawnLines; i++) {
                err.print("\u001b[1A\u001b[2K");
            }
            drawnLines = 0;
        }

        private void draw() {
            if (running.isEmpty()) {
                err.flush();
                return;
            }
            long now = System.nanoTime();
            err.println(out.paint(running.size() + " running, " + done + " done" + (failed > 0 ? ", " + failed + " failed" : ""),
                    Output.Style.BOLD));
            drawnLines = 1;
            for (Map.Entry<String, Running> e : running.entrySet()) {
                Running r = e.getValue();
                String took = elapsed(Duration.ofNanos(now - r.startNanos()));
                err.println("  " + out.paint("⠿", Output.Style.CYAN) + " " + e.getKey() + " " + out.paint(r.action().spelling()
                        + " " + took, Output.Style.DIM) + (r.news().isEmpty() ? "" : " " + r.news()));
                drawnLines++;
            }
            err.flush();
        }

        @Override
        public synchronized void close() {
            ticker.shutdownNow();
            clear();
            err.flush();
        }
    }
}

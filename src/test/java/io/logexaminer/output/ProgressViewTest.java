package io.logexaminer.output;

import io.logexaminer.plan.Action;
import io.logexaminer.plan.Cancellation;
import io.logexaminer.plan.ProgressListener.Outcome;
import io.logexaminer.plan.Resource;
import io.logexaminer.plan.ResourceSpec;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProgressViewTest {
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final Resource vpc = new Resource("vpc", List.of(), new ResourceSpec.Vpc("10.0.0.0/16"));

    private Output output(boolean interactive) {
        Io io = new Io(new ByteArrayInputStream(new byte[0]), new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of(), interactive, new Cancellation());
        return new Output(io, OutputFormat.text, false, 0);
    }

    @Test
    void withoutATerminalEveryEventIsOneTimestampedLine() {
        try (ProgressView view = ProgressView.create(output(false))) {
            view.started(vpc, Action.CREATE);
            view.message(vpc, "waiting for available");
            view.finished(vpc, Action.CREATE, Outcome.SUCCEEDED, Duration.ofSeconds(75), null);
        }
        List<String> lines = err.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(3, lines.size(), lines::toString);
        assertTrue(lines.get(0).matches("\\d\\d:\\d\\d:\\d\\d vpc: create started"), lines.get(0));
        assertTrue(lines.get(1).endsWith(" vpc: waiting for available"), lines.get(1));
        assertTrue(lines.get(2).endsWith(" vpc: create done in 1m15s"), lines.get(2));
        assertFalse(err.toString(StandardCharsets.UTF_8).contains("\u001b["));
    }

    @Test
    void onATerminalRunningResourcesAreRedrawnAndFinishedOnesStay() {
        try (ProgressView view = ProgressView.create(output(true))) {
            view.started(vpc, Action.CREATE);
            view.message(vpc, "waiting for available");
            view.finished(vpc, Action.CREATE, Outcome.FAILED, Duration.ofSeconds(3), "AccessDenied: ec2:CreateVpc");
        }
        String text = err.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("1 running, 0 done"), text);
        assertTrue(text.contains("vpc create 0s waiting for available"), text);
        assertTrue(text.contains("\u001b[1A\u001b[2K"), "the running block is erased before it is redrawn");
        assertTrue(text.contains("✗ vpc create FAILED in 3s: AccessDenied: ec2:CreateVpc"), text);
    }
}

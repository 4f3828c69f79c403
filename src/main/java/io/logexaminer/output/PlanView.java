package io.logexaminer.output;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logexaminer.plan.Action;
import io.logexaminer.plan.Plan;

import java.io.PrintStream;
import java.util.Map;

/**
 * A plan for people (one line per resource, in the order it will be done) or for programs: the JSON document
 * {@code {"platform", "resources": [{"id", "type", "action", "dependsOn"}], "summary"}} that every up and down prints.
 */
public final class PlanView {
    private PlanView() {
    }

    public static ObjectNode json(Plan plan) {
        ObjectNode doc = Output.object();
        doc.put("platform", plan.platform());
        ArrayNode resources = doc.putArray("resources");
        for (Plan.Change c : plan.changes()) {
            ObjectNode r = resources.addObject();
            r.put("id", c.resource().id());
            r.put("type", c.resource().type());
            r.put("action", c.action().spelling());
            ArrayNode deps = r.putArray("dependsOn");
            c.resource().dependsOn().forEach(deps::add);
            if (!c.details().isEmpty()) {
                ArrayNode details = r.putArray("details");
                c.details().forEach(details::add);
            }
        }
        ObjectNode summary = doc.putObject("summary");
        plan.summary().forEach((action, count) -> summary.put(action.spelling(), count));
        return doc;
    }

    public static void print(Output out, Plan plan) {
        if (out.json()) {
            out.printJson(json(plan));
            return;
        }
        PrintStream data = out.data();
        int idWidth = plan.changes().stream().mapToInt(c -> c.resource().id().length()).max().orElse(0);
        for (Plan.Change c : plan.changes()) {
            String action = String.format("%s %-6s", symbol(c.action()), c.action().spelling());
            data.printf("%s  %-" + idWidth + "s  %s%n", out.paint(action, style(c.action())), c.resource().id(),
                    out.paint(c.resource().type(), Output.Style.DIM));
            if (out.verbosity() > 0 && !c.resource().dependsOn().isEmpty()) {
                data.println("            after " + String.join(", ", c.resource().dependsOn()));
            }
            for (String detail : c.details()) {
                data.println("            " + detail);
            }
        }
        data.println(summaryLine(plan));
    }

    public static String summaryLine(Plan plan) {
        Map<Action, Integer> s = plan.summary();
        return "Plan: " + s.get(Action.CREATE) + " to create, " + s.get(Action.UPDATE) + " to update, "
                + s.get(Action.DELETE) + " to delete, " + s.get(Action.NOOP) + " unchanged.";
    }

    private static String symbol(Action action) {
        return switch (action) {
            case CREATE -> "+";
            case UPDATE -> "~";
            case DELETE -> "-";
            case NOOP -> "=";
        };
    }

    private static Output.Style style(Action action) {
        return switch (action) {
            case CREATE -> Output.Style.GREEN;
            case UPDATE -> Output.Style.YELLOW;
            case DELETE -> Output.Style.RED;
            case NOOP -> Output.Style.DIM;
        };
    }
}

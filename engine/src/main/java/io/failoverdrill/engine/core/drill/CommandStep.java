package io.failoverdrill.engine.core.drill;

import io.failoverdrill.schemas.decision.Command;
import io.failoverdrill.schemas.event.AckEvent;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A group of commands issued together that must all be acknowledged before the drill moves on. Clean when every
 * command is acked {@code applied}; failed as soon as one is {@code rejected}.
 */
final class CommandStep {
    private final Map<String, Command> commands = new LinkedHashMap<>();
    private final Map<String, AckEvent> acks = new LinkedHashMap<>();

    void add(Command c) {
        commands.put(c.commandId(), c);
    }

    boolean contains(String commandId) {
        return commands.containsKey(commandId);
    }

    /** Records the first ack for each command; later acks of the same command change nothing. */
    void ack(AckEvent a) {
        if (commands.containsKey(a.commandId())) {
            acks.putIfAbsent(a.commandId(), a);
        }
    }

    boolean isEmpty() {
        return commands.isEmpty();
    }

    boolean allApplied() {
        return acks.size() == commands.size() && acks.values().stream().allMatch(AckEvent::applied);
    }

    List<Command> rejected() {
        List<Command> out = new ArrayList<>();
        acks.values().stream().filter(a -> !a.applied()).forEach(a -> out.add(commands.get(a.commandId())));
        return out;
    }

    /** Event time of the last ack, or {@code Long.MIN_VALUE}. */
    long lastAckMs() {
        return acks.values().stream().mapToLong(AckEvent::tsMs).max().orElse(Long.MIN_VALUE);
    }

    Iterable<Command> commands() {
        return commands.values();
    }

    /** Evidence: per command type, its id prefix and ack status. */
    Map<String, Object> evidence() {
        Map<String, Object> m = new TreeMap<>();
        for (Command c : commands.values()) {
            AckEvent a = acks.get(c.commandId());
            Map<String, Object> e = new TreeMap<>();
            e.put("seq", c.seq());
            e.put("ack", a == null ? "missing" : a.status());
            if (a != null) {
                e.put("ack_after_ms", a.tsMs() - c.tsMs());
                e.put("acked_by", a.observer());
            }
            m.put(c.type(), e);
        }
        return m;
    }
}

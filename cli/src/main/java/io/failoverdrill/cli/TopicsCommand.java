package io.failoverdrill.cli;

import io.failoverdrill.engine.kafka.TopicProvisioner;
import io.failoverdrill.engine.kafka.Topics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code drill topics apply}: the one explicit provisioning step, run by an admin principal — prints the layout
 * (partitions, cleanup policy, retention) and creates what is missing; existing topics that do not fit (too few
 * partitions, wrong cleanup policy) are named and the command exits 2; on existing topics it sets the layout's other
 * configs where the topic has no value of its own (and names those it keeps). {@code --dry-run} only prints.
 */
@Command(name = "topics", mixinStandardHelpOptions = true,
        description = "Print the topic layout and create the missing topics (run once, by an admin principal).")
final class TopicsCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "apply", description = "the action (apply)")
    String action;

    @Option(names = "--replication-factor", defaultValue = "3", description = "for topics it creates (default: ${DEFAULT-VALUE})")
    short replicationFactor;

    @Option(names = "--dry-run", description = "print the layout only")
    boolean dryRun;

    @Mixin
    KafkaOptions kafka;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (!action.equals("apply")) {
            spec.commandLine().getErr().println("drill topics: unknown action '" + action + "' (known: apply)");
            return DrillCli.USAGE;
        }
        PrintWriter out = spec.commandLine().getOut();
        Topics topics = kafka.topics();
        List<TopicProvisioner.TopicSpec> specs = TopicProvisioner.specs(topics);
        for (TopicProvisioner.TopicSpec t : specs) {
            out.printf("topic    %-28s partitions %-2d %s%n", t.name(), t.partitions(), configs(t));
        }
        if (dryRun) {
            out.flush();
            return DrillCli.OK;
        }
        TopicProvisioner.Applied applied = TopicProvisioner.apply(kafka.reachableClient(), topics, replicationFactor);
        List<String> created = applied.created();
        applied.set().forEach(s -> out.println("config   set " + s));
        applied.kept().forEach(k -> out.println("config   kept " + k + ": set on the topic, so left as it is"));
        out.println("topics   " + created.size() + " created" + (created.isEmpty() ? "" : " " + created) + ", "
                + (specs.size() - created.size()) + " already there and fit; replication factor of new topics "
                + replicationFactor);
        out.flush();
        return DrillCli.OK;
    }

    private static String configs(TopicProvisioner.TopicSpec t) {
        StringBuilder b = new StringBuilder();
        t.configs().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey()).forEach(e -> {
            String v = e.getValue();
            if (e.getKey().endsWith(".ms")) {
                long ms = Long.parseLong(v);
                v = ms == -1 ? "forever" : ms % 86_400_000L == 0 ? ms / 86_400_000L + " d"
                        : ms % 3_600_000L == 0 ? ms / 3_600_000L + " h" : ms + " ms";
            } else if (e.getKey().endsWith(".bytes")) {
                v = Long.parseLong(v) / (1024 * 1024) + " MiB";
            }
            b.append(b.length() == 0 ? "" : ", ").append(e.getKey().replace(".ms", "")).append(' ').append(v);
        });
        return b.toString();
    }
}

package io.failoverdrill.cli;

import io.failoverdrill.engine.kafka.AclPlan;
import io.failoverdrill.engine.kafka.GroupDeadLetters;
import io.failoverdrill.engine.kafka.PlanAssignments;
import io.failoverdrill.engine.kafka.StartPosition;
import io.failoverdrill.engine.kafka.Topics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code drill serve}: one long-lived engine process hosting every drill and guard of its share of the plans topic.
 * Instances started with the same {@code --group} share the plans' partitions in one Kafka consumer group; when one
 * dies (its session times out) or leaves, its drills and guards move to the others and resume from what they last
 * committed — fenced by their transactional ids, so no command is lost or doubled ({@link Hosting}).
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Host the drills and guards submitted to the plans topic (drill submit); instances of one group share them.")
final class ServeCommand implements Callable<Integer> {
    @Mixin
    KafkaOptions kafka;

    @Mixin
    EngineOptions engineOptions;

    @Mixin
    SnapshotOptions snapshots;

    @Option(names = "--instance-id", paramLabel = "ID", description = "this instance's name in the group: unique, and the "
            + "same across its restarts (static membership: a restart within the session timeout moves nothing); "
            + "characters [a-zA-Z0-9._-] (default: the host name)")
    String instanceId;

    @Option(names = "--group", paramLabel = "GROUP", description = "the consumer group the instances share the plans in "
            + "(default: <prefix>serve)")
    String group;

    @Option(names = "--session-timeout-s", defaultValue = "10", paramLabel = "S", description = "how long the group waits "
            + "for a silent instance before its drills and guards move to the others (default: ${DEFAULT-VALUE})")
    int sessionTimeoutS;

    @Option(names = "--leave-on-exit", description = "on Ctrl-C / SIGTERM leave the group, so that the other instances "
            + "take this one's drills and guards at once (scaling down); without it they wait out the session timeout, "
            + "and an instance restarted within it takes them back without moving anything")
    boolean leaveOnExit;

    @Option(names = "--reports", paramLabel = "DIR", description = "when a hosted drill ends, also write its evidence report "
            + "to DIR/<drill_id>/ (it always goes to <prefix>reports)")
    Path reportsDir;

    @Option(names = "--dry-run", description = "every hosted drill and guard sends its commands only to <prefix>dryrun.commands")
    boolean dryRun;

    @Option(names = "--max-poll-records", defaultValue = "20000", description = "records per batch and transaction (default: ${DEFAULT-VALUE})")
    int maxPollRecords;

    @Spec
    CommandSpec spec;

    private static final java.util.regex.Pattern LEGAL_ID = java.util.regex.Pattern.compile("[a-zA-Z0-9._-]{1,200}");

    @Override
    public Integer call() throws Exception {
        String instance = instanceId != null ? instanceId : java.net.InetAddress.getLocalHost().getHostName();
        if (!LEGAL_ID.matcher(instance).matches()) {
            throw new IllegalArgumentException("--instance-id must be 1–200 characters of [a-zA-Z0-9._-], got '" + instance + "'");
        }
        if (sessionTimeoutS < 1) {
            throw new IllegalArgumentException("--session-timeout-s must be ≥ 1, got " + sessionTimeoutS);
        }
        snapshots.check();
        StartPosition guardsFrom = engineOptions.from(StartPosition.LATEST);
        Topics topics = kafka.topics();
        var client = kafka.reachableClient();
        String groupId = group != null ? group : AclPlan.serveGroup(topics);
        PrintWriter out = spec.commandLine().getOut();
        AtomicReference<PlanAssignments> assignments = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        UntilStopped running = new UntilStopped();
        SupervisedEngine engine = snapshots.applyTo(new SupervisedEngine(client, topics, engineOptions, new ProgressPrinter(out), out))
                .hostedBy(instance, () -> assignments.get() != null && assignments.get().joined());
        running.add(engine);
        running.add(new GroupDeadLetters(client, topics, groupId, instance, line -> DrillCli.say(out, line)).start());
        Hosting hosting = new Hosting(engine, client, topics, out, new Hosting.Settings(maxPollRecords, guardsFrom, dryRun, reportsDir));
        out.println("serve    instance '" + instance + "' in group '" + groupId + "' on " + kafka.bootstrap() + ": hosting "
                + "the drills and guards of its share of " + topics.plans() + " (session timeout " + sessionTimeoutS + " s; "
                + "guards start from " + guardsFrom.describe() + ", drills on their start control event)");
        out.flush();
        assignments.set(running.add(new PlanAssignments(client, topics, groupId, instance, Duration.ofSeconds(sessionTimeoutS),
                hosting, e -> {
                    failure.set(e);
                    running.fail();
                }).leaveOnClose(leaveOnExit).start()));
        running.add(hosting); // closed first (last in): its engines stop before the instance leaves or goes silent
        if (!running.await()) {
            return DrillCli.OK; // Ctrl-C: everything was closed by the shutdown hook
        }
        Throwable e = failure.get(); // the plans consumer failed; everything is closed
        if (e instanceof org.apache.kafka.common.errors.FencedInstanceIdException) {
            throw new IllegalStateException("another drill serve instance joined group '" + groupId + "' with --instance-id "
                    + instance + ": this one stops (give each instance its own id)");
        }
        throw new IllegalStateException("the plans consumer failed: " + DrillCli.oneLine(e), e);
    }
}

package io.failoverdrill.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.failoverdrill.engine.core.DecisionCore;
import io.failoverdrill.engine.core.DrillCore;
import io.failoverdrill.engine.core.GuardCore;
import io.failoverdrill.engine.runtime.DrillRuntime;
import io.failoverdrill.engine.kafka.PlanAssignments;
import io.failoverdrill.engine.kafka.StartPosition;
import io.failoverdrill.engine.kafka.CompactedTopics;
import io.failoverdrill.engine.kafka.Topics;
import io.failoverdrill.schemas.ContractViolation;
import io.failoverdrill.schemas.decision.Decision;
import io.failoverdrill.schemas.decision.Phase;
import io.failoverdrill.schemas.decision.PhaseChange;
import io.failoverdrill.schemas.plan.DrillPlan;
import io.failoverdrill.schemas.plan.PlanDecoder;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * What one {@code drill serve} instance runs: for every plan on the plans partitions it owns, a supervised engine —
 * a guard at once, a drill waiting for its start control event — each with its own fenced Kafka event log, so a drill
 * that moves here from a dead instance recovers from its journal (a guard from its snapshot) and goes on exactly where
 * the other committed. A drill that the state topic shows ended is not started again; one that ends here has its report
 * published and is let go. Losing a partition stops its drills and guards before any other instance is given them.
 */
final class Hosting implements PlanAssignments.Listener, AutoCloseable {
    /**
     * @param guardsFrom where a guard's first start reads (a drill's: from the earliest input)
     * @param dryRun     every hosted drill and guard sends its commands to the dry-run topic only
     * @param reportsDir also write each ended drill's report under it (null: the report topic only)
     */
    record Settings(int maxPollRecords, StartPosition guardsFrom, boolean dryRun, Path reportsDir) {
    }

    /** A drill or guard running here: from which plans partition, submitted as which bytes. */
    private record Hosted(String id, int partition, byte[] value, Disposable run) {
    }

    private final SupervisedEngine engine;
    private final Map<String, Object> client;
    private final Topics topics;
    private final PrintWriter out;
    private final Settings settings;
    private final Map<String, Hosted> hosted = new ConcurrentHashMap<>();
    /**
     * Drills the state topic showed ended with their report published, read at the first drill plan after an
     * assignment (null: not read since): a partition of guards alone is taken over without reading the state topic.
     */
    private Set<String> ended;

    Hosting(SupervisedEngine engine, Map<String, Object> client, Topics topics, PrintWriter out, Settings settings) {
        this.engine = engine;
        this.client = client;
        this.topics = topics;
        this.out = out;
        this.settings = settings;
    }

    @Override
    public void assigned(Set<Integer> partitions) {
        ended = null;
        say("serve    took plans partition(s) " + partitions);
    }

    /**
     * The drills the state topic shows ended and reported, read once per assignment (on the polling thread, like every
     * call here). One that ended without its report (its instance died in between) is hosted again: recovery finds it
     * over, and its report is published then.
     */
    private Set<String> ended() {
        if (ended == null) {
            Set<String> done = new java.util.HashSet<>();
            for (Map.Entry<String, JsonNode> e : CompactedTopics.states(client, topics).entrySet()) {
                Phase p = Phase.fromWire(e.getValue().path("phase").asText());
                if (p != null && p.terminal() && !DrillRuntime.holdsCore(e.getValue()) // a guard's state holds its core; a drill's not
                        && e.getValue().has(DrillReports.REPORT_FIELD)) {
                    done.add(e.getKey());
                }
            }
            ended = done;
        }
        return ended;
    }

    @Override
    public void revoked(Set<Integer> partitions) {
        List<String> moving = hosted.values().stream().filter(h -> partitions.contains(h.partition())).map(Hosted::id).sorted().toList();
        moving.forEach(this::stop);
        say("serve    gave up plans partition(s) " + partitions + (moving.isEmpty() ? "" : ", stopped " + moving));
    }

    @Override
    public void plan(int partition, String id, byte[] value) {
        Hosted running = hosted.get(id);
        if (value == null) {
            if (running != null) {
                stop(id);
                say("serve    '" + id + "' withdrawn: stopped");
            }
            return;
        }
        if (running != null) {
            if (!Arrays.equals(running.value(), value)) {
                say("serve    '" + id + "' was submitted again with another plan: it keeps running the plan it started with");
            }
            return;
        }
        PlanRecord record;
        try {
            record = PlanRecord.decode(id, value);
        } catch (PlanDecoder.PlanInvalid | ContractViolation e) {
            say("serve    refused the plan of '" + id + "' (" + topics.plans() + "/" + partition + "): " + DrillCli.oneLine(e));
            return;
        }
        if (!record.guard() && ended().contains(id)) {
            say("serve    drill '" + id + "' ended before (see " + topics.reports() + "): not hosted again");
            return;
        }
        try {
            start(partition, record, value);
        } catch (RuntimeException e) { // e.g. control.signers without a --keyset: this plan cannot run here
            say("serve    cannot host '" + id + "': " + DrillCli.oneLine(e));
        }
    }

    private void start(int partition, PlanRecord record, byte[] value) {
        DrillPlan plan = settings.dryRun() ? record.plan().asDryRun() : record.plan();
        String id = record.id();
        ProgressPrinter printer = new ProgressPrinter(out, id + "  ");
        Supplier<DecisionCore> core = record.guard() ? () -> new GuardCore(plan) : () -> new DrillCore(plan);
        StartPosition from = record.guard() ? settings.guardsFrom() : StartPosition.beforeStart(plan);
        Flux<Decision> decisions = engine.run(id, settings.maxPollRecords(), from, core, plan.signers()).doOnNext(printer::print);
        if (!record.guard()) {
            decisions = decisions.takeUntil(d -> d instanceof PhaseChange pc && pc.to().terminal());
        }
        say("serve    hosting " + record.kind() + " '" + id + "' (" + (record.guard() ? "" : plan.drillType() + ", ")
                + "regions " + plan.regions() + ")"
                + (plan.dryRun() ? ", DRY RUN" : ""));
        Disposable run = decisions.subscribe(d -> { }, e -> {
            say("serve    '" + id + "' stopped: " + DrillCli.oneLine(e));
            let(id);
        }, () -> Schedulers.boundedElastic().schedule(() -> {
            // the report is rebuilt from the topics outside the console's lock: the other drills keep printing meanwhile
            java.io.StringWriter report = new java.io.StringWriter();
            DrillReports.publishAndWrite(plan, client, topics, settings.reportsDir(), engine.committedState(id), new PrintWriter(report));
            say("serve    drill '" + id + "' ended\n" + report.toString().stripTrailing());
            let(id);
        }));
        hosted.put(id, new Hosted(id, partition, value, run));
    }

    /** Stops running {@code id} here (a revoked partition, a withdrawal, shutdown). */
    private void stop(String id) {
        Hosted h = hosted.remove(id);
        if (h != null) {
            h.run().dispose();
            engine.release(id);
        }
    }

    /** Lets go of {@code id} after its run ended by itself. */
    private void let(String id) {
        hosted.remove(id);
        engine.release(id);
    }

    private void say(String line) {
        DrillCli.say(out, line);
    }

    /** Stops every drill and guard running here. */
    @Override
    public void close() {
        List.copyOf(hosted.keySet()).forEach(this::stop);
    }
}

package io.failoverdrill.bench;

import io.failoverdrill.engine.core.DrillCore;
import io.failoverdrill.engine.kafka.KafkaEventLog;
import io.failoverdrill.engine.kafka.Topics;
import io.failoverdrill.engine.runtime.DrillRuntime;
import io.failoverdrill.engine.runtime.EngineWarmUp;
import io.failoverdrill.schemas.plan.DrillPlan;

/**
 * The engine of the decision-latency run (b) in a JVM of its own, as users run it ({@code drill run}: warm-up, then
 * the engine): the {@link Plans#latency} drill on the topics under the prefix, until the harness stops the process. Prints {@code started} once it runs.
 * Args: bootstrap prefix drillId seconds.
 */
public final class LatencyEngineRun {
    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        Topics topics = new Topics(args[1]);
        String drillId = args[2];
        int seconds = Integer.parseInt(args[3]);
        DrillPlan plan = Plans.latency(drillId, seconds);
        EngineWarmUp.run(plan); // as `drill run` does
        KafkaEventLog log = new KafkaEventLog(bootstrap, topics, drillId);
        new DrillRuntime(new DrillCore(plan), log, null).run().subscribe();
        System.out.println("started");
        System.out.flush();
        Thread.currentThread().join(); // until the harness destroys the process
    }

    private LatencyEngineRun() {
    }
}

package io.failoverdrill.engine.core;

import io.failoverdrill.schemas.decision.Command;
import io.failoverdrill.schemas.decision.CommandBody;
import io.failoverdrill.schemas.decision.Decision;
import io.failoverdrill.schemas.decision.Phase;
import io.failoverdrill.schemas.decision.Verdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** What each drill type does, and the negative controls that prove its verdicts can fail. */
class DrillTypesTest {

    static DrillWorld run(DrillWorld.Setup setup) {
        return new DrillWorld(setup).run(DrillWorld.DURATION_S.get(setup.drillType()));
    }

    static List<String> commands(DrillWorld w) {
        return w.decisions().stream().filter(d -> d instanceof Command).map(Decision::type).toList();
    }

    static Verdict verdict(DrillWorld w, String check) {
        return w.decisions().stream().filter(d -> d instanceof Verdict v && v.check().equals(check)).map(d -> (Verdict) d)
                .reduce((a, b) -> b).orElseThrow(() -> new AssertionError("no verdict " + check + ":\n" + DrillWorld.jsonl(w.decisions())));
    }

    static List<Verdict> failed(DrillWorld w) {
        return w.decisions().stream().filter(d -> d instanceof Verdict v && !v.pass()).map(d -> (Verdict) d).toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"brownout", "blackhole", "index_skew", "webhook_reroute", "return_home"})
    void everyDrillTypeRunsToDoneWithEveryVerdictPassing(String type) {
        DrillWorld w = run(DrillWorld.Setup.of(type, 7));
        assertThat(failed(w)).as(DrillWorld.jsonl(w.decisions())).isEmpty();
        assertThat(w.core().phase()).isEqualTo(Phase.DONE);
        assertThat(w.decisions()).filteredOn(d -> d instanceof Verdict).extracting(d -> ((Verdict) d).check())
                .contains("health_ready", "baseline_p95");
    }

    @Test
    void brownoutEvacuatesThenPromotesOneWriter() {
        DrillWorld w = run(DrillWorld.Setup.of("brownout", 1));
        assertThat(commands(w)).containsExactly("freeze_writes", "set_weights", "promote_writer", "stick");
        assertThat(w.decisions()).filteredOn(d -> d instanceof Verdict).extracting(d -> ((Verdict) d).check())
                .contains("cutover_time", "max_5xx_burst", "p95_ratio", "write_loss", "backlog_drain", "index_hash_parity",
                        "contracts_equal", "delta_s", "lambda_convergent", "coverage", "answers_equal", "cache_rewarmed",
                        "auth_failures", "cold_start_storm", "p95_latency", "error_rate", "queue_backlog", "delta_s_probe",
                        "lambda_state", "index_hash", "backlog_zero");
    }

    @Test
    void blackholeEvacuatesOnlyAfterTelemetryShowsTheOutageWithQuorumAndDwell() {
        DrillWorld w = run(DrillWorld.Setup.of("blackhole", 1));
        Verdict detected = verdict(w, "outage_detected");
        assertThat(detected.pass()).isTrue();
        assertThat(detected.evidence()).containsEntry("quorum", 2);
        assertThat(detected.tsMs() - DrillWorld.T0).as("outage starts at 15 s; dwell 3 s; lateness 2 s")
                .isBetween(18_000L, 22_000L);
        assertThat(commands(w)).startsWith("freeze_writes", "set_weights");
    }

    @Test
    void noFailoverWhenFewerThanQuorumObserversSeeTheRegionDown() {
        DrillWorld w = run(DrillWorld.Setup.of("blackhole", 1).withDown(Set.of("obs-a"), 0));
        assertThat(commands(w)).isEmpty();
        assertThat(w.core().phase()).isEqualTo(Phase.PRECHECK);
    }

    @Test
    void noFailoverWhenTheOutageOscillatesFasterThanTheDwell() {
        DrillWorld w = run(DrillWorld.Setup.of("blackhole", 1).withDown(Set.of("obs-a", "obs-b", "obs-c"), 2));
        assertThat(commands(w)).isEmpty();
    }

    @Test
    void indexSkewRefusesReuseRebuildsToTheArtifactAndReverifiesParity() {
        DrillWorld w = run(DrillWorld.Setup.of("index_skew", 1));
        assertThat(verdict(w, "index_skew_detected").pass()).isTrue();
        Command rebuild = (Command) w.decisions().stream().filter(d -> d.type().equals("rebuild_index")).findFirst().orElseThrow();
        assertThat(rebuild.body()).isEqualTo(new CommandBody.RebuildIndex("us-east", "hash-artifact-1"));
        assertThat(commands(w).get(0)).isEqualTo("set_weights");
        assertThat(verdict(w, "index_hash_parity").pass()).isTrue();
        assertThat(verdict(w, "delta_s").pass()).isTrue();
        assertThat(commands(w)).doesNotContain("promote_writer");
    }

    @Test
    void webhookRerouteRoutesToTheSurvivorAndARepeatedDedupeKeyFailsIt() {
        DrillWorld ok = run(DrillWorld.Setup.of("webhook_reroute", 1));
        assertThat(commands(ok)).contains("route_webhooks");
        assertThat(verdict(ok, "webhook_duplicates").pass()).isTrue();

        DrillWorld dup = run(DrillWorld.Setup.of("webhook_reroute", 1).breaking(false, true, false, 1.0));
        Verdict v = verdict(dup, "webhook_duplicates");
        assertThat(v.pass()).isFalse();
        assertThat((Long) v.value()).isPositive();
    }

    @Test
    void returnHomeRebuildsPurgesRewarmsThenRestoresWeightsGradually() {
        DrillWorld w = run(DrillWorld.Setup.of("return_home", 1));
        List<String> cmds = commands(w);
        assertThat(cmds.subList(4, cmds.size())).containsExactly("rebuild_index", "purge_cache", "rewarm_cache",
                "unfreeze_writes", "set_weights", "set_weights", "set_weights", "set_weights");
        List<Integer> homeWeights = w.decisions().stream().filter(d -> d instanceof Command c && c.seq() > 20
                        && c.body() instanceof CommandBody.SetWeights)
                .map(d -> ((CommandBody.SetWeights) ((Command) d).body()).weights().get("us-east")).toList();
        assertThat(homeWeights).containsExactly(10, 30, 60, 100);
        assertThat(verdict(w, "cache_rewarmed").pass()).isTrue();
    }

    @Test
    void aLostWriteFailsWriteLoss() {
        DrillWorld w = run(DrillWorld.Setup.of("brownout", 1).breaking(false, false, true, 1.0));
        Verdict v = verdict(w, "write_loss");
        assertThat(v.pass()).isFalse();
        assertThat(v.value()).isEqualTo(1L);
        assertThat(v.evidence().get("lost_ids")).isEqualTo(List.of("w-30"));
    }

    @Test
    void aRejectedPromoteFailsTheCutoverAndAborts() {
        DrillWorld w = run(DrillWorld.Setup.of("brownout", 1).breaking(true, false, false, 1.0));
        assertThat(verdict(w, "cutover_time").pass()).isFalse();
        assertThat(verdict(w, "cutover_time").evidence()).containsEntry("cause", "command rejected by actuator");
        assertThat(w.core().phase()).isEqualTo(Phase.ABORTED);
    }

    @Test
    void aSlowSurvivorIsClampedAndFailsTheP95Target() {
        DrillWorld w = run(DrillWorld.Setup.of("brownout", 1).breaking(false, false, false, 1.8));
        assertThat(verdict(w, "p95_ratio").pass()).isFalse();
        Command clamp = (Command) w.decisions().stream().filter(d -> d.type().equals("clamp")).findFirst().orElseThrow();
        CommandBody.Clamp body = (CommandBody.Clamp) clamp.body();
        assertThat(body.region()).isEqualTo("eu-west");
        assertThat(body.concurrencyLimit()).isEqualTo(32); // AIMD: 64 × 0.5
        assertThat(body.retrievalK()).isBetween(5, 9);    // lowered towards dualhome_k = 5
        assertThat(clamp.reason().rule()).isEqualTo("observe.clamp_p95_over_slo");
    }
}

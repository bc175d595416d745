package io.failoverdrill.engine.core;

import io.failoverdrill.engine.testing.DrillTestDriver;
import io.failoverdrill.engine.testing.SyntheticWorld.Setup;
import io.failoverdrill.engine.testing.SyntheticWorld.Tamper;
import io.failoverdrill.schemas.decision.Phase;
import io.failoverdrill.schemas.decision.Verdict;
import io.failoverdrill.schemas.event.Telemetry;
import io.failoverdrill.schemas.plan.CheckNames;
import io.failoverdrill.schemas.plan.DrillPlan;
import io.failoverdrill.schemas.plan.DrillType;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static io.failoverdrill.engine.testing.SyntheticWorld.T0;
import static io.failoverdrill.schemas.plan.DrillType.BROWNOUT;
import static io.failoverdrill.schemas.plan.DrillType.INDEX_SKEW;
import static io.failoverdrill.schemas.plan.DrillType.RETURN_HOME;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * For every verdict the engine issues, a world in which it fails and whose evidence says why — and for the ledger
 * and answer checks, worlds where their signal never arrives: "no data" fails, never passes.
 */
class EveryVerdictCanFailTest {
    static final String EU = "eu-west";
    static final String US = "us-east";

    /** A world breaking something, the drill type and plan it runs, and the verdict that must fail. */
    record Broken(String check, DrillType type, UnaryOperator<String> planEdit, Setup setup, String evidenceMentions) {
        DrillTestDriver run() {
            DrillPlan plan = planEdit == null ? Worlds.plan(type) : Worlds.plan(type, planEdit);
            return Worlds.run(plan, setup, 120);
        }
    }

    /** From {@code fromS} on (event time), events of {@code type} about {@code region} (null: any) become {@code f}'s. */
    static Tamper after(long fromS, String region, String type, UnaryOperator<Telemetry> f) {
        return (ts, r, observer, t) -> ts >= T0 + fromS * 1000 && (region == null || r.equals(region))
                && t.type().equals(type) ? f.apply(t) : t;
    }

    static Setup world(Tamper t) {
        return Setup.of(3).withTamper(t);
    }

    static Telemetry.Request failed(Telemetry t, String error, int status) {
        Telemetry.Request r = (Telemetry.Request) t;
        return new Telemetry.Request(r.latencyMs(), status, error, null, r.cold(), r.target());
    }

    static Telemetry.IndexMeta meta(Telemetry t, String hash, String metric, List<String> fields) {
        Telemetry.IndexMeta m = (Telemetry.IndexMeta) t;
        return new Telemetry.IndexMeta(hash, metric, m.analyzer(), m.buildTsMs(), m.embedModel(), fields);
    }

    static Telemetry.RagProbe rag(Telemetry t, double deltaS, String lambda, double coverage, String hash) {
        Telemetry.RagProbe q = (Telemetry.RagProbe) t;
        return new Telemetry.RagProbe(q.questionId(), deltaS < 0 ? q.deltaS() : deltaS, lambda == null ? q.lambda() : lambda,
                coverage < 0 ? q.coverage() : coverage, q.topIds(), hash == null ? q.answerHash() : hash);
    }

    static int[] counter = new int[1];

    static List<Broken> worlds() {
        return List.of(
                new Broken("health_ready", BROWNOUT, null, world(after(0, EU, "health", t -> new Telemetry.Health(false))), "eu-west"),
                new Broken("baseline_p95", BROWNOUT, p -> p.replace("\"detect\":{", "\"acceptance\":{\"baseline_samples_min\":100000},\"detect\":{"),
                        Setup.of(3), "min_samples"),
                new Broken("env_parity", BROWNOUT, null, world(after(0, US, "index_meta", t -> meta(t, "hash-artifact-1", "dot",
                        ((Telemetry.IndexMeta) t).contractFields()))), "dot"),
                new Broken("index_hash_equal", BROWNOUT, null, world(after(0, US, "index_meta", t -> meta(t, "hash-other", "cosine",
                        ((Telemetry.IndexMeta) t).contractFields()))), "hash-other"),
                new Broken("queue_empty", BROWNOUT, null, world(after(0, null, "backlog", t -> new Telemetry.Backlog("writes", 500, 10))), "500"),
                new Broken("cache_warm", BROWNOUT, null, world(after(0, EU, "cache", t -> new Telemetry.Cache(0.3, false))), "0.3"),
                new Broken("index_skew_detected", INDEX_SKEW, null, world(after(0, US, "index_meta", t -> meta(t, "hash-artifact-1",
                        "cosine", ((Telemetry.IndexMeta) t).contractFields()))), "skewed"),
                new Broken("index_reuse_refused", INDEX_SKEW, null, world(after(0, US, "index_meta", t -> meta(t, "hash-artifact-1",
                        "cosine", ((Telemetry.IndexMeta) t).contractFields()))), "rebuilt from the survivor"),
                new Broken("survivor_healthy", BROWNOUT, null, world(after(8, EU, "request", t -> failed(t, "timeout", 0))),
                        "no healthy target"),
                new Broken("cutover_time", BROWNOUT, null, Setup.of(3).withAckDelay(40_000), "acks missing at the deadline"),
                new Broken("p95_latency", BROWNOUT, null, Setup.of(3).breaking(false, false, false, 3.0), "worst_p95_ms"),
                new Broken("error_rate", BROWNOUT, null, world(after(20, EU, "request",
                        t -> ++counter[0] % 5 == 0 ? failed(t, "http_5xx", 503) : t)), "http_5xx"),
                new Broken("queue_backlog", BROWNOUT, null, world(after(20, EU, "backlog", t -> new Telemetry.Backlog("writes", 0, 900_000))),
                        "oldest item age"),
                new Broken("delta_s_probe", BROWNOUT, null, world(after(20, EU, "rag_probe", t -> rag(t, 0.7, null, -1, null))),
                        "worst ΔS"),
                new Broken("lambda_state", BROWNOUT, null, world(after(20, EU, "rag_probe", t -> rag(t, -1, "chaotic", -1, null))),
                        "chaotic"),
                new Broken("max_5xx_burst", BROWNOUT, p -> p.replace("\"detect\":{", "\"acceptance\":{\"max_5xx_burst_s\":3},\"detect\":{"),
                        world(after(22, EU, "request", t -> ++counter[0] % 5 == 0 ? failed(t, "http_5xx", 503) : t)), "longest run"),
                new Broken("p95_ratio", BROWNOUT, null, Setup.of(3).breaking(false, false, false, 1.8), "eu-west"),
                new Broken("write_loss", BROWNOUT, null, Setup.of(3).breaking(false, false, true, 1.0), "w-30"),
                new Broken("single_writer", BROWNOUT, null, world(after(25, null, "write", t -> t instanceof Telemetry.Write w
                        && w.state().equals("applied") ? new Telemetry.Write(w.writeId(), "applied", US) : t)), "us-east"),
                new Broken("backlog_drain", BROWNOUT, p -> p.replace("\"detect\":{", "\"acceptance\":{\"backlog_drain_s\":5},\"detect\":{"),
                        world(after(14, null, "backlog", t -> new Telemetry.Backlog("writes", 40, 1000))), "drained"),
                new Broken("auth_failures", BROWNOUT, null, world(after(25, EU, "request",
                        t -> ++counter[0] % 7 == 0 ? failed(t, "auth", 403) : t)), "401/403"),
                new Broken("cold_start_storm", BROWNOUT, null, world(after(15, EU, "request", t -> {
                    Telemetry.Request r = (Telemetry.Request) t;
                    return new Telemetry.Request(400, 200, null, null, true, r.target());
                })), "cold_requests"),
                new Broken("webhook_duplicates", DrillType.WEBHOOK_REROUTE, null, Setup.of(3).breaking(false, true, false, 1.0),
                        "repeated_key_samples"),
                new Broken("slo_budget", BROWNOUT, p -> p.replace("\"detect\":{", "\"slo\":{\"objective\":0.999,\"window_s\":60},\"detect\":{"),
                        world(after(20, EU, "request", t -> ++counter[0] % 25 == 0 ? failed(t, "http_5xx", 503) : t)), "failed_requests"),
                new Broken("index_hash_parity", BROWNOUT, null, world(after(25, US, "index_meta", t -> meta(t, "hash-drifted", "cosine",
                        ((Telemetry.IndexMeta) t).contractFields()))), "hash-drifted"),
                new Broken("contracts_equal", BROWNOUT, null, world(after(25, US, "index_meta", t -> meta(t, "hash-artifact-1", "cosine",
                        List.of("doc_id")))), "doc_id"),
                new Broken("delta_s", BROWNOUT, null, world(after(20, null, "rag_probe", t -> rag(t, 0.5, null, -1, null))), "zones_after"),
                new Broken("lambda_convergent", BROWNOUT, null, world(after(20, null, "rag_probe", t -> rag(t, -1, "divergent", -1, null))),
                        "divergent"),
                new Broken("coverage", BROWNOUT, null, world(after(20, null, "rag_probe", t -> rag(t, -1, null, 0.4, null))), "questions"),
                new Broken("answers_equal", BROWNOUT, null, world(after(20, US, "rag_probe", t -> rag(t, -1, null, -1, "answer-other"))),
                        "differing"),
                new Broken("backlog_zero", BROWNOUT, p -> p.replace("\"detect\":{", "\"acceptance\":{\"backlog_drain_s\":5},\"detect\":{"), world(after(14, null, "backlog", t -> new Telemetry.Backlog("writes", 7, 1000))),
                        "pre_drill_baseline"),
                new Broken("cache_rewarmed", BROWNOUT, null, world(after(20, EU, "cache", t -> new Telemetry.Cache(0.4, true))), "0.4"),
                new Broken("index_hash", DrillType.BROWNOUT, p -> p.replace("\"regions\":[\"us-east\",\"eu-west\"]",
                        "\"regions\":[\"us-east\",\"eu-west\",\"ap-south\"]"), world(after(20, "ap-south", "index_meta",
                        t -> meta(t, "hash-drifted", "cosine", ((Telemetry.IndexMeta) t).contractFields()))), "INDEX_HASH"),
                new Broken("safety_invariant", RETURN_HOME, null, world(after(50, EU, "request", t -> failed(t, "connect", 0))),
                        "not healthy"),
                new Broken("stick_announced", BROWNOUT, WITH_STICK_CHECK, world(after(0, null, "request",
                        t -> ++counter[0] % 10 == 0 ? unannounced(t) : t)), "announcing_none"));
    }

    /** The plan listing {@code stick_announced} among its live checks. */
    static final UnaryOperator<String> WITH_STICK_CHECK = p -> p.replace("\"live\":[", "\"live\":[\"stick_announced\",");

    /** The response as a service that does not announce its stick region reports it. */
    static Telemetry.Request unannounced(Telemetry t) {
        Telemetry.Request r = (Telemetry.Request) t;
        return new Telemetry.Request(r.latencyMs(), r.status(), r.error(), r.phases(), r.cold(), r.target(), r.count(), null);
    }

    @Test
    void responsesAnnouncingTheStickRegionPassStickAnnouncedAndADrillWithoutAStickHasNoData() {
        DrillTestDriver d = Worlds.run(Worlds.plan(BROWNOUT, WITH_STICK_CHECK), Setup.of(3), 120);
        Verdict v = d.verdict("stick_announced").orElseThrow(() -> new AssertionError(d.decisionLog()));
        assertThat(v.pass()).as(d.decisionLog()).isTrue();
        assertThat(v.evidence()).containsEntry("stick_region", EU).containsEntry("announcing_none", 0L);
        assertThat((Long) v.evidence().get("responses")).isPositive();

        // an index-skew drill never moves the writer, so it never sticks sessions: nothing to judge, and no pass
        DrillTestDriver skew = Worlds.run(Worlds.plan(INDEX_SKEW, WITH_STICK_CHECK), Setup.of(3), 120);
        Verdict none = skew.verdict("stick_announced").orElseThrow(() -> new AssertionError(skew.decisionLog()));
        assertThat(none.failed()).isTrue();
        assertThat(none.evidence().get("reason").toString()).startsWith("no data: a stick command");
    }

    @TestFactory
    Stream<DynamicTest> everyVerdictFailsInAWorldBrokenForIt() {
        return worlds().stream().map(b -> DynamicTest.dynamicTest(b.check(), () -> {
            counter[0] = 0;
            DrillTestDriver d = b.run();
            Verdict v = d.verdict(b.check()).orElseThrow(() -> new AssertionError("no verdict " + b.check() + "\n" + d.decisionLog()));
            assertThat(v.failed()).as(d.decisionLog()).isTrue();
            assertThat(io.failoverdrill.schemas.CanonicalJson.string(v.evidence())).contains(b.evidenceMentions());
        }));
    }

    @Test
    void everyVerdictAPlanMayNameHasAFailingWorldHere() {
        Set<String> covered = new TreeSet<>(worlds().stream().map(Broken::check).toList());
        Set<String> named = new TreeSet<>(CheckNames.verdicts());
        named.remove("outage_detected");
        assertThat(covered).containsAll(named);
    }

    @Test
    void aSurvivorThatFailsBeforeTheCutoverIsNeverGivenTrafficAndTheDrillAborts() {
        DrillTestDriver d = Worlds.run(BROWNOUT, world(after(8, EU, "request", t -> failed(t, "timeout", 0))));
        assertThat(d.commands()).isEmpty();
        assertThat(d.phase()).isEqualTo(Phase.ABORTED);
        Verdict v = d.verdict("survivor_healthy").orElseThrow();
        assertThat(v.evidence()).containsEntry("unhealthy", List.of(EU));
    }

    @Test
    void aSurvivorThatFailsAfterTheCutoverStopsTheDrillWithNoFurtherCommand() {
        DrillTestDriver d = Worlds.run(BROWNOUT, world(after(24, EU, "request", t -> failed(t, "connect", 0))));
        Verdict v = d.verdict("survivor_healthy").orElseThrow();
        assertThat(v.failed()).isTrue();
        assertThat(v.evidence()).containsEntry("region", EU);
        assertThat(d.phase()).isEqualTo(Phase.ABORTED);
        assertThat(d.commands().stream().filter(c -> c.tsMs() > v.tsMs())).isEmpty();
    }

    @Test
    void withoutWriteOrWebhookTelemetryTheLedgerChecksFailForWantOfData() {
        DrillTestDriver d = Worlds.run(BROWNOUT, world((ts, r, o, t) -> t.type().equals("write") || t.type().equals("webhook") ? null : t));
        for (String check : List.of("write_loss", "single_writer", "webhook_duplicates")) {
            Verdict v = d.verdict(check).orElseThrow();
            assertThat(v.failed()).as(check).isTrue();
            assertThat(v.evidence().get("reason").toString()).as(check).startsWith("no data: ");
        }
    }

    @Test
    void answersAndContractsWithoutHashesIdsOrContractFieldsFailForWantOfData() {
        DrillTestDriver d = Worlds.run(BROWNOUT, world((ts, r, o, t) -> {
            if (t instanceof Telemetry.RagProbe q) {
                return new Telemetry.RagProbe(q.questionId(), q.deltaS(), q.lambda(), q.coverage(), null, null);
            }
            if (t instanceof Telemetry.IndexMeta m) {
                return new Telemetry.IndexMeta(m.indexHash(), m.metric(), m.analyzer(), m.buildTsMs(), m.embedModel(), null);
            }
            return t;
        }));
        assertThat(d.verdict("answers_equal").orElseThrow().evidence().get("reason").toString())
                .contains("no data: rag_probe events with answer_hash or top_ids");
        assertThat(d.verdict("contracts_equal").orElseThrow().evidence().get("reason").toString())
                .contains("no data: contract_fields");
    }

    @Test
    void aCheckThePlanMarksNotApplicableIsNeitherPassNorFail() {
        DrillPlan plan = Worlds.plan(BROWNOUT, p -> p.replace("\"detect\":{",
                "\"acceptance\":{\"not_applicable\":[\"webhook_duplicates\"]},\"detect\":{"));
        DrillTestDriver d = Worlds.run(plan, world((ts, r, o, t) -> t.type().equals("webhook") ? null : t), 60);
        Verdict v = d.verdict("webhook_duplicates").orElseThrow();
        assertThat(v.status()).isEqualTo("not_applicable");
        assertThat(d.failedVerdicts()).isEmpty();
        assertThat(d.phase()).isEqualTo(Phase.DONE);
    }

    @Test
    void everyVerdictNameAppearsOncePerDrill() {
        for (DrillType type : DrillType.values()) {
            DrillTestDriver d = Worlds.run(type, 5);
            List<String> names = d.verdicts().stream().map(Verdict::check).toList();
            assertThat(names).as(type.wire()).doesNotHaveDuplicates();
        }
    }

    @Test
    void verdictWindowsStartAtTheDrillsStartNotBeforeIt() {
        // w-2 (at 0.8 s) is acknowledged and never applied, before the drill starts (precheck at 2 s): not the drill's
        Tamper loseEarly = (ts, r, o, t) -> t instanceof Telemetry.Write w && w.writeId().equals("w-2")
                && w.state().equals("applied") ? null : t;
        DrillTestDriver early = Worlds.run(BROWNOUT, world(loseEarly));
        assertThat(early.verdict("write_loss").orElseThrow().pass()).as(early.decisionLog()).isTrue();
        Tamper loseLater = (ts, r, o, t) -> t instanceof Telemetry.Write w && w.writeId().equals("w-20")
                && w.state().equals("applied") ? null : t;
        Verdict later = Worlds.run(BROWNOUT, world(loseLater)).verdict("write_loss").orElseThrow();
        assertThat(later.failed()).isTrue();
        assertThat(later.evidence().get("lost_ids")).isEqualTo(List.of("w-20"));
    }
}

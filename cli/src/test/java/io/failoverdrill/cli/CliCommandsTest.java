package io.failoverdrill.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

import static org.assertj.core.api.Assertions.assertThat;

class CliCommandsTest extends CliRunner {
    static Path seedPlan() {
        return Paths.get("..", "plans", "seed.json");
    }

    @Test
    void validateAcceptsTheSeedPlanAsIs() {
        assertThat(run("validate", seedPlan().toString())).isZero();
        assertThat(out.toString()).contains("valid brownout plan", "evacuate us-east", "promote eu-west");
    }

    @Test
    void validateNotesWhatStickAnnouncedNeedsAndThatIndexSkewCannotPassIt(@TempDir Path dir) throws IOException {
        assertThat(run("validate", seedPlan().toString())).isZero();
        assertThat(out.toString()).doesNotContain("note:");
        out.getBuffer().setLength(0);
        assertThat(run("validate", Paths.get("..", "plans", "demo-brownout.json").toString())).isZero();
        assertThat(out.toString()).contains("note: $.checks: stick_announced needs request telemetry carrying stick_region",
                "X-Stick-Region");
        Path skew = dir.resolve("skew.json");
        Files.writeString(skew, Files.readString(Paths.get("..", "plans", "demo-index_skew.json"))
                .replace("\"index_hash\"],", "\"index_hash\", \"stick_announced\"],"));
        out.getBuffer().setLength(0);
        assertThat(run("validate", skew.toString())).isZero();
        assertThat(out.toString()).contains("note: $.checks: stick_announced fails in an index_skew drill, which issues no stick");
    }

    @Test
    void validateListsEveryErrorWithItsPathAndExits2(@TempDir Path dir) throws IOException {
        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, Files.readString(seedPlan())
                .replace("\"evacuate\": \"us-east\"", "\"evacuate\": \"mars\"")
                .replace("\"stick_minutes\": 15", "\"stick_minutes\": -3"));
        assertThat(run("validate", broken.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("$.evacuate: must be one of $.regions")
                .contains("$.routing.stick_minutes: must be an integer in [0, 1440]");
    }

    @Test
    void aMissingFileIsOneReadableLineAndExit2() {
        assertThat(run("validate", "no/such/plan.json")).isEqualTo(2);
        assertThat(err.toString().strip()).isEqualTo("drill validate: plan file not found: no/such/plan.json");
    }

    @Test
    void replayWritesRejectedLinesToTheDlqWithLineNumbersAndKeepsGoing(@TempDir Path dir) throws IOException {
        Path events = dir.resolve("events.jsonl");
        Files.writeString(events, String.join("\n",
                "{\"type\":\"heartbeat\",\"event_id\":\"h1\",\"region\":\"us-east\",\"observer\":\"a\",\"ts\":\"2026-11-29T10:00:00.000Z\"}",
                "not json at all",
                "{\"type\":\"request\",\"event_id\":\"r1\",\"region\":\"us-east\",\"observer\":\"a\",\"ts\":\"2026-11-29T10:00:00.100Z\",\"latency_ms\":-1,\"status\":200,\"error\":null}",
                "{\"type\":\"heartbeat\",\"event_id\":\"h2\",\"region\":\"us-east\",\"observer\":\"a\",\"ts\":\"2026-11-29T10:00:05.000Z\"}"));
        Path out1 = dir.resolve("decisions.jsonl");
        Path dlq = dir.resolve("bad.jsonl");
        int code = run("replay", "--plan", seedPlan().toString(), "--input", events.toString(), "--out", out1.toString(),
                "--dlq", dlq.toString());
        assertThat(code).as("the drill never started, so it did not pass").isEqualTo(1);
        assertThat(Files.readAllLines(dlq)).hasSize(2)
                .anySatisfy(l -> assertThat(l).contains("\"line\":2", "\"path\":\"$\""))
                .anySatisfy(l -> assertThat(l).contains("\"line\":3", "\"path\":\"$.latency_ms\""));
        assertThat(out.toString()).contains("replayed 2 events (2 rejected)");
    }

    @Test
    void unknownDemoDrillIsAUsageError() {
        assertThat(run("demo", "--drill", "meteor")).isEqualTo(2);
        assertThat(err.toString()).contains("--drill meteor is not one of brownout, blackhole, index_skew, webhook_reroute, return_home, all");
    }

    @Test
    void probeConfigErrorsAreListedWithTheirPathsAndExit2(@TempDir Path dir) throws IOException {
        Path config = dir.resolve("probes.json");
        Files.writeString(config, "{\"observer\":\"probe-a\",\"regions\":[{\"name\":\"US East\",\"service_url\":\"ftp://x\","
                + "\"rps\":0}],\"rag\":{\"k\":0}}");
        assertThat(run("probe", "--config", config.toString(), "--bootstrap-servers", "localhost:1", "--check")).isEqualTo(2);
        assertThat(err.toString()).contains("$.regions[0].name: must match", "$.regions[0].service_url: must be an http:// or https:// URL",
                "$.regions[0].rps: must be a number in (0, 10000]", "$.rag.k: must be an integer ≥ 1",
                "$.rag: needs at least one region with a retrieve_url");
    }

    @Test
    void theBundledProbeConfigIsValid() {
        assertThat(run("probe", "--config", Paths.get("..", "plans", "probes.json").toString(),
                "--bootstrap-servers", "localhost:1", "--check")).isZero();
        assertThat(out.toString()).contains("valid (2 regions)");
    }

    @Test
    void aGuardPolicyWithoutAnSloIsRefusedWithItsPath(@TempDir Path dir) throws IOException {
        Path policy = dir.resolve("guard.json");
        Files.writeString(policy, "{\"guard_id\":\"g\",\"regions\":[\"us-east\",\"eu-west\"],\"routing\":{\"hysteresis_s\":-1}}");
        assertThat(run("guard", "--policy", policy.toString(), "--bootstrap-servers", "localhost:1")).isEqualTo(2);
        assertThat(err.toString()).contains("$.detect.p95_ms: is required");
    }

    @Test
    void everySubcommandHasHelp() {
        for (String sub : java.util.List.of("demo", "run", "probe", "sim", "guard", "replay", "validate", "broker", "topics",
                "stop", "keys", "control", "actuate", "export", "list")) {
            out.getBuffer().setLength(0);
            assertThat(run(sub, "--help")).as(sub).isZero();
            assertThat(out.toString()).as(sub).contains("Usage: drill " + sub);
        }
    }

    @Test
    void keysAreMadeOwnerOnlyRotatedWithDualAcceptAndRetiredAndAKeyOthersCanReadIsRefused(@TempDir Path dir) throws IOException {
        Path key = dir.resolve("engine.key");
        Path keyset = dir.resolve("keys.json");
        assertThat(run("keys", "gen", "--out", key.toString(), "--keyset", keyset.toString())).as(err.toString()).isZero();
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        String first = io.failoverdrill.schemas.sign.SigningKey.load(key).kid();
        assertThat(run("keys", "rotate", "--key", key.toString(), "--keyset", keyset.toString())).isZero();
        String second = io.failoverdrill.schemas.sign.SigningKey.load(key).kid();
        var set = io.failoverdrill.schemas.sign.KeySet.load(keyset);
        assertThat(set.get(first).state()).isEqualTo("active");
        assertThat(set.get(second).state()).isEqualTo("active");
        assertThat(run("keys", "retire", "--kid", first, "--keyset", keyset.toString())).isZero();
        assertThat(io.failoverdrill.schemas.sign.KeySet.load(keyset).get(first).state()).isEqualTo("retired");
        assertThat(run("keys", "retire", "--kid", second, "--keyset", keyset.toString())).as("never without an active key").isEqualTo(2);

        String pem = Files.readString(key);
        Files.setPosixFilePermissions(key, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        err.getBuffer().setLength(0);
        assertThat(run("keys", "rotate", "--key", key.toString(), "--keyset", keyset.toString())).isEqualTo(2);
        assertThat(err.toString().strip()).isEqualTo("drill keys rotate: signing key " + key
                + ": must be readable by its owner only (mode rw-r--r--); chmod 600 " + key);
        assertThat(out.toString() + err).doesNotContain(pem.substring(28, 60));
    }

    @Test
    void anActuatorWithoutAKeySetRefusesToStartAndAHeaderFileOthersCanReadIsRefused(@TempDir Path dir) throws IOException {
        assertThat(run("actuate", "http", "--url", "http://127.0.0.1:1/x", "--bootstrap-servers", "127.0.0.1:1")).isEqualTo(2);
        assertThat(err.toString()).contains("--keyset FILE is required");
        err.getBuffer().setLength(0);
        Path token = dir.resolve("token");
        Files.writeString(token, "Bearer s3cr3t-token");
        Files.setPosixFilePermissions(token, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(run("actuate", "http", "--url", "http://127.0.0.1:1/x", "--header-file", "Authorization=" + token,
                "--accept-unsigned", "--bootstrap-servers", "127.0.0.1:1")).isEqualTo(2);
        assertThat(err.toString()).contains("header file " + token + ": must be readable by its owner only").doesNotContain("s3cr3t");
    }

    @Test
    void aStartPositionThatIsNoneOfTheFormsIsRefusedBeforeConnecting() {
        assertThat(run("guard", "--policy", Path.of("..", "plans", "guard.json").toString(), "--from", "yesterday",
                "--bootstrap-servers", "127.0.0.1:1")).isEqualTo(2);
        assertThat(err.toString().strip()).isEqualTo("drill guard: --from 'yesterday': expected earliest, latest, an "
                + "ISO-8601 instant (2026-12-01T10:00:00Z) or a look-back duration (PT30M)");
        err.getBuffer().setLength(0);
        assertThat(run("run", "--plan", Path.of("..", "plans", "demo-brownout.json").toString(), "--from", "PT-5M",
                "--bootstrap-servers", "127.0.0.1:1")).isEqualTo(2);
        assertThat(err.toString()).contains("--from PT-5M: a look-back must be positive");
        err.getBuffer().setLength(0);
        assertThat(run("actuate", "http", "--url", "http://127.0.0.1:1/x", "--accept-unsigned", "--from", "yesterday",
                "--bootstrap-servers", "127.0.0.1:1")).isEqualTo(2);
        assertThat(err.toString().strip()).startsWith("drill actuate http: --from 'yesterday': expected earliest, latest");
    }

    @Test
    void anActuatorsFromIsWhereKafkaResetsANewGroup() {
        ActuateCommand.Shared shared = new ActuateCommand.Shared();
        java.util.Map<String, String> resets = new java.util.LinkedHashMap<>();
        long now = System.currentTimeMillis();
        for (String from : java.util.List.of("PT15M", "P1D", "earliest", "latest", "2999-01-01T00:00:00Z")) {
            shared.from = from;
            resets.put(from, ActuateCommand.Shared.autoOffsetReset(shared.firstStart(now), now));
        }
        assertThat(resets).containsExactly(java.util.Map.entry("PT15M", "by_duration:PT15M"), java.util.Map.entry("P1D", "by_duration:PT24H"),
                java.util.Map.entry("earliest", "earliest"), java.util.Map.entry("latest", "latest"),
                java.util.Map.entry("2999-01-01T00:00:00Z", "latest"));
        shared.from = java.time.Instant.ofEpochMilli(System.currentTimeMillis() - 2 * 3_600_000L).toString();
        long later = System.currentTimeMillis();
        assertThat(ActuateCommand.Shared.autoOffsetReset(shared.firstStart(later), later)).as("an instant: the look-back to it").matches("by_duration:PT(1H59M5\\d|2H)[\\d.]*S?");
    }
}

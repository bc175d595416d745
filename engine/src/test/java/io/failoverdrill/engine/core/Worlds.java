package io.failoverdrill.engine.core;

import io.failoverdrill.engine.testing.DrillTestDriver;
import io.failoverdrill.engine.testing.SyntheticWorld;
import io.failoverdrill.schemas.Codec;
import io.failoverdrill.schemas.plan.DrillPlan;
import io.failoverdrill.schemas.plan.DrillType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

/** The committed drill plans ({@code src/test/resources/drills/<type>/plan.json}) run in a {@link SyntheticWorld}. */
public final class Worlds {
    public static final Path DRILLS = Path.of("src", "test", "resources", "drills");
    /** Per drill type, the event-time seconds its committed scenario runs for. */
    public static final Map<DrillType, Integer> DURATION_S = new EnumMap<>(Map.of(DrillType.BROWNOUT, 60,
            DrillType.BLACKHOLE, 75, DrillType.INDEX_SKEW, 80, DrillType.WEBHOOK_REROUTE, 60, DrillType.RETURN_HOME, 120));

    private Worlds() {
    }

    /** The committed plan of {@code type}'s golden drill. */
    public static DrillPlan plan(DrillType type) {
        try {
            return Codec.decodePlan(Files.readAllBytes(DRILLS.resolve(type.wire()).resolve("plan.json")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The committed plan of {@code type}, its JSON text changed by {@code edit} first. */
    public static DrillPlan plan(DrillType type, java.util.function.UnaryOperator<String> edit) {
        try {
            String json = Files.readString(DRILLS.resolve(type.wire()).resolve("plan.json"));
            String edited = edit.apply(json);
            if (edited.equals(json)) {
                throw new IllegalArgumentException("the edit changed nothing in " + type + "'s plan");
            }
            return Codec.decodePlan(edited.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code plan} run for up to {@code seconds} in a world set up as {@code setup}. */
    public static DrillTestDriver run(DrillPlan plan, SyntheticWorld.Setup setup, int seconds) {
        return SyntheticWorld.closedLoop(plan, setup).run(seconds).driver();
    }

    /** {@code type}'s golden plan run in a world set up as {@code setup}; the driver holds inputs and decisions. */
    public static DrillTestDriver run(DrillType type, SyntheticWorld.Setup setup) {
        return SyntheticWorld.closedLoop(plan(type), setup).run(DURATION_S.get(type)).driver();
    }

    public static DrillTestDriver run(DrillType type, long seed) {
        return run(type, SyntheticWorld.Setup.of(seed));
    }
}

package io.failoverdrill.engine.core;

import io.failoverdrill.engine.core.check.CheckRegistry;
import io.failoverdrill.schemas.plan.CheckNames;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** The check names plan validation accepts are exactly those the engine has a rule for. */
class CheckNamesAgreeTest {
    @ParameterizedTest
    @ValueSource(strings = {"pre", "live", "post"})
    void validationAndTheRegistryKnowTheSameChecks(String stage) {
        assertThat(CheckRegistry.known(stage)).isEqualTo(new TreeSet<>(CheckNames.stage(stage)));
    }
}

package io.failoverdrill.engine.core;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** The core is a pure function of (plan, events): no Kafka, no Reactor, no I/O, no clock, no randomness. */
class CorePurityTest {
    private static final JavaClasses CORE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.failoverdrill.engine.core");

    @Test
    void coreDependsOnNoMessagingReactiveOrIoLibrary() {
        ArchRule rule = noClasses().should().dependOnClassesThat().resideInAnyPackage(
                "org.apache.kafka..", "reactor..", "io.micrometer..", "java.io..", "java.nio..", "java.net..",
                "io.failoverdrill.engine.runtime..", "io.failoverdrill.engine.kafka..");
        rule.check(CORE);
    }

    @Test
    void coreReadsNoClockAndNoRandomness() {
        ArchRule rule = noClasses().should().callMethod(System.class, "currentTimeMillis")
                .orShould().callMethod(System.class, "nanoTime")
                .orShould().callMethod(java.time.Instant.class, "now")
                .orShould().callMethod(Math.class, "random")
                .orShould().callMethod(java.util.UUID.class, "randomUUID")
                .orShould().dependOnClassesThat().belongToAnyOf(java.util.Random.class, java.util.SplittableRandom.class,
                        java.security.SecureRandom.class, java.time.Clock.class,
                        java.util.concurrent.ThreadLocalRandom.class);
        rule.check(CORE);
    }
}

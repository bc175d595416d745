package io.failoverdrill.engine.kafka;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;
import reactor.kafka.sender.TransactionManager;

import java.util.Map;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** Reactor Kafka stays behind the adapter, and the call that hangs on kafka-clients 4.x is never made. */
class AdapterBoundaryTest {
    static final JavaClasses ENGINE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.failoverdrill");

    @Test
    void onlyTheKafkaAdapterImportsReactorKafkaOrKafkaClients() {
        noClasses().that().resideInAPackage("io.failoverdrill.engine..")
                .and().resideOutsideOfPackage("io.failoverdrill.engine.kafka..")
                .should().dependOnClassesThat().resideInAnyPackage("reactor.kafka..", "org.apache.kafka..")
                .check(ENGINE);
    }

    @Test
    void theDeprecatedSendOffsetsWithAGroupIdStringIsNeverCalled() {
        // TransactionManager.sendOffsets(Map, String) throws NoSuchMethodError on a sender thread with
        // kafka-clients 4.x and the Mono never completes: only the ConsumerGroupMetadata overload may be used
        noClasses().should().callMethod(TransactionManager.class, "sendOffsets", Map.class, String.class)
                .check(ENGINE);
    }
}

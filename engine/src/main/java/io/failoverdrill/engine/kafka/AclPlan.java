package io.failoverdrill.engine.kafka;

import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The least-privilege ACLs of each principal (docs/security.md), for a topic layout: exactly what its clients do.
 * READ and WRITE imply DESCRIBE in Kafka; DESCRIBE_CONFIGS is for the start-up check of the topic layout.
 */
public final class AclPlan {
    /** Who a principal is to the product. */
    public enum Role {
        /** {@code drill run} / {@code drill guard} / {@code drill serve}: reads the inputs and the journal, writes every output, transactionally. */
        ENGINE,
        /** {@code drill probe}: writes telemetry. */
        PROBE,
        /** An actuator ({@code drill actuate …}): reads the command topics (group {@code <prefix>actuator.<kind>}), writes acks. */
        ACTUATOR,
        /** {@code drill sim}: an actuator plus simulated regions (telemetry of their ledgers and webhooks) and their fault listener (control). */
        SIM,
        /** {@code drill control}, {@code drill stop}, {@code drill submit}: writes control events, stops and plans. */
        OPERATOR,
        /** {@code drill replay}, reports: reads everything, writes nothing. */
        ANALYST,
        /**
         * {@code drill probe --otlp}: reads the Collector's metrics topic (group {@code <prefix>otlp-bridge}), writes
         * telemetry and dead letters.
         */
        OTLP_BRIDGE;

        /** As the command line names it: {@code engine}, …, {@code otlp-bridge}. */
        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    private AclPlan() {
    }

    /** The topic the OpenTelemetry Collector's Kafka exporter writes metrics to by default. */
    public static final String DEFAULT_OTLP_TOPIC = "otlp_metrics";

    /** The ACL bindings {@code principal} (e.g. {@code User:drill-engine}) needs in role {@code role}. */
    public static List<AclBinding> bindings(Role role, String principal, Topics t) {
        return bindings(role, principal, t, DEFAULT_OTLP_TOPIC);
    }

    /** As above; {@code otlpTopic}: the metrics topic an {@link Role#OTLP_BRIDGE} reads. */
    public static List<AclBinding> bindings(Role role, String principal, Topics t, String otlpTopic) {
        Map<ResourcePattern, Set<AclOperation>> m = new LinkedHashMap<>();
        List<String> layout = TopicProvisioner.specs(t).stream().map(TopicProvisioner.TopicSpec::name).toList();
        switch (role) {
            case ENGINE -> {
                for (String input : t.inputs()) {
                    topic(m, input, AclOperation.READ, AclOperation.DESCRIBE_CONFIGS);
                }
                // recovery reads the journal and a guard's snapshots (state) back
                topic(m, t.journal(), AclOperation.READ, AclOperation.WRITE, AclOperation.DESCRIBE_CONFIGS);
                topic(m, t.state(), AclOperation.READ, AclOperation.WRITE, AclOperation.DESCRIBE_CONFIGS);
                for (String output : List.of(t.cutoverCommands(), t.clampCommands(), t.dryrunCommands(), t.decisions(), t.dlq(), t.reports())) {
                    topic(m, output, AclOperation.WRITE, AclOperation.DESCRIBE_CONFIGS);
                }
                prefixed(m, ResourceType.GROUP, t.prefix() + "engine.", AclOperation.READ);
                // drill serve: the plans, shared out in the serve group
                topic(m, t.plans(), AclOperation.READ, AclOperation.DESCRIBE_CONFIGS);
                prefixed(m, ResourceType.GROUP, serveGroup(t), AclOperation.READ);
                prefixed(m, ResourceType.TRANSACTIONAL_ID, t.prefix() + "engine.", AclOperation.WRITE, AclOperation.DESCRIBE);
            }
            case PROBE -> topic(m, t.telemetry(), AclOperation.WRITE, AclOperation.DESCRIBE_CONFIGS);
            case OTLP_BRIDGE -> {
                topic(m, otlpTopic, AclOperation.READ);
                prefixed(m, ResourceType.GROUP, t.prefix() + "otlp-bridge", AclOperation.READ);
                topic(m, t.telemetry(), AclOperation.WRITE, AclOperation.DESCRIBE_CONFIGS);
                topic(m, t.dlq(), AclOperation.WRITE, AclOperation.DESCRIBE_CONFIGS);
            }
            case ACTUATOR -> actuator(m, t);
            case SIM -> {
                actuator(m, t);
                topic(m, t.telemetry(), AclOperation.WRITE, AclOperation.DESCRIBE_CONFIGS);
                topic(m, t.control(), AclOperation.READ, AclOperation.DESCRIBE_CONFIGS);
                prefixed(m, ResourceType.GROUP, t.prefix() + "sim-faults", AclOperation.READ);
            }
            case OPERATOR -> {
                topic(m, t.control(), AclOperation.WRITE, AclOperation.DESCRIBE_CONFIGS);
                topic(m, t.stop(), AclOperation.READ, AclOperation.WRITE, AclOperation.DESCRIBE_CONFIGS);
                // drill submit: reads what is submitted under the id before it writes
                topic(m, t.plans(), AclOperation.READ, AclOperation.WRITE, AclOperation.DESCRIBE_CONFIGS);
                // drill list: the state records, and each engine group's offsets against the inputs' end offsets
                topic(m, t.state(), AclOperation.READ, AclOperation.DESCRIBE_CONFIGS);
                for (String input : List.of(t.telemetry(), t.acks())) {
                    topic(m, input, AclOperation.DESCRIBE);
                }
                prefixed(m, ResourceType.GROUP, t.prefix() + "engine.", AclOperation.DESCRIBE);
                prefixed(m, ResourceType.GROUP, serveGroup(t), AclOperation.DESCRIBE); // which serve instance owns what
            }
            case ANALYST -> {
                layout.forEach(name -> topic(m, name, AclOperation.READ, AclOperation.DESCRIBE_CONFIGS));
                // for consumers that need a group (kafka-console-consumer --group drill.analyst.<name>); replay needs none
                prefixed(m, ResourceType.GROUP, t.prefix() + "analyst.", AclOperation.READ);
            }
        }
        List<AclBinding> out = new ArrayList<>();
        m.forEach((resource, ops) -> ops.forEach(op -> out.add(new AclBinding(resource,
                new AccessControlEntry(principal, "*", op, AclPermissionType.ALLOW)))));
        return out;
    }

    /** The consumer group {@code drill serve} instances share the plans in (by default; {@code --group} names others under it). */
    public static String serveGroup(Topics t) {
        return t.prefix() + "serve";
    }

    private static void actuator(Map<ResourcePattern, Set<AclOperation>> m, Topics t) {
        topic(m, t.cutoverCommands(), AclOperation.READ, AclOperation.DESCRIBE_CONFIGS);
        topic(m, t.clampCommands(), AclOperation.READ, AclOperation.DESCRIBE_CONFIGS);
        // READ on the acks: an actuator reads its own first ack back when a command it handled before a restart comes again
        topic(m, t.acks(), AclOperation.READ, AclOperation.WRITE, AclOperation.DESCRIBE_CONFIGS);
        prefixed(m, ResourceType.GROUP, t.prefix() + "actuator.", AclOperation.READ);
    }

    private static void topic(Map<ResourcePattern, Set<AclOperation>> m, String name, AclOperation... ops) {
        m.computeIfAbsent(new ResourcePattern(ResourceType.TOPIC, name, PatternType.LITERAL), k -> EnumSet.noneOf(AclOperation.class))
                .addAll(List.of(ops));
    }

    private static void prefixed(Map<ResourcePattern, Set<AclOperation>> m, ResourceType type, String prefix, AclOperation... ops) {
        m.computeIfAbsent(new ResourcePattern(type, prefix, PatternType.PREFIXED), k -> EnumSet.noneOf(AclOperation.class))
                .addAll(List.of(ops));
    }

    /**
     * The {@code kafka-acls} command lines that add {@code bindings}: one per principal and resource, with all its
     * operations ({@code --command-config} names the admin's client properties file).
     */
    public static List<String> kafkaAclsCommands(List<AclBinding> bindings, String bootstrap, String commandConfig) {
        Map<String, List<String>> byResource = new LinkedHashMap<>();
        for (AclBinding b : bindings) {
            ResourcePattern r = b.pattern();
            String flag = switch (r.resourceType()) {
                case TOPIC -> "--topic";
                case GROUP -> "--group";
                case TRANSACTIONAL_ID -> "--transactional-id";
                case CLUSTER -> "--cluster";
                default -> throw new IllegalArgumentException("no kafka-acls flag for " + r.resourceType());
            };
            String key = "--allow-principal " + b.entry().principal() + " " + flag + " " + r.name()
                    + (r.patternType() == PatternType.PREFIXED ? " --resource-pattern-type prefixed" : "");
            byResource.computeIfAbsent(key, k -> new ArrayList<>()).add("--operation " + operation(b.entry().operation()));
        }
        List<String> out = new ArrayList<>();
        byResource.forEach((key, ops) -> out.add("kafka-acls.sh --bootstrap-server " + bootstrap
                + (commandConfig == null ? "" : " --command-config " + commandConfig) + " --add " + key + " " + String.join(" ", ops)));
        return out;
    }

    /** Kafka's spelling of an operation on the kafka-acls command line ({@code DescribeConfigs}). */
    static String operation(AclOperation op) {
        StringBuilder b = new StringBuilder();
        for (String part : op.name().split("_")) {
            b.append(part.charAt(0)).append(part.substring(1).toLowerCase(java.util.Locale.ROOT));
        }
        return b.toString();
    }
}

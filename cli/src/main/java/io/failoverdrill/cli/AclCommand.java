package io.failoverdrill.cli;

import io.failoverdrill.engine.kafka.AclPlan;
import io.failoverdrill.engine.kafka.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AclBinding;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code drill acl --principal-engine User:… [--principal-probe …] …}: the least-privilege ACLs of each principal
 * (docs/security.md) as {@code kafka-acls} command lines, or applied through the Admin API ({@code --apply}, as an
 * admin principal).
 */
@Command(name = "acl", mixinStandardHelpOptions = true,
        description = "Print (or --apply) the least-privilege ACLs of each principal for the topic layout.")
final class AclCommand implements Callable<Integer> {
    @Option(names = "--principal-engine", paramLabel = "User:NAME", description = "drill run / drill guard")
    String engine;

    @Option(names = "--principal-probe", paramLabel = "User:NAME", description = "drill probe")
    String probe;

    @Option(names = "--principal-actuator", paramLabel = "User:NAME", description = "an actuator (commands in, acks out)")
    String actuator;

    @Option(names = "--principal-sim", paramLabel = "User:NAME", description = "drill sim (an actuator plus simulated regions)")
    String sim;

    @Option(names = "--principal-operator", paramLabel = "User:NAME", description = "drill control, drill stop")
    String operator;

    @Option(names = "--principal-analyst", paramLabel = "User:NAME", description = "drill replay, reports (read only)")
    String analyst;

    @Option(names = "--principal-otlp-bridge", paramLabel = "User:NAME", description = "drill probe --otlp (the OTLP metrics bridge)")
    String otlpBridge;

    @Option(names = "--otlp-topic", defaultValue = "otlp_metrics", description = "the metrics topic the OTLP bridge reads (default: ${DEFAULT-VALUE})")
    String otlpTopic;

    @Option(names = "--apply", description = "create the ACLs through the Admin API (an admin principal's --kafka-config)")
    boolean apply;

    @Option(names = "--command-config-path", paramLabel = "FILE",
            description = "the admin's properties file to name in the printed kafka-acls lines (default: admin.properties)")
    String commandConfigPath;

    @Mixin
    KafkaOptions kafka;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Map<AclPlan.Role, String> principals = new LinkedHashMap<>();
        put(principals, AclPlan.Role.ENGINE, engine);
        put(principals, AclPlan.Role.PROBE, probe);
        put(principals, AclPlan.Role.ACTUATOR, actuator);
        put(principals, AclPlan.Role.SIM, sim);
        put(principals, AclPlan.Role.OPERATOR, operator);
        put(principals, AclPlan.Role.ANALYST, analyst);
        put(principals, AclPlan.Role.OTLP_BRIDGE, otlpBridge);
        PrintWriter out = spec.commandLine().getOut();
        if (principals.isEmpty()) {
            spec.commandLine().getErr().println("drill acl: name at least one principal (--principal-engine User:NAME, …)");
            return DrillCli.USAGE;
        }
        Topics topics = kafka.topics();
        List<AclBinding> all = new ArrayList<>();
        String bootstrap = kafka.hasBootstrap() ? kafka.bootstrap() : "BROKER:PORT";
        for (Map.Entry<AclPlan.Role, String> e : principals.entrySet()) {
            List<AclBinding> bindings = AclPlan.bindings(e.getKey(), e.getValue(), topics, otlpTopic);
            all.addAll(bindings);
            out.println("# " + e.getKey().wire() + " " + e.getValue() + ": " + bindings.size() + " ACLs");
            AclPlan.kafkaAclsCommands(bindings, bootstrap, commandConfigPath == null ? "admin.properties" : commandConfigPath)
                    .forEach(out::println);
        }
        if (apply) {
            try (Admin admin = Admin.create(kafka.reachableClient())) {
                admin.createAcls(all).all().get(30, TimeUnit.SECONDS);
            }
            out.println("acl      " + all.size() + " ACLs applied on " + bootstrap);
        }
        out.flush();
        return DrillCli.OK;
    }

    private static void put(Map<AclPlan.Role, String> m, AclPlan.Role role, String principal) {
        if (principal == null) {
            return;
        }
        if (!principal.matches("[A-Za-z]+:.+")) {
            throw new IllegalArgumentException("--principal-" + role.wire() + " must be TYPE:NAME (e.g. User:drill-"
                    + role.wire() + "), got '" + principal + "'");
        }
        m.put(role, principal);
    }
}

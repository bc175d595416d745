package io.failoverdrill.engine.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.ResourceType;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Checks at start-up that this client's principal holds the topic ACLs its role needs ({@link AclPlan}), by asking
 * the broker which operations it may perform on each topic ({@code describeTopics} with authorized operations — no
 * right beyond DESCRIBE needed). A missing ACL is named — resource, operation, and where the list of ACLs is — before
 * any client starts, instead of surfacing later as a failed transaction.
 */
public final class TopicPermissions {
    private TopicPermissions() {
    }

    public static void check(Map<String, Object> client, Topics topics, AclPlan.Role role) {
        check(client, topics, role, AclPlan.DEFAULT_OTLP_TOPIC);
    }

    /** As above, for a role that also reads {@code otlpTopic}. */
    public static void check(Map<String, Object> client, Topics topics, AclPlan.Role role, String otlpTopic) {
        Map<String, Set<AclOperation>> needed = new LinkedHashMap<>();
        for (AclBinding b : AclPlan.bindings(role, "User:self", topics, otlpTopic)) {
            if (b.pattern().resourceType() == ResourceType.TOPIC) {
                needed.computeIfAbsent(b.pattern().name(), k -> EnumSet.noneOf(AclOperation.class)).add(b.entry().operation());
            }
        }
        List<String> missing = new ArrayList<>();
        try (Admin admin = Admin.create(client)) {
            Map<String, org.apache.kafka.common.KafkaFuture<TopicDescription>> futures = admin.describeTopics(needed.keySet(),
                    new DescribeTopicsOptions().includeAuthorizedOperations(true)).topicNameValues();
            for (Map.Entry<String, Set<AclOperation>> e : needed.entrySet()) {
                String topic = e.getKey();
                TopicDescription d;
                try {
                    d = futures.get(topic).get(30, TimeUnit.SECONDS);
                } catch (ExecutionException ex) {
                    if (ex.getCause() instanceof org.apache.kafka.common.errors.TopicAuthorizationException) {
                        // not even DESCRIBE (which READ and WRITE imply): every operation it needs is missing
                        e.getValue().forEach(op -> missing.add("Topic:" + topic + " " + AclPlan.operation(op)));
                        continue;
                    }
                    if (ex.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException) {
                        continue; // the layout check names missing topics
                    }
                    throw new IllegalStateException(hint(role, "cannot describe topic " + topic + " ("
                            + ex.getCause().getClass().getSimpleName() + ": " + ex.getCause().getMessage() + ")"));
                }
                Set<AclOperation> allowed = d.authorizedOperations();
                if (allowed == null) {
                    continue; // the broker did not say (no authorizer): nothing to check
                }
                for (AclOperation op : e.getValue()) {
                    if (!allowed.contains(op) && !allowed.contains(AclOperation.ALL)) {
                        missing.add("Topic:" + topic + " " + AclPlan.operation(op));
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking ACLs", e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("the broker did not say within 30 s which topic operations are allowed");
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException(hint(role, "missing ACL " + String.join(", ", missing)));
        }
    }

    private static String hint(AclPlan.Role role, String what) {
        return "the " + role.wire() + " principal " + what + " (docs/security.md; 'drill acl --principal-" + role.wire()
                + " User:…' prints what it needs)";
    }
}

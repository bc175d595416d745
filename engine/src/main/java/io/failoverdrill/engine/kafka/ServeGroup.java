package io.failoverdrill.engine.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.utils.Utils;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Which {@code drill serve} instance owns which drill or guard: the plans partition an id is on (the producer's
 * default partitioner, as {@code drill submit} and any producer keying by id use it) and the serve group member that
 * partition is assigned to. This is where the id runs — the engine's own consumer group cannot say, since a static
 * member that takes over keeps the client id of the one it replaced.
 */
public final class ServeGroup {
    private ServeGroup() {
    }

    /** The plans partition of {@code id} among {@code partitions}. */
    public static int partitionOf(String id, int partitions) {
        return Utils.toPositive(Utils.murmur2(id.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    /** The consumer group {@code group} as the broker describes it now; empty when it does not exist. */
    public static Optional<ConsumerGroupDescription> describe(Admin admin, String group)
            throws InterruptedException, java.util.concurrent.TimeoutException, ExecutionException {
        try {
            return Optional.of(admin.describeConsumerGroups(List.of(group)).describedGroups().get(group).get(30, TimeUnit.SECONDS));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Plans partition → the instance ({@code group.instance.id}, else the client id) and host of its owner, now. */
    public static Map<Integer, String> owners(Admin admin, Topics topics, String group)
            throws InterruptedException, java.util.concurrent.TimeoutException, ExecutionException {
        Map<Integer, String> out = new TreeMap<>();
        for (MemberDescription m : describe(admin, group).map(ConsumerGroupDescription::members).orElse(List.of())) {
            String who = m.groupInstanceId().orElse(m.clientId()) + " (" + m.host().replaceFirst("^/", "") + ")";
            for (TopicPartition tp : m.assignment().topicPartitions()) {
                if (tp.topic().equals(topics.plans())) {
                    out.put(tp.partition(), who);
                }
            }
        }
        return out;
    }

    /** Where each of {@code ids} is owned ({@code instance (host)}); ids on a partition nobody owns now are left out. */
    public static Map<String, String> ownersOf(Admin admin, Topics topics, String group, List<String> ids)
            throws InterruptedException, java.util.concurrent.TimeoutException, ExecutionException {
        int partitions = admin.describeTopics(List.of(topics.plans())).allTopicNames().get(30, TimeUnit.SECONDS)
                .get(topics.plans()).partitions().size();
        Map<Integer, String> owners = owners(admin, topics, group);
        Map<String, String> out = new TreeMap<>();
        for (String id : ids) {
            String owner = owners.get(partitionOf(id, partitions));
            if (owner != null) {
                out.put(id, owner);
            }
        }
        return out;
    }
}

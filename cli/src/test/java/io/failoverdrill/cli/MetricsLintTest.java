package io.failoverdrill.cli;

import io.failoverdrill.engine.core.DrillCore;
import io.failoverdrill.engine.kafka.KafkaEventLog;
import io.failoverdrill.engine.kafka.TopicProvisioner;
import io.failoverdrill.engine.kafka.Topics;
import io.failoverdrill.engine.runtime.DrillRuntime;
import io.failoverdrill.engine.testing.SyntheticWorld;
import io.failoverdrill.kafka.testkit.RealPrograms;
import io.failoverdrill.kafka.testkit.SharedKafka;
import io.failoverdrill.schemas.Codec;
import io.failoverdrill.schemas.event.InputEvent;
import io.failoverdrill.schemas.plan.DrillPlan;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The engine's meters, scraped after real work on a real broker, pass Prometheus' own linter for every drill_* family. */
class MetricsLintTest {
    @Test
    void promtoolCheckMetricsReportsNothingForTheDrillFamilies() throws Exception {
        String promtool = RealPrograms.find("prometheus", "/usr/bin/promtool", "/usr/local/bin/promtool").toString();
        DrillPlan plan = PlanFiles.bundled("demo-brownout").withDrillId("metrics-lint");
        String bootstrap = SharedKafka.bootstrapServers();
        Topics topics = new Topics("lint.");
        TopicProvisioner.ensure(bootstrap, topics, (short) 1);
        List<InputEvent> events = SyntheticWorld.openLoop(plan, SyntheticWorld.Setup.of(3)).nextEvents(3000);
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                new StringSerializer(), new ByteArraySerializer())) {
            for (InputEvent e : events) {
                p.send(new ProducerRecord<>(topics.telemetry(), 0, "k", Codec.encode(e)));
            }
            p.send(new ProducerRecord<>(topics.telemetry(), 0, "k", "{\"type\":\"nope\"}".getBytes(StandardCharsets.UTF_8)));
            p.flush();
        }
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        KafkaEventLog log = new KafkaEventLog(bootstrap, topics, plan.drillId(), new KafkaEventLog.Options(500, meters, (b, s) -> { }));
        Disposable engine = new DrillRuntime(new DrillCore(plan), log, meters).run().subscribe();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> meters.scrape().contains("drill_records_dlq_total"));
        } finally {
            engine.dispose();
            log.close();
        }
        String scrape = meters.scrape();
        assertThat(scrape).contains("drill_records_consumed_total", "drill_events_late_total", "drill_events_duplicate_total",
                "drill_transaction_commit_seconds", "drill_watermark_delay_seconds", "drill_seq");
        Process lint = new ProcessBuilder(promtool, "check", "metrics").redirectErrorStream(true).start();
        lint.getOutputStream().write(scrape.getBytes(StandardCharsets.UTF_8));
        lint.getOutputStream().close();
        String report = new String(lint.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(lint.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(report.lines().filter(l -> l.startsWith("drill_")).toList()).as(report).isEmpty();
    }
}

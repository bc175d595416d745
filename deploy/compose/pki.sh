#!/bin/sh
# One-shot init for docker-compose.yml: a CA and broker certificate (keytool), a random password per Kafka user,
# the broker's server.properties (SASL_SSL + SCRAM-SHA-512, StandardAuthorizer, no ACL = no access), one client
# properties file per principal, the cluster id, and the engine's command-signing key. Everything lands in $SECRETS (a volume),
# readable by its owner only; nothing secret is printed. Runs once: a second start finds $SECRETS/.done and exits.
set -eu
SECRETS=${SECRETS:-/secrets}
HOST=${KAFKA_HOST:-kafka}
PORT=${KAFKA_PORT:-9093}
CONTROLLER_PORT=${KAFKA_CONTROLLER_PORT:-9094}
KAFKA_UID=${KAFKA_UID:-1000}
DRILL_CP=${DRILL_CP:-/opt/drill/drill-cli.jar:/opt/drill/lib/*}
USERS="admin drill-engine drill-probe drill-sim drill-operator drill-analyst"

if [ -f "$SECRETS/.done" ]; then
  echo "pki: $SECRETS already initialised"
  exit 0
fi
umask 077
mkdir -p "$SECRETS"
cd "$SECRETS"
secret() { head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n'; }
STORE_PASS=$(secret)
export STORE_PASS

kt() { keytool "$@" -storepass:env STORE_PASS; }
kt -genkeypair -alias ca -keyalg EC -groupname secp256r1 -dname CN=drill-compose-ca -ext bc:c -validity 825 \
   -keystore ca.p12 -storetype PKCS12 -keypass:env STORE_PASS
kt -exportcert -rfc -alias ca -keystore ca.p12 -file ca.pem
kt -genkeypair -alias broker -keyalg EC -groupname secp256r1 -dname "CN=$HOST" -validity 825 \
   -keystore broker.p12 -storetype PKCS12 -keypass:env STORE_PASS
kt -certreq -alias broker -keystore broker.p12 -file broker.csr
kt -gencert -alias ca -keystore ca.p12 -infile broker.csr -outfile broker.pem -rfc -validity 825 \
   -ext "SAN=dns:$HOST,dns:localhost,ip:127.0.0.1" -ext EKU=serverAuth,clientAuth
kt -importcert -noprompt -alias ca -file ca.pem -keystore broker.p12
kt -importcert -alias broker -file broker.pem -keystore broker.p12
kt -importcert -noprompt -alias ca -file ca.pem -keystore truststore.p12 -storetype PKCS12
rm -f broker.csr

for user in $USERS; do
  secret > "$user.password"
  cat > "$user.properties" <<PROPS
bootstrap.servers=$HOST:$PORT
security.protocol=SASL_SSL
sasl.mechanism=SCRAM-SHA-512
sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="$user" password="$(cat "$user.password")";
ssl.truststore.location=$SECRETS/truststore.p12
ssl.truststore.password=$STORE_PASS
ssl.truststore.type=PKCS12
PROPS
done

cat > server.properties <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@localhost:$CONTROLLER_PORT
listeners=SASL_SSL://:$PORT,CONTROLLER://localhost:$CONTROLLER_PORT
advertised.listeners=SASL_SSL://$HOST:$PORT
listener.security.protocol.map=SASL_SSL:SASL_SSL,CONTROLLER:PLAINTEXT
controller.listener.names=CONTROLLER
inter.broker.listener.name=SASL_SSL
sasl.enabled.mechanisms=SCRAM-SHA-512
sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512
listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="$(cat admin.password)";
ssl.keystore.location=$SECRETS/broker.p12
ssl.keystore.password=$STORE_PASS
ssl.key.password=$STORE_PASS
ssl.keystore.type=PKCS12
ssl.truststore.location=$SECRETS/truststore.p12
ssl.truststore.password=$STORE_PASS
ssl.truststore.type=PKCS12
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
allow.everyone.if.no.acl.found=false
# the controller listener is plaintext on localhost only; the broker reaches its controller as ANONYMOUS
super.users=User:admin;User:ANONYMOUS
log.dirs=${KAFKA_LOG_DIRS:-/tmp/kraft-combined-logs}
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
PROPS

# the cluster id kafka-storage format wants: 16 random bytes, base64url without padding
head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n' > cluster.id
java -cp "$DRILL_CP" io.failoverdrill.cli.DrillCli keys gen --out "$SECRETS/engine.key" --keyset "$SECRETS/keys.json"
chown -R "$KAFKA_UID:$KAFKA_UID" "$SECRETS" 2>/dev/null || true
chmod 600 "$SECRETS"/* && chmod 700 "$SECRETS"
touch .done
echo "pki: CA, broker certificate, users ($USERS), server.properties and the signing key written to $SECRETS"

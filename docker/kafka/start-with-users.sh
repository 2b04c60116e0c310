#!/usr/bin/env bash
# The compose Kafka's start (docker-compose.yml mounts it into apache/kafka): the image's own steps
# (/etc/kafka/docker/run: configureDefaults, configure, then launch's KafkaDockerWrapper setup and
# kafka-server-start), except that the data volume is formatted with a SCRAM-SHA-512 credential for
# every user of SCRAM_USERS ("name=password ..."). The image formats with CLUSTER_ID only, and KRaft
# keeps SCRAM credentials in its metadata log, which before the first start only a format can write.
# A volume formatted before keeps the users it was formatted with (README, "Docker").

# errexit and nounset, as the image's scripts run.
. /etc/kafka/docker/bash-config

# The image refuses a SASL listener without KAFKA_OPTS (it expects a JAAS file there); here the JAAS
# settings are listener properties (KAFKA_LISTENER_NAME_*_JAAS_CONFIG), so any value will do.
export KAFKA_OPTS="${KAFKA_OPTS:--Djava.awt.headless=true}"
. /etc/kafka/docker/configureDefaults
. /etc/kafka/docker/configure

config=/opt/kafka/config/server.properties
data="${KAFKA_LOG_DIRS:?KAFKA_LOG_DIRS must name the data volume}"
scratch=/tmp/kafka-format-scratch

read -r -a users <<<"${SCRAM_USERS:?SCRAM_USERS must list name=password for every Kafka user}"
scram=()
admin_password=
for user in "${users[@]}"; do
  name="${user%%=*}"
  password="${user#*=}"
  # Nothing Kafka's [name=...,password=...] syntax or a JAAS string would read as syntax.
  if [[ ! "$name" =~ ^[a-z][a-z0-9-]*$ || ! "$password" =~ ^[A-Za-z0-9_.~+/-]{16,}$ ]]; then
    echo "kafka: user ${name}: a password needs 16 or more of A-Z a-z 0-9 _ . ~ + / - (openssl rand -hex 24)" >&2
    exit 1
  fi
  scram+=(--add-scram "SCRAM-SHA-512=[name=${name},password=${password}]")
  if [[ "$name" == admin ]]; then admin_password="$password"; fi
done
if [[ -z "$admin_password" ]]; then
  echo "kafka: SCRAM_USERS has no admin" >&2
  exit 1
fi

# The wrapper writes server.properties from the KAFKA_* variables and then formats log.dirs without
# users: it formats a scratch directory instead, and the volume is formatted below.
rm -rf "$scratch"
if ! result="$(KAFKA_LOG_DIRS="$scratch" /opt/kafka/bin/kafka-run-class.sh kafka.docker.KafkaDockerWrapper setup \
  --default-configs-dir /etc/kafka/docker \
  --mounted-configs-dir /mnt/shared/config \
  --final-configs-dir /opt/kafka/config 2>&1)"; then
  echo "$result" >&2
  exit 1
fi
rm -rf "$scratch"
sed -i "s|^log\.dirs=.*|log.dirs=${data}|" "$config"
grep -qx "log.dirs=${data}" "$config"

# The first start formats the volume with every user; later starts find it formatted and keep it.
/opt/kafka/bin/kafka-storage.sh format --ignore-formatted --cluster-id "$CLUSTER_ID" --config "$config" "${scram[@]}"

# For the healthcheck (kafka-broker-api-versions.sh --command-config): the admin's login.
umask 077
cat >/opt/kafka/config/admin-client.properties <<EOF
security.protocol=SASL_PLAINTEXT
sasl.mechanism=SCRAM-SHA-512
sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="${admin_password}";
EOF

exec /opt/kafka/bin/kafka-server-start.sh "$config"

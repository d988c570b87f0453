#!/usr/bin/env bash
# cluster.sh: real Apache Kafka (KRaft, combined broker+controller) brokers on
# 127.0.0.1 for tests, from the jars fetch.sh brings.
#
#   cluster.sh start   DIR N [key=value ...]  start N brokers, print bootstrap
#   cluster.sh stop    DIR                    SIGTERM, then SIGKILL; idempotent
#   cluster.sh kill    DIR i                  kill -9 broker i (node.id i)
#   cluster.sh restart DIR i                  start broker i again, same ports/data
#   cluster.sh leader  DIR TOPIC PARTITION    print the node id leading it (-1: none)
#
# DIR layout: bootstrap (host:port,...), libdir (jar dir), log4j2*.properties,
# tools.log, broker-i/{server.properties,data/,log,pid}. Broker i has node.id i;
# all N are controller voters (static controller.quorum.voters). Every port is
# picked free at run time; a start that loses a port race is retried.
#
# Env: KAFKA_TEST_START_TIMEOUT (s, default 90), KAFKA_TEST_STOP_GRACE (s,
# default 5), KAFKA_TEST_LOG_LEVEL (default WARN), KAFKA_TEST_JVM_OPTS (added
# after the defaults, so e.g. -Xmx1g or -XX:TieredStopAtLevel=4 wins),
# KAFKA_TEST_CDS=0 (no class data sharing archive), SDMX_HUB_CACHE (see
# fetch.sh). KAFKA_TEST_CDS_DUMP is internal (the CDS training run).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
start_timeout=${KAFKA_TEST_START_TIMEOUT:-90}
stop_grace=${KAFKA_TEST_STOP_GRACE:-5}
log_level=${KAFKA_TEST_LOG_LEVEL:-WARN}

# Small and quick to start: serial GC and C1 only (tests are short, so
# peak JIT throughput buys nothing), fixed small heap range.
jvm_opts=(-Xms64m -Xmx384m -XX:+UseSerialGC -XX:TieredStopAtLevel=1
          -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true
          -Djava.net.preferIPv4Stack=true)
# JVM warnings (e.g. a class data sharing archive that no longer fits this
# JDK) to stderr, so that they never mix into a CLI's stdout that we parse.
jvm_opts+=(-Xlog:all=warning:stderr)
# shellcheck disable=SC2206 # word splitting of user JVM options is wanted
jvm_opts+=(${KAFKA_TEST_JVM_OPTS:-})

die() { echo "cluster.sh: $*" >&2; exit 1; }

usage() {
    sed -n '5,9p' "${BASH_SOURCE[0]}" | sed 's/^# *//' >&2
    exit 2
}

# ---- pids -------------------------------------------------------------------

# Prints broker i's pid if it is alive and really is that broker (the pid file
# may be stale and its number reused by an unrelated process).
live_pid() {
    local dir=$1 i=$2 pid
    pid=$(cat "$dir/broker-$i/pid" 2>/dev/null) || return 1
    [ -n "$pid" ] || return 1
    tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline" |
        grep -qF "kafka.Kafka $dir/broker-$i/server.properties" || return 1
    echo "$pid"
}

broker_ids() {   # node ids of DIR, from its broker-* dirs
    local d
    for d in "$1"/broker-*; do
        [ -d "$d" ] && echo "${d##*/broker-}"
    done
    return 0
}

wait_gone() {    # wait_gone SECONDS PID... : 0 if all exited in time
    local deadline=$((SECONDS + $1)) p alive
    shift
    while :; do
        alive=0
        for p in "$@"; do kill -0 "$p" 2>/dev/null && alive=1; done
        [ "$alive" = 0 ] && return 0
        [ "$SECONDS" -ge "$deadline" ] && return 1
        sleep 0.1
    done
}

# stop_all DIR [GRACE]: SIGTERM every live broker of DIR, SIGKILL what is
# left after GRACE seconds (0: SIGKILL at once, for brokers we throw away).
stop_all() {
    local dir=$1 grace=${2:-$stop_grace} i pid pids=()
    [ -d "$dir" ] || return 0
    for i in $(broker_ids "$dir"); do
        if pid=$(live_pid "$dir" "$i"); then
            kill -TERM "$pid" 2>/dev/null || true
            pids+=("$pid")
        fi
    done
    if [ "${#pids[@]}" -gt 0 ] && ! wait_gone "$grace" "${pids[@]}"; then
        # A broker doing a controlled shutdown with no controller quorum left
        # waits forever; tests do not need a clean shutdown.
        kill -KILL "${pids[@]}" 2>/dev/null || true
        wait_gone 10 "${pids[@]}" || true
    fi
    for i in $(broker_ids "$dir"); do rm -f "$dir/broker-$i/pid"; done
}

# ---- java -------------------------------------------------------------------

# Class data sharing (AppCDS): a JVM maps the classes it would otherwise load
# and verify one by one from 50 jars from an archive instead. That halves the
# CPU a broker needs to start, which is what a 3-broker start on 2 cores
# waits for. The archive is made once per jar set and JDK, next to the jars,
# by a training run: one broker started with -XX:ArchiveClassesAtExit and
# stopped cleanly (the JVM writes it on exit). If anything about it fails,
# brokers just start without it; a JDK that finds it stale ignores it.
cds_path() {     # cds_path LIBDIR
    echo "$(dirname "$1")/cds-$(java -version 2>&1 | cksum | cut -d" " -f1).jsa"
}

make_cds() {     # make_cds LIBDIR TRAINDIR : make the archive if missing
    local jsa tmp train=$2
    jsa=$(cds_path "$1")
    [ -f "$jsa" ] && return 0
    tmp="$jsa.tmp.$$"
    if KAFKA_TEST_CDS=0 KAFKA_TEST_CDS_DUMP="$tmp" "${BASH_SOURCE[0]}" start "$train" 1 >/dev/null &&
       KAFKA_TEST_STOP_GRACE=60 "${BASH_SOURCE[0]}" stop "$train" && [ -s "$tmp" ]; then
        mv -f "$tmp" "$jsa"
    else
        echo "cluster.sh: warning: no class data sharing archive, brokers start slower" >&2
        "${BASH_SOURCE[0]}" stop "$train" || true
    fi
    rm -rf "$train" "$tmp"
}

# Runs a Kafka CLI class from the jars (admin tools), its log to DIR/tools.log.
tool() {
    local dir=$1
    shift
    local -a cds=()
    [ -s "$dir/cds" ] && cds=("$(cat "$dir/cds")")
    java "${jvm_opts[@]}" "${cds[@]}" \
        -Dlog4j2.configurationFile="$dir/log4j2-tools.properties" \
        -cp "$(cat "$dir/libdir")/*" "$@" 2>>"$dir/tools.log"
}

launch() {       # launch DIR i : start broker i in the background
    local dir=$1 i=$2 b="$1/broker-$2"
    local -a cds=()
    [ -s "$dir/cds" ] && cds=("$(cat "$dir/cds")")
    # stdin from /dev/null and stdout/err to the log: the broker must not hold
    # the caller's pipes open (bootstrap=$(cluster.sh start ...) would hang).
    # Started from a subshell so it is not this shell's job (no "Killed"
    # notice on stderr when kill/stop ends it).
    (
        java "${jvm_opts[@]}" "${cds[@]}" \
            ${KAFKA_TEST_CDS_DUMP:+-XX:ArchiveClassesAtExit="$KAFKA_TEST_CDS_DUMP"} \
            -Dlog4j2.configurationFile="$dir/log4j2.properties" \
            -cp "$(cat "$dir/libdir")/*" \
            kafka.Kafka "$b/server.properties" </dev/null >>"$b/log" 2>&1 &
        echo $! >"$b/pid"
    )
}

started_count() {  # how many times broker i logged that it is up
    grep -c "Kafka Server started" "$1/broker-$2/log" 2>/dev/null || true
}

# Waits until broker i has logged "Kafka Server started" more than $3 times
# (the broker logs it after it is unfenced and its listeners accept).
# Returns 2 if it died of a port already taken, 1 on other death or timeout.
wait_started() {
    local dir=$1 i=$2 before=$3 deadline=$4
    while :; do
        [ "$(started_count "$dir" "$i")" -gt "$before" ] && return 0
        if ! live_pid "$dir" "$i" >/dev/null; then
            grep -q "Address already in use" "$dir/broker-$i/log" && return 2
            return 1
        fi
        [ "$SECONDS" -ge "$deadline" ] && return 1
        sleep 0.2
    done
}

# Free ports on 127.0.0.1, picked below the kernel's ephemeral range so that
# an outgoing connection cannot be holding one when a broker restarts. All
# are bound at once so they are distinct; closed before Kafka binds them,
# hence the retry in start.
free_ports() {
    python3 - "$1" <<'EOF'
import random, socket, sys
n = int(sys.argv[1])
lo = int(open("/proc/sys/net/ipv4/ip_local_port_range").read().split()[0])
held = []
for _ in range(200 * n):
    if len(held) == n:
        break
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", random.randint(10000, lo - 1) if lo > 11000 else 0))
        held.append(s)
    except OSError:
        s.close()
print(" ".join(str(s.getsockname()[1]) for s in held))
EOF
}

write_configs() {  # write_configs DIR N "ports..." overrides...
    local dir=$1 n=$2 i voters="" rf misr
    local -a ports
    read -r -a ports <<<"$3"
    shift 3
    [ "${#ports[@]}" -eq $((2 * n)) ] || die "could not find $((2 * n)) free ports"
    for ((i = 0; i < n; i++)); do
        voters+="${voters:+,}$i@127.0.0.1:${ports[2 * i + 1]}"
    done
    # Replication as production would have it for 3 brokers; 1 for 1.
    rf=$((n < 3 ? n : 3))
    misr=$((rf >= 3 ? 2 : 1))
    for ((i = 0; i < n; i++)); do
        mkdir -p "$dir/broker-$i/data"
        {
            echo "# Written by tests/kafka/broker/cluster.sh"
            echo "process.roles=broker,controller"
            echo "node.id=$i"
            echo "listeners=PLAINTEXT://127.0.0.1:${ports[2 * i]},CONTROLLER://127.0.0.1:${ports[2 * i + 1]}"
            echo "advertised.listeners=PLAINTEXT://127.0.0.1:${ports[2 * i]}"
            echo "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"
            echo "controller.listener.names=CONTROLLER"
            echo "inter.broker.listener.name=PLAINTEXT"
            echo "controller.quorum.voters=$voters"
            echo "log.dirs=$dir/broker-$i/data"
            echo "auto.create.topics.enable=false"
            echo "num.partitions=1"
            echo "default.replication.factor=$rf"
            echo "min.insync.replicas=$misr"
            echo "offsets.topic.replication.factor=$rf"
            echo "transaction.state.log.replication.factor=$rf"
            echo "transaction.state.log.min.isr=$misr"
            echo "share.coordinator.state.topic.replication.factor=$rf"
            echo "share.coordinator.state.topic.min.isr=$misr"
            # Internal topics with 1 partition: creating 50 (x3 replicas) on
            # the first consumer group costs seconds on 2 cores.
            echo "offsets.topic.num.partitions=1"
            echo "transaction.state.log.num.partitions=1"
            echo "group.initial.rebalance.delay.ms=0"
            # A kill -9'd broker is fenced (and leaves the ISRs) after 6 s,
            # not 9 s; a stuck follower after 10 s, not 30 s.
            echo "broker.heartbeat.interval.ms=1000"
            echo "broker.session.timeout.ms=6000"
            echo "replica.lag.time.max.ms=10000"
            # Memory: the log cleaner allocates this buffer up front (128 MB
            # by default); fewer threads than a production broker.
            echo "log.cleaner.dedupe.buffer.size=8388608"
            echo "num.network.threads=2"
            echo "num.io.threads=2"
            echo "num.replica.fetchers=1"
            echo "background.threads=2"
            echo "# Overrides from the command line (last value wins)"
            local kv
            for kv in "$@"; do echo "$kv"; done
        } >"$dir/broker-$i/server.properties"
    done
}

write_log_configs() {
    local dir=$1
    # Broker: $log_level to the console (= broker-i/log), plus the one INFO
    # line that wait_started looks for.
    cat >"$dir/log4j2.properties" <<EOF
status = error
appender.out.type = Console
appender.out.name = OUT
appender.out.layout.type = PatternLayout
appender.out.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = $log_level
rootLogger.appenderRef.out.ref = OUT
logger.started.name = kafka.server.KafkaRaftServer
logger.started.level = INFO
EOF
    # CLI tools: only errors (connection retries are normal while starting).
    sed -e 's/^rootLogger.level = .*/rootLogger.level = ERROR/' \
        -e '/^logger\.started/d' "$dir/log4j2.properties" >"$dir/log4j2-tools.properties"
}

# ---- commands ---------------------------------------------------------------

cmd_start() {
    local dir=$1 n=$2 i rc cid ports kv jsa
    shift 2
    case $n in ''|*[!0-9]*|0) die "N must be a positive number, got '$n'" ;; esac
    for kv in "$@"; do
        case $kv in *=*) ;; *) die "override '$kv' is not key=value" ;; esac
    done
    command -v python3 >/dev/null || die "python3 not found (picks free ports)"
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd -P)
    for i in $(broker_ids "$dir"); do
        live_pid "$dir" "$i" >/dev/null && die "$dir already has running brokers; stop it first"
    done

    fetch_lib=$("$here/fetch.sh")
    # From here on, a failure (or Ctrl-C) must not leave brokers behind.
    cleanup_dir=$dir
    trap 'stop_all "$cleanup_dir/cds-training" 0; stop_all "$cleanup_dir" 0' EXIT
    trap 'exit 130' INT TERM

    echo "$fetch_lib" >"$dir/libdir"
    # The JVM option naming the CDS archive (or nothing), for all JVMs of DIR.
    : >"$dir/cds"
    if [ "${KAFKA_TEST_CDS:-1}" = 1 ]; then
        make_cds "$fetch_lib" "$dir/cds-training"
        jsa=$(cds_path "$fetch_lib")
        [ -f "$jsa" ] && echo "-XX:SharedArchiveFile=$jsa" >"$dir/cds"
    fi
    write_log_configs "$dir"
    for _ in 1 2 3; do    # attempts: a port race makes a broker exit
        # Fresh state: a previous run's or attempt's data would carry another
        # cluster id and other ports.
        for i in $(broker_ids "$dir"); do rm -rf "${dir:?}/broker-$i"; done
        rm -f "$dir/bootstrap" "$dir/tools.log"

        ports=$(free_ports $((2 * n)))
        write_configs "$dir" "$n" "$ports" "$@"
        # A cluster id is 16 random bytes in URL-safe base64 without padding
        # (what `kafka-storage random-uuid` prints, minus a JVM start).
        cid=$(python3 -c 'import base64, os
while True:
    s = base64.urlsafe_b64encode(os.urandom(16)).decode().rstrip("=")
    if not s.startswith("-"): print(s); break')
        # Format all storage dirs in parallel (one JVM each).
        local -a fpids=()
        for ((i = 0; i < n; i++)); do
            tool "$dir" kafka.tools.StorageTool format -t "$cid" \
                -c "$dir/broker-$i/server.properties" >"$dir/broker-$i/log" 2>&1 &
            fpids+=($!)
        done
        for ((i = 0; i < n; i++)); do
            wait "${fpids[i]}" ||
                die "formatting broker-$i failed: $(grep -hv '^[[:space:]]*at ' "$dir/broker-$i/log" "$dir/tools.log" | tail -n 5)"
        done

        for ((i = 0; i < n; i++)); do launch "$dir" "$i"; done
        local deadline=$((SECONDS + start_timeout)) retry=0
        for ((i = 0; i < n; i++)); do
            rc=0
            wait_started "$dir" "$i" 0 "$deadline" || rc=$?
            if [ "$rc" = 2 ]; then retry=1; break; fi
            if [ "$rc" != 0 ]; then
                echo "cluster.sh: broker-$i exited or did not start within ${start_timeout}s; end of $dir/broker-$i/log:" >&2
                tail -n 20 "$dir/broker-$i/log" >&2
                exit 1
            fi
        done
        if [ "$retry" = 1 ]; then
            echo "cluster.sh: a port was taken meanwhile, retrying with others" >&2
            stop_all "$dir" 0
            continue
        fi

        local bootstrap="" p
        for ((i = 0; i < n; i++)); do
            p=$(sed -n 's|^advertised.listeners=PLAINTEXT://||p' "$dir/broker-$i/server.properties")
            bootstrap+="${bootstrap:+,}$p"
        done
        # Every broker logged that it is up; also wait until each one's
        # metadata lists all N unfenced (topic creation with RF=N needs it).
        until "$here/metadata.py" "$bootstrap" "$n" >"$dir/metadata.out" 2>&1; do
            [ "$SECONDS" -ge "$deadline" ] &&
                die "brokers do not all see each other after ${start_timeout}s: $(cat "$dir/metadata.out")"
            sleep 0.2
        done
        echo "$bootstrap" >"$dir/bootstrap"
        trap - EXIT INT TERM
        echo "$bootstrap"
        return 0
    done
    die "no free ports after 3 attempts"
}

cmd_kill() {
    local dir=$1 i=$2 pid
    pid=$(live_pid "$dir" "$i") || die "broker-$i of $dir is not running"
    kill -KILL "$pid"
    wait_gone 10 "$pid" || die "broker-$i (pid $pid) survived kill -9"
    rm -f "$dir/broker-$i/pid"
}

cmd_restart() {
    local dir=$1 i=$2 before rc=0 pid
    [ -f "$dir/broker-$i/server.properties" ] || die "no broker-$i in $dir"
    live_pid "$dir" "$i" >/dev/null && die "broker-$i of $dir is still running"
    before=$(started_count "$dir" "$i")
    launch "$dir" "$i"
    wait_started "$dir" "$i" "$before" $((SECONDS + start_timeout)) || rc=$?
    if [ "$rc" != 0 ]; then
        echo "cluster.sh: broker-$i did not restart; end of its log:" >&2
        tail -n 20 "$dir/broker-$i/log" >&2
        # Do not leave a half-started broker behind.
        if pid=$(live_pid "$dir" "$i"); then kill -KILL "$pid"; fi
        rm -f "$dir/broker-$i/pid"
        exit 1
    fi
}

cmd_leader() {
    local dir=$1 topic=$2 part=$3 out
    out=$(tool "$dir" org.apache.kafka.tools.TopicCommand \
              --bootstrap-server "$(cat "$dir/bootstrap")" --describe --topic "$topic") ||
        die "describing topic '$topic' failed (see $dir/tools.log)"
    # Lines look like: "\tTopic: t\tPartition: 0\tLeader: 1\tReplicas: 1,2,0 ..."
    # (Leader is "none" when the partition has no leader: print -1.)
    echo "$out" | awk -v p="$part" '
        { for (k = 1; k < NF; k++) {
              if ($k == "Partition:") part = $(k + 1)
              if ($k == "Leader:") lead = $(k + 1) } }
        $1 == "Topic:" && part == p && lead != "" {
              print (lead == "none" ? -1 : lead); found = 1; exit }
        { part = ""; lead = "" }
        END { if (!found) exit 1 }' || die "topic '$topic' has no partition $part"
}

[ $# -ge 2 ] || usage
cmd=$1
dir=$2
shift 2
case $cmd in
    start)   [ $# -ge 1 ] || usage; cmd_start "$dir" "$@" ;;
    stop)    [ $# -eq 0 ] || usage
             [ -d "$dir" ] || exit 0     # never started: nothing to do
             dir=$(cd "$dir" && pwd -P)
             stop_all "$dir/cds-training"  # a start killed while training
             stop_all "$dir" ;;
    kill)    [ $# -eq 1 ] || usage; cmd_kill "$(cd "$dir" && pwd -P)" "$1" ;;
    restart) [ $# -eq 1 ] || usage; cmd_restart "$(cd "$dir" && pwd -P)" "$1" ;;
    leader)  [ $# -eq 2 ] || usage; cmd_leader "$(cd "$dir" && pwd -P)" "$1" "$2" ;;
    *) usage ;;
esac

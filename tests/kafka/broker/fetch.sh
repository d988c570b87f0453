#!/usr/bin/env bash
# fetch.sh: make sure the Kafka broker jars named by pom.xml are on this
# machine and print the directory that holds them (for `java -cp 'DIR/*'`).
#
#   tests/kafka/broker/fetch.sh            -> prints .../kafka-4.1.1-<sha>/lib
#
# The cache dir is keyed by the sha256 of pom.xml, so editing the pom (new
# Kafka version, new dependency) fetches into a new dir, and a cached dir is
# never half-written: jars go to a temp dir first, which is then renamed.
# When the dir exists nothing else runs (no mvn, no java), so a warm call is
# instant. Maven keeps its own download cache in ~/.m2 as usual.
#
# Env: SDMX_HUB_CACHE (default ~/.cache/sdmx-hub) is the cache root.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
pom="$here/pom.xml"

# The version is only used to make the dir name readable.
version=$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$pom" | head -n1)
sha=$(sha256sum "$pom" | cut -c1-12)
root="${SDMX_HUB_CACHE:-$HOME/.cache/sdmx-hub}/kafka-${version}-${sha}"
lib="$root/lib"

# Fast path: a previous run finished (the rename below is the commit point).
if [ -f "$lib/kafka_2.13-${version}.jar" ]; then
    echo "$lib"
    exit 0
fi

# Say which package is missing rather than failing inside mvn.
for tool in mvn java; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "fetch.sh: '$tool' not found; install Debian packages: maven openjdk-17-jre-headless" >&2
        exit 1
    fi
done
# Kafka 4.x brokers need Java 17 or newer.
java_major=$(java -XshowSettings:properties -version 2>&1 |
             sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p')
if [ "${java_major:-0}" -lt 17 ]; then
    echo "fetch.sh: Kafka ${version} needs Java 17+, 'java' is ${java_major:-unknown}" >&2
    exit 1
fi

mkdir -p "$root"
tmp=$(mktemp -d "$root/lib.tmp.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# mvn writes colour escape codes even with -B -q: strip them, and send all
# of its output to stderr to keep our stdout for the one line callers read.
if ! mvn -B -q -f "$pom" dependency:copy-dependencies \
        -DincludeScope=runtime -DoutputDirectory="$tmp" 2>&1 |
        sed 's/\x1b\[[0-9;]*m//g' >&2; then
    echo "fetch.sh: mvn could not fetch the Kafka jars (see above)" >&2
    exit 1
fi
if [ ! -f "$tmp/kafka_2.13-${version}.jar" ]; then
    echo "fetch.sh: mvn ran but kafka_2.13-${version}.jar is missing in $tmp" >&2
    exit 1
fi

# Atomic publish. If a concurrent fetch.sh already published, rename fails
# (target not empty) and we keep theirs; both sets of jars are identical.
chmod 755 "$tmp"   # mktemp made it 0700
mv -T "$tmp" "$lib" 2>/dev/null || true
echo "$lib"

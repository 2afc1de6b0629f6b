#!/bin/sh
# Runs the walkthrough the way a container runs it: the JVM as PID 1 of a PID namespace, with a
# 64 MiB /dev/shm of its own and a memory cgroup limit (512 MiB unless MEMORY_MIB says otherwise),
# under the warm start method unless START_METHOD says otherwise. Needs root, unshare(1) and a
# writable memory cgroup (v1 or v2). Build first: mvn -B -q -Pexamples -DskipTests verify
#
#   sh examples/in-a-container.sh [java]
#
# Prints the walkthrough's output, then the exit code, the cgroup's peak memory and its OOM kills.
set -eu
cd "$(dirname "$0")/.."
JAVA=${1:-java}
MEMORY_MIB=${MEMORY_MIB:-512}
START_METHOD=${START_METHOD:-warm}
CLASS_PATH=examples/target/multiprocessing4j-examples-0.1.0-SNAPSHOT.jar:java/target/multiprocessing4j-0.1.0-SNAPSHOT.jar

name=mp4j-container-$$
if [ -w /sys/fs/cgroup/memory/cgroup.procs ]; then
    group=/sys/fs/cgroup/memory/$name
    mkdir "$group"
    echo $((MEMORY_MIB * 1048576)) > "$group/memory.limit_in_bytes"
    peak() { echo $(($(cat "$group/memory.max_usage_in_bytes") / 1048576)); }
    kills() { awk '$1 == "oom_kill" { print $2 }' "$group/memory.oom_control"; }
elif grep -qw memory /sys/fs/cgroup/cgroup.subtree_control 2>/dev/null; then
    group=/sys/fs/cgroup/$name
    mkdir "$group"
    echo $((MEMORY_MIB * 1048576)) > "$group/memory.max"
    peak() { if [ -r "$group/memory.peak" ]; then echo $(($(cat "$group/memory.peak") / 1048576)); else echo "?"; fi; }
    kills() { awk '$1 == "oom_kill" { print $2 }' "$group/memory.events"; }
else
    echo "no writable memory cgroup here (run as root on a host that has one)" >&2
    exit 77
fi

status=0
sh -c 'echo $$ > "$1/cgroup.procs" && shift && exec "$@"' sh "$group" \
    unshare --pid --fork --mount --propagation private --mount-proc \
    sh -c 'mount -t tmpfs -o size=64m tmpfs /dev/shm && exec "$@"' sh \
    "$JAVA" --enable-native-access=ALL-UNNAMED -Dmultiprocessing4j.startMethod="$START_METHOD" \
    -cp "$CLASS_PATH" io.multiprocessing4j.examples.Walkthrough || status=$?

echo "exit code $status; peak memory $(peak) MiB of $MEMORY_MIB; OOM kills $(kills)"
rmdir "$group" 2>/dev/null || true
exit $status

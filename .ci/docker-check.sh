#!/usr/bin/env bash
# The Docker image (issue 16): build it, start it, wait for /health/ready, check that it runs
# Node 24 as a non-root user, stop it. Only where a Docker daemon answers (.ci/run checks that).
set -uo pipefail
cd "$(dirname "$0")/.."
tag="sla-monitor:ci-$$"
name="sla-ci-$$"
port=$((20000 + RANDOM % 20000))
cleanup () { docker rm -f "$name" >/dev/null 2>&1; docker rmi "$tag" >/dev/null 2>&1; }
trap cleanup EXIT
docker build -q -t "$tag" . || { echo "docker check: build failed"; exit 1; }
docker run -d --name "$name" -p "127.0.0.1:$port:8080" -e SLA_BOOTSTRAP_KEY=change-me-to-a-long-random-secret "$tag" >/dev/null || exit 1
for _ in $(seq 1 90); do curl -sf "127.0.0.1:$port/health/ready" >/dev/null && break; sleep 1; done
curl -sf "127.0.0.1:$port/health/ready" >/dev/null || { echo "docker check: not ready within 90 s"; docker logs "$name" | tail -n 20; exit 1; }
v=$(docker exec "$name" node --version); u=$(docker exec "$name" id -un)
echo "docker check: ready, $v, user $u"
case "$v" in v24.*) ;; *) echo "docker check: the image runs $v, not Node 24"; exit 1 ;; esac
[ "$u" != root ] || { echo "docker check: runs as root"; exit 1; }
docker stop -t 20 "$name" >/dev/null || exit 1
echo "docker check: ok"

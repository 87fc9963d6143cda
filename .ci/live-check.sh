#!/usr/bin/env bash
# The service as a newcomer meets it (issue 10): start it with the README's start command, run the
# README's walkthrough against it (outputs as the README shows them), then create, list and read a
# melding at the machine's real current time, find no 5xx in its log, and stop it with SIGTERM sent
# to npm. Exit 0 only when all of that holds.
set -uo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
port=$((20000 + RANDOM % 20000))
export PORT=$port
key=change-me-to-a-long-random-secret    # the README's bootstrap key
DATA_DIR="$work/data" SLA_BOOTSTRAP_KEY=$key setsid npm start > "$work/server.log" 2>&1 &
npm_pid=$!
fail () { echo "live check: $*"; grep -v '"level":30' "$work/server.log" | tail -n 20; kill -KILL -- -"$npm_pid" 2>/dev/null; rm -rf "$work"; exit 1; }

for _ in $(seq 1 180); do curl -sf "localhost:$port/health/ready" >/dev/null && break; sleep 1; done
curl -sf "localhost:$port/health/ready" >/dev/null || fail "the service did not become ready within 180 s"

node .ci/readme-walkthrough.mjs README.md || fail "the README walkthrough does not run as written"

# A melding at the real current time, to the millisecond, and its life in the next seconds.
B="http://localhost:$port/api/v1"
now=$(date -u +%Y-%m-%dT%H:%M:%S.%3NZ)
call () { # call METHOD PATH [BODY]: prints the status, keeps the body in $work/body
  curl -s -o "$work/body" -w '%{http_code}' -X "$1" "$B$2" -H "Authorization: Bearer $key" -H 'Content-Type: application/json' ${3:+-d "$3"}
}
lev=$(curl -s -X POST "$B/leveranciers" -H "Authorization: Bearer $key" -H 'Content-Type: application/json' -d '{"naam":"Live BV"}' | jq -r .id)
contract=$(curl -s -X POST "$B/contracten" -H "Authorization: Bearer $key" -H 'Content-Type: application/json' -d "{\"leverancier\":\"$lev\",\"naam\":\"Live\"}" | jq -r .id)
[ "$(call POST /meldingen "{\"contract\":\"$contract\",\"kenmerk\":\"LIVE-1\",\"onderwerp\":\"live\",\"type\":\"verstoring\",\"prioriteit\":2,\"gemeldOp\":\"$now\"}")" = 201 ] || fail "POST /meldingen at $now: $(cat "$work/body")"
m=$(jq -r .id "$work/body")
sleep 1.3   # let the clocks run a fraction of a second
[ "$(call GET "/meldingen/$m?uitleg=true")" = 200 ] || fail "GET /meldingen/$m: $(cat "$work/body")"
echo "live check: melding at $now read at $(jq -r .sla.peilmoment "$work/body"): reactie $(jq -c '.sla.reactie | {status, verbruikt, resterend}' "$work/body")"
[ "$(call GET "/meldingen?contract=$contract")" = 200 ] || fail "GET /meldingen: $(cat "$work/body")"
[ "$(jq -r .aantal "$work/body")" = 1 ] || fail "the list does not hold the melding"
[ "$(call POST "/meldingen/$m/gebeurtenissen" "[{\"kenmerk\":\"LIVE-1-1\",\"type\":\"reactie\",\"op\":\"$(date -u +%Y-%m-%dT%H:%M:%S.%3NZ)\"}]")" = 201 ] || fail "POST gebeurtenissen: $(cat "$work/body")"
[ "$(call GET /actieve-verstoringen)" = 200 ] || fail "GET /actieve-verstoringen: $(cat "$work/body")"

if grep -E '"status":5[0-9]{2}' "$work/server.log" >/dev/null; then fail "the log holds a 5xx answer"; fi

kill -TERM "$npm_pid"
for _ in $(seq 1 20); do kill -0 "$npm_pid" 2>/dev/null || break; sleep 1; done
kill -0 "$npm_pid" 2>/dev/null && fail "npm start did not stop on SIGTERM within 20 s"
pgrep -g "$npm_pid" >/dev/null && fail "a process of npm start outlived SIGTERM"
echo "live check: ok (port $port)"
rm -rf "$work"

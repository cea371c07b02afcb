#!/usr/bin/env bash
# Fuzzes the JSON API from its own OpenAPI description with schemathesis, once per role (a bearer token each),
# against a running demo server. Fails on any 5xx, any answer that does not match its documented status, content
# type or schema, or a server that no longer answers. Bounded: FUZZ_EXAMPLES examples per operation and
# FUZZ_SECONDS per role. Replayable: the seed is fixed (FUZZ_SEED) and printed; every request and answer is kept
# in a VCR cassette per role under FUZZ_REPORTS, and each failure prints its `st replay` id.
#
#   THIDUA_URL=http://127.0.0.1:8080 THIDUA_DEMO_PASSWORD=… Tests/fuzz/api.sh
set -euo pipefail
URL=${THIDUA_URL:?THIDUA_URL}
PASSWORD=${THIDUA_DEMO_PASSWORD:?THIDUA_DEMO_PASSWORD}
SEED=${FUZZ_SEED:-20261201}
EXAMPLES=${FUZZ_EXAMPLES:-12}
SECONDS_PER_ROLE=${FUZZ_SECONDS:-45}
REPORTS=${FUZZ_REPORTS:-fuzz-reports}
mkdir -p "$REPORTS"

alive() { curl -fsS --max-time 5 "$URL/healthz" >/dev/null; }

token() {
  curl -fsS --max-time 10 -X POST "$URL/api/v1/auth/token" -H 'Content-Type: application/json' \
    -d "{\"username\":\"$1\",\"password\":\"$PASSWORD\"}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])'
}

# Least privileged first; the office last, since what it changes (accounts, units) the others would meet.
ROLES="viewer:khach council:hoidong unitHead:thutruong.congan unitOfficer:canbo.congan blocLead:truongkhoi office:vanphong"
CHECKS=not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance
# Every token first: a run may lock or change accounts the later runs sign in with.
declare -A TOKENS
for pair in $ROLES; do TOKENS[${pair%%:*}]=$(token "${pair#*:}"); done
status=0
echo "schemathesis $(schemathesis --version | awk '{print $NF}'), seed $SEED, $EXAMPLES examples per operation, ${SECONDS_PER_ROLE}s per role"
for pair in $ROLES; do
  role=${pair%%:*}; user=${pair#*:}
  alive || { echo "the server stopped answering before the $role run"; exit 1; }
  tok=${TOKENS[$role]}
  echo "==> $role ($user)"
  # Revoking the token in use would end the run's own authentication: that route is tested in the Swift suite.
  if ! timeout $((SECONDS_PER_ROLE + 60)) schemathesis run "$URL/api/v1/openapi.json" \
      -H "Authorization: Bearer $tok" --checks "$CHECKS" --max-examples "$EXAMPLES" --seed "$SEED" \
      --max-time "$SECONDS_PER_ROLE" --request-timeout 10 --workers 1 \
      --exclude-operation-id 'DELETE_/api/v1/auth/token' --warnings off --no-color \
      --report vcr --report-vcr-path "$REPORTS/$role.yaml" >"$REPORTS/$role.log" 2>&1; then
    echo "FAIL: schemathesis as $role (replay with the ids below, or FUZZ_SEED=$SEED):"
    grep -E '^(_{3,}|- ST[0-9]+|    (Received|Documented|Expected)|\[[0-9]{3}\]|    curl|    st replay)' "$REPORTS/$role.log" | head -80 || tail -40 "$REPORTS/$role.log"
    status=1
  else
    grep -E 'generated|passed|Seed' "$REPORTS/$role.log" | tail -3
  fi
done
alive || { echo "the server no longer answers after fuzzing"; exit 1; }
echo "server alive after fuzzing"
exit $status

#!/usr/bin/env python3
"""Downloads the 2018 ballot session the browser walk closed (its record.json) to argv[1], and a copy with one
ballot's mark flipped to argv[2], for `thidua ballots verify` in CI."""
import json
import os
import sys
import urllib.request

BASE = os.environ.get("THIDUA_URL", "http://127.0.0.1:8080")
PASSWORD = os.environ.get("THIDUA_DEMO_PASSWORD", "")


def call(path, token=None, body=None):
    req = urllib.request.Request(BASE + path, data=json.dumps(body).encode() if body is not None else None,
                                 headers={"Content-Type": "application/json", **({"Authorization": f"Bearer {token}"} if token else {})})
    with urllib.request.urlopen(req, timeout=30) as r:
        return r.read()


token = json.loads(call("/api/v1/auth/token", body={"username": "truongkhoi", "password": PASSWORD}))["token"]
sessions = [s for s in json.loads(call("/api/v1/ballots?year=2018", token)) if s["state"] == "closed"]
assert sessions, "the walk left no closed ballot session"
record = json.loads(call(f"/api/v1/ballots/{sessions[-1]['id']}/record.json", token))
with open(sys.argv[1], "w") as f:
    json.dump(record, f, ensure_ascii=False)
ballot = record["questions"][0]["ballots"][0]["content"]
first = sorted(ballot["marks"])[0]
ballot["marks"][first] = "no" if ballot["marks"][first] == "yes" else "yes"
with open(sys.argv[2], "w") as f:
    json.dump(record, f, ensure_ascii=False)
print(f"session {sessions[-1]['id']}: {len(record['events'])} events, {sum(len(q['ballots']) for q in record['questions'])} ballots")

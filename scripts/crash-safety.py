#!/usr/bin/env python3
"""Crash safety, measured: sustained writes through the API from several clients while the server is killed with
SIGKILL at random moments, many times; after each restart the writers go on. At the end every write that was
acknowledged with 2xx must be present, nothing may be half-written, and `thidua audit verify` must pass.

    scripts/crash-safety.py --binary .build/debug/thidua --db sqlite            # a fresh SQLite file
    scripts/crash-safety.py --binary .build/debug/thidua --db postgres --database-url postgres://…  # an empty database

Writes (each carries a unique marker):
  * covenant edits: the office saves the demo bloc's amended draft (optimistic locking; a 409 is re-read and retried);
  * consultation comments by member units' officers on that draft;
  * register facts: an officer adds a person to their unit, then a Bằng khen to that person.

Checks after the last restart:
  * every acknowledged comment and person is there, every acknowledged award is in its person's history;
  * every acknowledged covenant edit is in the audit log, and the stored draft is the one of the newest audit entry;
  * nothing half-written: every person carrying this run's marker has exactly one "create" audit entry, and every
    such audit entry has its person; the draft still decodes (the page answers 200);
  * `thidua audit verify` passes.

Prints `N kills, M acknowledged writes, 0 lost` and exits non-zero on any loss or failure. Bounded by --kills and
--time-limit. Standard library only.
"""
import argparse
import http.client
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

from thidua_support import free_port, stop_process

DEMO_PASSWORD = "crash-demo-password"
UNITS = ["bchqs", "bdbp", "congan", "vksnd", "tand", "pccc", "thanhtra", "sotuphap", "thads"]
UNIT_NAMES = {
    "bchqs": "Bộ Chỉ huy Quân sự tỉnh Nghệ An", "bdbp": "Bộ Chỉ huy Bộ đội Biên phòng tỉnh Nghệ An",
    "congan": "Công an tỉnh Nghệ An", "vksnd": "Viện kiểm sát nhân dân tỉnh Nghệ An",
    "tand": "Tòa án nhân dân tỉnh Nghệ An", "pccc": "Cảnh sát phòng cháy chữa cháy tỉnh Nghệ An",
    "thanhtra": "Thanh tra tỉnh Nghệ An", "sotuphap": "Sở Tư pháp tỉnh Nghệ An", "thads": "Cục Thi hành án dân sự tỉnh Nghệ An",
}


class Down(Exception):
    """The server did not answer. `in_flight`: the request may have reached it before it died (its outcome is
    unknown); otherwise the connection was refused (the server was restarting) and nothing was sent."""

    def __init__(self, message, in_flight):
        super().__init__(message)
        self.in_flight = in_flight


class Server:
    def __init__(self, binary, env, port, log_path):
        self.binary, self.env, self.port, self.log_path = binary, env, port, log_path
        self.proc = None
        self.starts = 0

    def start(self, timeout=120):
        log = open(self.log_path, "ab")
        self.proc = subprocess.Popen([self.binary, "serve", "--demo", "--port", str(self.port)], env=self.env,
                                     stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
        self.starts += 1
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"the server exited at start {self.starts} (code {self.proc.returncode}); see {self.log_path}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=2) as r:
                    if r.status == 200:
                        return
            except Exception:
                pass
            time.sleep(0.1)
        raise SystemExit(f"the server did not answer within {timeout} s (start {self.starts}); see {self.log_path}")

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def stop(self):
        stop_process(self.proc, 20)


class API:
    def __init__(self, port):
        self.base = f"http://127.0.0.1:{port}/api/v1"

    def call(self, method, path, token=None, body=None, timeout=30):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.base + path, data=data, method=method)
        req.add_header("Accept", "application/json")
        if data is not None:
            req.add_header("Content-Type", "application/json")
        if token:
            req.add_header("Authorization", "Bearer " + token)
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                raw = r.read()
                return r.status, (json.loads(raw) if raw else None)
        except urllib.error.HTTPError as e:
            raw = e.read()
            try:
                return e.code, json.loads(raw)
            except Exception:
                return e.code, {"reason": raw[:200].decode(errors="replace")}
        except urllib.error.URLError as e:
            raise Down(str(e), in_flight=not isinstance(e.reason, ConnectionRefusedError))
        except ConnectionRefusedError as e:
            raise Down(str(e), in_flight=False)
        except (ConnectionError, TimeoutError, socket.timeout, OSError, http.client.HTTPException) as e:
            raise Down(str(e), in_flight=True)

    def token(self, username):
        status, body = self.call("POST", "/auth/token", body={"username": username, "password": DEMO_PASSWORD})
        if status != 200:
            raise SystemExit(f"login as {username} failed: {status} {body}")
        return body["token"]


class Ledger:
    """What the server acknowledged, and what went wrong."""

    def __init__(self):
        self.lock = threading.Lock()
        self.edits = []       # (marker)
        self.comments = []    # (marker)
        self.people = {}      # person id -> full name
        self.awards = []      # (person id, decision marker)
        self.unknown = 0      # writes whose answer never came (the server was killed meanwhile)
        self.errors = []      # unexpected answers (5xx, or 4xx other than an expected conflict)

    def acknowledged(self):
        with self.lock:
            return len(self.edits) + len(self.comments) + len(self.people) + len(self.awards)

    def error(self, what):
        with self.lock:
            if len(self.errors) < 50:
                self.errors.append(what)


def writer(n, api, ledger, ctx, stop, rng, run):
    """One client: a loop of random writes, each with a unique marker; survives the server's deaths."""
    office, officer, unit_id, version = ctx["office"], ctx["officers"][n % len(UNITS)], ctx["unit_ids"][n % len(UNITS)], ctx["version"]
    i = 0
    person = None
    while not stop.is_set():
        i += 1
        marker = f"{run}-c{n}-{i}"
        kind = rng.choice(["edit", "comment", "person", "award"] if person else ["edit", "comment", "person"])
        try:
            if kind == "edit":
                status, cur = api.call("GET", f"/covenants/{version}", token=office)
                if status != 200:
                    ledger.error(f"read draft → {status} {cur}")
                    continue
                status, body = api.call("PUT", f"/covenants/{version}", token=office,
                                        body={"lockVersion": cur["lockVersion"], "preamble": "Bản sửa " + marker})
                if status == 200:
                    with ledger.lock:
                        ledger.edits.append(marker)
                elif status != 409:
                    ledger.error(f"edit → {status} {body}")
            elif kind == "comment":
                status, body = api.call("POST", f"/covenants/{version}/comments", token=officer,
                                        body={"item": "general", "text": "Góp ý " + marker})
                if status in (200, 201):
                    with ledger.lock:
                        ledger.comments.append(marker)
                else:
                    ledger.error(f"comment → {status} {body}")
            elif kind == "person":
                name = "Người thử " + marker
                status, body = api.call("POST", "/register/people", token=officer,
                                        body={"fullName": name, "unitID": unit_id, "gender": "female", "birthYear": 1980})
                if status == 201:
                    person = body["id"]
                    with ledger.lock:
                        ledger.people[person] = name
                else:
                    ledger.error(f"person → {status} {body}")
            else:
                status, body = api.call("POST", f"/register/people/{person}/facts/awards", token=officer,
                                        body={"kind": "BK_TINH", "year": 2018, "type": "merit", "decision": "QĐ " + marker})
                if status == 201:
                    with ledger.lock:
                        ledger.awards.append((person, "QĐ " + marker))
                else:
                    ledger.error(f"award → {status} {body}")
        except Down as d:
            if d.in_flight:
                with ledger.lock:
                    ledger.unknown += 1
            time.sleep(0.05)


def setup(api):
    """The demo bloc's signed 2018 covenant amended into a draft open for comments; tokens for the writers."""
    office = api.token("vanphong")
    lead = api.token("truongkhoi")
    status, body = api.call("PUT", "/years/2018/deadlines/covenantSigning", token=office, body={"due": None})
    if status != 200:
        raise SystemExit(f"lifting the signing deadline failed: {status} {body}")
    status, covenants = api.call("GET", "/covenants?year=2018", token=office)
    if status != 200 or not covenants:
        raise SystemExit(f"no demo covenant: {status} {covenants}")
    c = covenants[0]
    if c["status"] == "signed":
        status, c = api.call("POST", f"/covenants/{c['id']}/actions/amend", token=lead)
        if status != 200:
            raise SystemExit(f"amend failed: {status} {c}")
    if c["status"] == "draft":
        status, c = api.call("POST", f"/covenants/{c['id']}/actions/startConsultation", token=lead)
        if status != 200:
            raise SystemExit(f"consultation failed: {status} {c}")
    status, units = api.call("GET", "/units", token=office)
    by_name = {u["officialName"]: u["id"] for u in units}
    return {"office": office, "version": c["id"], "officers": [api.token(f"canbo.{u}") for u in UNITS],
            "unit_ids": [by_name[UNIT_NAMES[u]] for u in UNITS]}


def audit_entries(api, token, entity, action, limit_pages=2000):
    out, page = [], 1
    while page <= limit_pages:
        status, body = api.call("GET", f"/audit?entity={entity}&action={action}&page={page}", token=token)
        if status != 200:
            raise SystemExit(f"reading the audit log failed: {status} {body}")
        if not body:
            break
        out += body
        page += 1
    return out


def verify(api, ledger, ctx, run, binary, env):
    lost = []
    office = api.token("vanphong")
    status, c = api.call("GET", f"/covenants/{ctx['version']}", token=office)
    if status != 200:
        return [f"the draft no longer reads: {status} {c}"]
    comments = {x["text"] for x in c["comments"]}
    lost += [f"comment {m}" for m in ledger.comments if "Góp ý " + m not in comments]
    updates = audit_entries(api, office, "covenant", "update")
    logged = set()
    newest = None
    for e in updates:
        if e["entityID"].lower() != ctx["version"].lower() or not e.get("newValue"):
            continue
        new = json.loads(e["newValue"])
        logged.add(new.get("preamble", ""))
        if newest is None or e["seq"] > newest[0]:
            newest = (e["seq"], new.get("preamble", ""))
    lost += [f"covenant edit {m}" for m in ledger.edits if "Bản sửa " + m not in logged]
    if newest and newest[1] != c["content"]["preamble"]:
        lost.append(f"the stored draft ({c['content']['preamble'][:40]}) is not the newest audited edit ({newest[1][:40]})")
    for pid, name in ledger.people.items():
        status, p = api.call("GET", f"/register/people/{pid}", token=office)
        if status != 200 or p.get("fullName") != name:
            lost.append(f"person {name} ({status})")
    for pid, decision in ledger.awards:
        status, p = api.call("GET", f"/register/people/{pid}", token=office)
        if status != 200 or decision not in json.dumps(p, ensure_ascii=False):
            lost.append(f"award {decision} ({status})")
    # Half-written: a person row without its audit entry, or an audit entry without its row.
    created = audit_entries(api, office, "person", "create")
    audited = {}
    for e in created:
        if run in (e.get("newValue") or ""):
            audited[e["entityID"].lower()] = audited.get(e["entityID"].lower(), 0) + 1
    status, people = api.call("GET", "/register/people?q=" + urllib.parse.quote(run), token=office)
    stored = {p["id"].lower() for p in (people if isinstance(people, list) else people.get("people", []))
              if run in p.get("fullName", "")} if status == 200 else set()
    for pid in stored:
        if audited.get(pid) != 1:
            lost.append(f"person {pid} stored with {audited.get(pid, 0)} audit entries")
    for pid in audited:
        if pid not in stored:
            lost.append(f"audit entry for person {pid} without the person")
    r = subprocess.run([binary, "audit", "verify"], env=env, capture_output=True, text=True, timeout=120)
    if r.returncode != 0:
        lost.append("thidua audit verify failed: " + (r.stdout + r.stderr).strip()[-300:])
    else:
        for line in r.stdout.strip().splitlines() or ["audit verify: ok"]:
            print("  " + line)
    return lost


def inject_loss(path, ledger):
    """Removes one acknowledged comment and one acknowledged person directly in the SQLite file."""
    import sqlite3
    if not ledger.comments or not ledger.people:
        raise SystemExit("nothing acknowledged to remove")
    db = sqlite3.connect(path, timeout=10)
    db.execute("DELETE FROM covenant_comments WHERE text = ?", ("Góp ý " + ledger.comments[0],))
    name = next(iter(ledger.people.values()))
    db.execute("DELETE FROM people WHERE full_name = ?", (name,))
    db.commit()
    db.close()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--binary", default=".build/debug/thidua")
    ap.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    ap.add_argument("--database-url", help="PostgreSQL URL of an empty database (with --db postgres)")
    ap.add_argument("--kills", type=int, default=100)
    ap.add_argument("--clients", type=int, default=4)
    ap.add_argument("--min-interval", type=float, default=0.3, help="shortest run between two kills (s)")
    ap.add_argument("--max-interval", type=float, default=1.5, help="longest run between two kills (s)")
    ap.add_argument("--time-limit", type=float, default=600, help="stop killing after this many seconds")
    ap.add_argument("--seed", type=int, default=20261201)
    ap.add_argument("--inject-loss", action="store_true",
                    help="check the checker (SQLite): delete an acknowledged comment and person behind the server's back; "
                         "succeeds only if the loss is reported")
    args = ap.parse_args()

    rng = random.Random(args.seed)
    work = tempfile.mkdtemp(prefix="thidua-crash-")
    env = dict(os.environ, THIDUA_DEMO_PASSWORD=DEMO_PASSWORD)
    env.pop("DATABASE_URL", None)
    env.pop("THIDUA_DB", None)
    if args.inject_loss and args.db != "sqlite":
        raise SystemExit("--inject-loss works on SQLite")
    if args.db == "sqlite":
        env["THIDUA_DB"] = os.path.join(work, "thidua.sqlite")
    else:
        if not args.database_url:
            raise SystemExit("--db postgres needs --database-url")
        env["DATABASE_URL"] = args.database_url
    port = free_port()
    server = Server(os.path.abspath(args.binary), env, port, os.path.join(work, "server.log"))
    api = API(port)
    run = f"crash{args.seed}{os.getpid()}"
    print(f"crash safety on {args.db}: {args.kills} kills, {args.clients} clients, log {server.log_path}")
    started = time.time()
    # A timeout's SIGTERM must not leave the server running.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        run_and_check(args, rng, server, api, env, run, started)
    finally:
        server.stop()


def run_and_check(args, rng, server, api, env, run, started):
    server.start()
    ctx = setup(api)
    ledger = Ledger()
    stop = threading.Event()
    threads = [threading.Thread(target=writer, args=(n, api, ledger, ctx, stop, random.Random(args.seed + n), run), daemon=True)
               for n in range(args.clients)]
    for t in threads:
        t.start()
    kills = 0
    try:
        while kills < args.kills and time.time() - started < args.time_limit:
            time.sleep(rng.uniform(args.min_interval, args.max_interval))
            server.kill()
            kills += 1
            server.start()
        time.sleep(args.min_interval)
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=60)
    if args.inject_loss:
        inject_loss(env["THIDUA_DB"], ledger)
    lost = verify(api, ledger, ctx, run, server.binary, env)
    acknowledged = ledger.acknowledged()
    print(f"  {len(ledger.edits)} covenant edits, {len(ledger.comments)} comments, {len(ledger.people)} people, "
          f"{len(ledger.awards)} awards acknowledged; {ledger.unknown} writes cut off by a kill (outcome unknown, allowed)")
    for e in ledger.errors[:10]:
        print("  unexpected answer: " + str(e)[:300])
    for l in lost[:20]:
        print("  LOST: " + l)
    print(f"{kills} kills, {acknowledged} acknowledged writes, {len(lost)} lost")
    if args.inject_loss:
        caught = any(l.startswith("comment ") for l in lost) and any("without the person" in l for l in lost)
        print("the injected loss was " + ("caught" if caught else "NOT caught"))
        sys.exit(0 if caught else 1)
    if kills < args.kills:
        print(f"only {kills} of {args.kills} kills within the time limit")
        sys.exit(1)
    if lost or ledger.errors or acknowledged == 0:
        sys.exit(1)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Several ThiDua instances on one PostgreSQL behind nginx, tried as an operator would.

Starts a PostgreSQL cluster of its own (password authentication on TCP), then shows, failing on any miss:
  1. a DATABASE_URL with a wrong password stops the start with a message naming the user and host, never the password;
     `serve --no-migrate` refuses an empty database, and starts once `thidua migrate` has run;
     PostgreSQL down at start: a clear message and a non-zero exit; with --wait-for-db the server waits and comes up
     once PostgreSQL does;
  2. two `thidua serve --demo` started at the same moment on one fresh database both come up cleanly (and three on one
     SQLite file);
  3. nginx (round-robin over the two): a login stays valid whichever instance answers;
  4. two officers saving the same covenant draft through different instances: one saves, the other gets 409, and the
     saved text is the first one's;
  5. /metrics parsed by prometheus-client's parser; refused through nginx and to forwarded requests;
  6. one instance killed mid-load: the other serves on, no failed request beyond those in flight at the kill;
  7. PostgreSQL stopped under load: 503 with a Vietnamese reason, /readyz 503, no crash; back when PostgreSQL is.

Bounded: every wait has a limit and the whole run stops itself after --time-limit seconds.
Usage: scripts/multi-instance.py --binary .build/debug/thidua [--time-limit 300]
"""
import argparse
import glob
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

from thidua_support import free_port, stop_process

DEMO_PASSWORD = "multi-demo-password"
DB_PASSWORD = "thidua-pw-7x"
WRONG_PASSWORD = "wrong-pw-Q9z"


class Failure(Exception):
    pass


def check(ok, what):
    if not ok:
        raise Failure(what)
    print(f"  ok  {what}")


def request(port, method, path, body=None, headers=None, timeout=10):
    """(status, headers dict lower-case, body bytes); raises OSError / HTTPException when the connection fails."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        res = conn.getresponse()
        data = res.read()
        return res.status, {k.lower(): v for k, v in res.getheaders()}, data, res.headers.get_all("Set-Cookie") or []
    finally:
        conn.close()


def api(port, method, path, token=None, payload=None, timeout=10):
    headers = {"Accept": "application/json"}
    body = None
    if payload is not None:
        body = json.dumps(payload).encode()
        headers["Content-Type"] = "application/json"
    if token:
        headers["Authorization"] = "Bearer " + token
    status, hdrs, data, _ = request(port, method, "/api/v1" + path, body=body, headers=headers, timeout=timeout)
    try:
        return status, json.loads(data) if data else None, hdrs
    except ValueError:
        return status, {"reason": data[:200].decode(errors="replace")}, hdrs


def token(port, user):
    status, body, _ = api(port, "POST", "/auth/token", payload={"username": user, "password": DEMO_PASSWORD})
    if status != 200:
        raise Failure(f"token for {user}: {status} {body}")
    return body["token"]


class Cluster:
    """A PostgreSQL cluster of this script's own, password authentication on TCP."""

    def __init__(self, root):
        bins = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: [int(x) for x in re.findall(r"\d+", p)])
        if not bins:
            raise SystemExit("PostgreSQL is not installed (/usr/lib/postgresql/*/bin)")
        self.bin = bins[-1]
        self.data = os.path.join(root, "pg")
        self.port = free_port()
        self.as_postgres = os.geteuid() == 0
        os.makedirs(self.data)
        pwfile = os.path.join(root, "pgpass")
        with open(pwfile, "w") as f:
            f.write("postgres-superuser-pw\n")
        if self.as_postgres:
            shutil.chown(root, "postgres")
            shutil.chown(self.data, "postgres")
            shutil.chown(pwfile, "postgres")
        self.run("initdb", "-D", self.data, "-U", "postgres", "--auth-local=trust", "--auth-host=scram-sha-256",
                 f"--pwfile={pwfile}", "-E", "UTF8", "--locale=C.UTF-8")

    def run(self, tool, *args, check_rc=True):
        cmd = [os.path.join(self.bin, tool), *args]
        if self.as_postgres:
            cmd = ["runuser", "-u", "postgres", "--"] + cmd
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=120)
        if check_rc and p.returncode != 0:
            raise SystemExit(f"{tool} failed: {p.stdout.decode(errors='replace')[-800:]}")
        return p

    def start(self):
        self.run("pg_ctl", "-D", self.data, "-o", f"-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1 -c max_connections=200",
                 "-l", os.path.join(self.data, "log"), "-w", "-t", "60", "start")

    def stop(self):
        self.run("pg_ctl", "-D", self.data, "-m", "fast", "-w", "-t", "60", "stop", check_rc=False)

    def sql(self, statement, db="postgres"):
        self.run("psql", "-h", self.data, "-p", str(self.port), "-U", "postgres", "-d", db, "-qc", statement)

    def url(self, db, password=DB_PASSWORD):
        return f"postgres://thidua:{password}@127.0.0.1:{self.port}/{db}?sslmode=disable"


class Instance:
    def __init__(self, name, binary, env, root, args=("--demo",)):
        self.name, self.binary, self.env = name, binary, env
        self.port = free_port()
        self.log_path = os.path.join(root, f"{name}.log")
        self.args = list(args)
        self.proc = None

    def start(self):
        self.log = open(self.log_path, "ab")
        self.proc = subprocess.Popen([self.binary, "serve", *self.args, "--port", str(self.port)], env=self.env,
                                     stdin=subprocess.DEVNULL, stdout=self.log, stderr=subprocess.STDOUT)

    def wait_ready(self, timeout):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise Failure(f"{self.name} exited at start (code {self.proc.returncode}):\n{self.tail()}")
            try:
                status, _, _, _ = request(self.port, "GET", "/readyz", timeout=3)
                if status == 200:
                    return
            except (OSError, http.client.HTTPException):
                pass
            time.sleep(0.2)
        raise Failure(f"{self.name} was not ready within {timeout} s:\n{self.tail()}")

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def tail(self, n=3000):
        try:
            with open(self.log_path, "rb") as f:
                return f.read()[-n:].decode(errors="replace")
        except OSError:
            return ""

    def stop(self):
        stop_process(self.proc, 40)

    def kill(self):
        if self.alive():
            self.proc.kill()
            self.proc.wait()


NGINX_CONF = """
{user}
worker_processes 1;
pid {root}/nginx.pid;
error_log {root}/nginx-error.log;
events {{ worker_connections 256; }}
http {{
    access_log off;
    client_body_temp_path {root}/body;
    proxy_temp_path {root}/proxy;
    fastcgi_temp_path {root}/fastcgi;
    uwsgi_temp_path {root}/uwsgi;
    scgi_temp_path {root}/scgi;
{site}
}}
"""

# The site as the README shows it, with the two upstreams filled in and a header naming the instance that answered.
SITE = """
    upstream thidua {{
        server 127.0.0.1:{a} max_fails=1 fail_timeout=5s;
        server 127.0.0.1:{b} max_fails=1 fail_timeout=5s;
        keepalive 16;
    }}
    server {{
        listen 127.0.0.1:{port};
        client_max_body_size 25m;
        location = /metrics {{ deny all; }}
        location / {{
            proxy_pass http://thidua;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_set_header X-Request-Id $request_id;
            proxy_next_upstream error timeout http_502;
            proxy_connect_timeout 2s;
            proxy_read_timeout 60s;
            add_header X-Upstream $upstream_addr always;
        }}
    }}
"""


class Nginx:
    def __init__(self, root, a, b):
        self.root = os.path.join(root, "nginx")
        os.makedirs(self.root)
        self.port = free_port()
        self.conf = os.path.join(self.root, "nginx.conf")
        with open(self.conf, "w") as f:
            f.write(NGINX_CONF.format(user="user root;" if os.geteuid() == 0 else "", root=self.root,
                                      site=SITE.format(a=a, b=b, port=self.port)))
        binary = shutil.which("nginx") or "/usr/sbin/nginx"
        if not os.path.exists(binary):
            raise SystemExit("nginx is not installed (Debian's nginx package)")
        self.proc = subprocess.Popen([binary, "-p", self.root, "-c", self.conf, "-g", "daemon off;"],
                                     stdout=subprocess.DEVNULL, stderr=open(os.path.join(self.root, "stderr"), "wb"))
        deadline = time.time() + 20
        while time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.1)
        raise SystemExit("nginx did not start: " + open(os.path.join(self.root, "stderr")).read()[-500:])

    def stop(self):
        stop_process(self.proc, 10, signal.SIGQUIT)


def run_start(binary, env, timeout=60):
    """`thidua migrate` once: (exit code, output)."""
    p = subprocess.run([binary, "migrate"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=timeout)
    return p.returncode, p.stdout.decode(errors="replace")


def step_start_errors(binary, base_env, cluster, root):
    print("1. start errors an operator can act on")
    env = dict(base_env, DATABASE_URL=cluster.url("thidua_wait", password=WRONG_PASSWORD))
    rc, out = run_start(binary, env)
    check(rc != 0, f"a wrong password stops the start (exit {rc})")
    check("thidua" in out and "127.0.0.1" in out and "từ chối đăng nhập" in out, "the message names the user and the host: " + out.strip().splitlines()[-1][:160])
    check(WRONG_PASSWORD not in out, "the password is not printed")
    env = dict(base_env, DATABASE_URL=cluster.url("thidua_nomigrate"))
    p = subprocess.run([binary, "serve", "--no-migrate", "--port", str(free_port())], env=env, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, timeout=60)
    out = p.stdout.decode(errors="replace")
    check(p.returncode != 0 and "chưa cập nhật" in out and "thidua migrate" in out,
          f"serve --no-migrate on an empty database refuses (exit {p.returncode}): " + out.strip().splitlines()[-1][:150])
    rc, out = run_start(binary, env)
    check(rc == 0, f"`thidua migrate` alone brings it up to date (exit {rc})")
    quiet = Instance("no-migrate", binary, env, root, args=("--no-migrate",))
    quiet.start()
    quiet.wait_ready(60)
    quiet.stop()
    check(quiet.proc.returncode == 0, "then serve --no-migrate starts, serves and stops cleanly")
    cluster.stop()
    env = dict(base_env, DATABASE_URL=cluster.url("thidua_wait"))
    started = time.time()
    rc, out = run_start(binary, env)
    check(rc != 0 and "từ chối kết nối" in out and DB_PASSWORD not in out,
          f"PostgreSQL down: exit {rc} after {time.time() - started:.1f} s, saying so: " + out.strip().splitlines()[-1][:140])
    waiting = Instance("waiting", binary, env, root, args=("--demo", "--wait-for-db", "--db-wait-seconds", "60"))
    waiting.start()
    time.sleep(3)
    check(waiting.alive(), "with --wait-for-db the server waits for PostgreSQL")
    cluster.start()
    waiting.wait_ready(90)
    check("Chờ cơ sở dữ liệu (lần 1)" in waiting.tail(20000), "it said it was waiting, then came up once PostgreSQL did")
    waiting.stop()
    check(waiting.proc.returncode == 0, f"and stopped cleanly (exit {waiting.proc.returncode})")


def step_sqlite_together(binary, base_env, root):
    print("2b. three instances started together on one SQLite file")
    env = dict(base_env, THIDUA_DB=os.path.join(root, "shared.sqlite"))
    env.pop("DATABASE_URL", None)
    instances = [Instance(f"sqlite-{i}", binary, env, root) for i in range(3)]
    for i in instances:
        i.start()
    for i in instances:
        i.wait_ready(120)
    check(all(i.alive() for i in instances), "all three came up")
    tokens = [token(i.port, "vanphong") for i in instances]
    status, units, _ = api(instances[0].port, "GET", "/units", token=tokens[0])
    names = [u["officialName"] for u in units]
    check(status == 200 and len(names) == len(set(names)) and len(names) > 0, f"the demo was loaded once ({len(names)} units, none twice)")
    for i in instances:
        i.stop()
    check(all(i.proc.returncode == 0 for i in instances), "and all three stopped cleanly")


def login_session(port):
    """Signs in as vanphong through `port` with the login form; returns the Cookie header."""
    jar = {}

    def remember(cookies):
        for c in cookies:
            name, _, rest = c.partition("=")
            value = rest.split(";", 1)[0]
            if "Max-Age=0" in c or "1970" in c:
                jar.pop(name, None)
            else:
                jar[name] = value

    def cookie():
        return "; ".join(f"{k}={v}" for k, v in sorted(jar.items()))

    status, _, body, cookies = request(port, "GET", "/login")
    remember(cookies)
    m = re.search(rb'name="csrf" value="([^"]+)"', body)
    if status != 200 or not m:
        raise Failure(f"login page through nginx: {status}")
    form = urllib.parse.urlencode({"csrf": m.group(1).decode(), "username": "vanphong", "password": DEMO_PASSWORD, "next": "/"})
    status, hdrs, _, cookies = request(port, "POST", "/login", body=form,
                                       headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie()})
    remember(cookies)
    if status != 303 or hdrs.get("location") != "/":
        raise Failure(f"login through nginx: {status} {hdrs.get('location')}")
    return cookie()


def step_sessions(proxy, a, b):
    print("3. a login through nginx stays valid whichever instance answers")
    cookie = login_session(proxy.port)
    answered = {}
    for _ in range(16):
        status, hdrs, body, _ = request(proxy.port, "GET", "/", headers={"Cookie": cookie})
        upstream = hdrs.get("x-upstream", "?")
        answered[upstream] = answered.get(upstream, 0) + 1
        if status != 200:
            raise Failure(f"GET / through nginx via {upstream}: {status} (location {hdrs.get('location')})")
    check(len(answered) == 2, f"16 signed-in pages, all 200, answered by both instances: {answered}")


def step_conflict(a, b):
    print("4. two officers save the same covenant draft through different instances")
    office_a, lead_b = token(a.port, "vanphong"), token(b.port, "truongkhoi")
    status, body, _ = api(a.port, "PUT", "/years/2018/deadlines/covenantSigning", token=office_a, payload={"due": None})
    check(status == 200, f"signing deadline lifted ({status})")
    status, covenants, _ = api(a.port, "GET", "/covenants?year=2018", token=office_a)
    c = covenants[0]
    if c["status"] == "signed":
        status, c, _ = api(b.port, "POST", f"/covenants/{c['id']}/actions/amend", token=lead_b)
        check(status == 200, f"the signed covenant amended into a draft ({status})")
    status, seen_a, _ = api(a.port, "GET", f"/covenants/{c['id']}", token=office_a)
    status2, seen_b, _ = api(b.port, "GET", f"/covenants/{c['id']}", token=lead_b)
    check(seen_a["lockVersion"] == seen_b["lockVersion"], f"both read the draft at lock version {seen_a['lockVersion']}")
    first = {"lockVersion": seen_a["lockVersion"], "title": seen_a["content"]["title"] + " (sửa bởi văn phòng)"}
    second = {"lockVersion": seen_b["lockVersion"], "title": seen_b["content"]["title"] + " (sửa bởi trưởng khối)"}
    s1, r1, _ = api(a.port, "PUT", f"/covenants/{c['id']}", token=office_a, payload=first)
    s2, r2, _ = api(b.port, "PUT", f"/covenants/{c['id']}", token=lead_b, payload=second)
    check(s1 == 200, f"the first save through instance A: {s1}")
    check(s2 == 409 and "chưa được lưu" in (r2 or {}).get("reason", ""), f"the second through instance B: {s2} – {(r2 or {}).get('reason', '')[:90]}")
    _, now, _ = api(b.port, "GET", f"/covenants/{c['id']}", token=lead_b)
    check(now["content"]["title"] == first["title"] and now["lockVersion"] == seen_a["lockVersion"] + 1, "the first officer's text is kept, nothing lost")


def step_metrics(proxy, a):
    print("5. /metrics in Prometheus's format")
    from prometheus_client.parser import text_string_to_metric_families
    status, hdrs, body, _ = request(a.port, "GET", "/metrics")
    check(status == 200 and hdrs.get("content-type", "").startswith("text/plain"), f"read from loopback ({status}, {hdrs.get('content-type')})")
    families = {f.name: f for f in text_string_to_metric_families(body.decode())}
    for name in ["http_requests", "http_request_duration_seconds", "thidua_logins", "thidua_login_failures", "thidua_audit_entries",
                 "thidua_requests_in_flight", "thidua_database_up", "thidua_db_connections", "thidua_db_pool_connections_max"]:
        check(name in families, f"family {name} parsed")
    routes = {(s.labels.get("path"), s.labels.get("status")) for s in families["http_requests"].samples}
    check(("/readyz", "200") in routes, "requests counted by route pattern and status")
    check(any(s.value >= 1 for s in families["thidua_db_connections"].samples), "this instance's PostgreSQL connections counted")
    status, _, _, _ = request(proxy.port, "GET", "/metrics")
    check(status == 403, f"through nginx: {status}")
    status, _, _, _ = request(a.port, "GET", "/metrics", headers={"X-Forwarded-For": "203.0.113.9"})
    check(status == 403, f"forwarded for a client outside the allowed ranges: {status}")


class Load:
    """Threads reading an API route through `port` until stopped; records (time, ok, what)."""

    def __init__(self, port, token, threads=8, path="/api/v1/blocs?year=2018"):
        self.port, self.token, self.path = port, token, path
        self.results = []
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=self.run, daemon=True) for _ in range(threads)]

    def run(self):
        while not self.stopping.is_set():
            started = time.time()
            try:
                status, hdrs, body, _ = request(self.port, "GET", self.path, headers={"Authorization": "Bearer " + self.token}, timeout=15)
                outcome = (started, time.time(), status, body[:300])
            except (OSError, http.client.HTTPException) as e:
                outcome = (started, time.time(), None, str(e).encode())
            with self.lock:
                self.results.append(outcome)

    def __enter__(self):
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *exc):
        self.stopping.set()
        for t in self.threads:
            t.join(timeout=20)


def step_kill(proxy, a, b):
    print("6. one instance killed mid-load")
    tok = token(proxy.port, "vanphong")
    with Load(proxy.port, tok) as load:
        time.sleep(2)
        killed_at = time.time()
        a.kill()
        time.sleep(3)
    failed = [r for r in load.results if r[2] != 200]
    in_flight = [r for r in failed if r[0] <= killed_at]
    after = [r for r in load.results if r[0] > killed_at + 0.5]
    check(len(load.results) > 50, f"{len(load.results)} requests through nginx")
    check(len(failed) == len(in_flight) and len(failed) <= len(load.threads),
          f"failed: {len(failed)}, all of them in flight at the kill (at most {len(load.threads)} threads)")
    check(after and all(r[2] == 200 for r in after), f"after the kill: {len(after)} requests, all 200 from the other instance")
    check(b.alive(), "the other instance still runs")


def step_database_away(cluster, b):
    print("7. PostgreSQL stopped under load, then back")
    tok = token(b.port, "vanphong")
    with Load(b.port, tok, threads=4) as load:
        time.sleep(1)
        stopped_at = time.time()
        cluster.stop()
        time.sleep(2)
        status, _, body, _ = request(b.port, "GET", "/readyz")
        ready_down = status
        started_at = time.time()
        cluster.start()
        # The pool reconnects on demand: give it a few seconds.
        deadline = time.time() + 30
        while time.time() < deadline:
            status, _, _, _ = request(b.port, "GET", "/readyz")
            if status == 200:
                break
            time.sleep(0.5)
        ready_up = status
        back_at = time.time()
        time.sleep(2)
    during = [r for r in load.results if stopped_at + 0.5 < r[0] and r[1] < started_at]
    errors = [r for r in during if r[2] != 200]
    check(ready_down == 503, f"/readyz with PostgreSQL stopped: {ready_down}")
    check(errors and all(r[2] == 503 and "Cơ sở dữ liệu tạm thời không truy cập được" in r[3].decode(errors="replace") for r in errors),
          f"while it was down: {len(errors)} answers, all 503 with the Vietnamese reason")
    check(not any(r[2] is None for r in during), "no connection was dropped (the server did not crash)")
    check(ready_up == 200, f"/readyz once PostgreSQL is back: {ready_up} after {back_at - started_at:.1f} s")
    tail = [r for r in load.results if r[0] > back_at]
    check(tail and all(r[2] == 200 for r in tail), f"then {len(tail)} requests, all 200")
    check(b.alive() and "Fatal error" not in b.tail(200000), "the instance never trapped")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", default=".build/debug/thidua")
    ap.add_argument("--time-limit", type=int, default=300)
    args = ap.parse_args()
    binary = os.path.abspath(args.binary)
    signal.signal(signal.SIGALRM, lambda *_: (_ for _ in ()).throw(Failure(f"time limit of {args.time_limit} s reached")))
    signal.alarm(args.time_limit)
    root = tempfile.mkdtemp(prefix="thidua-multi.")
    os.chmod(root, 0o755)
    base_env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "THIDUA_DB", "THIDUA_AUDIT_KEY_FILE")}
    base_env.update(THIDUA_DEMO_PASSWORD=DEMO_PASSWORD, THIDUA_TRUSTED_PROXIES="127.0.0.1")
    started = time.time()
    cluster, instances, proxy = None, [], None
    try:
        cluster = Cluster(root)
        cluster.start()
        cluster.sql(f"CREATE ROLE thidua LOGIN PASSWORD '{DB_PASSWORD}'")
        cluster.sql("CREATE DATABASE thidua_multi OWNER thidua")
        cluster.sql("CREATE DATABASE thidua_wait OWNER thidua")
        cluster.sql("CREATE DATABASE thidua_nomigrate OWNER thidua")

        env_wait = dict(base_env)
        step_start_errors(binary, dict(env_wait), cluster, root)

        print("2. two instances started at the same moment on one fresh database")
        # thidua_wait was step 1's; thidua_multi is still empty.
        env = dict(base_env, DATABASE_URL=cluster.url("thidua_multi"))
        a, b = Instance("a", binary, env, root), Instance("b", binary, env, root)
        instances = [a, b]
        a.start(); b.start()
        a.wait_ready(180); b.wait_ready(180)
        for i in instances:
            check(i.alive() and "Error" not in i.tail(20000), f"instance {i.name} up cleanly on port {i.port}")
        step_sqlite_together(binary, base_env, root)

        proxy = Nginx(root, a.port, b.port)
        step_sessions(proxy, a, b)
        step_conflict(a, b)
        step_metrics(proxy, a)
        step_kill(proxy, a, b)
        step_database_away(cluster, b)
        b.stop()
        check(b.proc.returncode == 0, f"the last instance stopped cleanly (exit {b.proc.returncode})")
        print(f"multi-instance: 1 passed, 0 failed ({time.time() - started:.0f} s)")
        return 0
    except Failure as e:
        print(f"FAIL {e}")
        for i in instances:
            print(f"--- {i.name} ({i.log_path})\n{i.tail()}")
        print("multi-instance: 0 passed, 1 failed")
        return 1
    finally:
        signal.alarm(0)
        for i in instances:
            i.kill()
        if proxy:
            proxy.stop()
        if cluster:
            cluster.stop()
        if os.environ.get("KEEP_MULTI") != "1":
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

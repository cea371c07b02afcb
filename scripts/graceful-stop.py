#!/usr/bin/env python3
"""A server stopped (SIGTERM) while it answers requests lets its running handlers finish and exits cleanly: no
trap, exit code 0, no request answered with a 5xx (connections the stop cuts are allowed). Before this check existed, closing the databases under running handlers ended the
process with a trap in Fluent's `Request.db`.

    scripts/graceful-stop.py --binary .build/debug/thidua [--rounds 3]
"""
import argparse
import http.cookiejar
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

from thidua_support import free_port

PASSWORD = "stop-demo-password"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--binary", default=".build/debug/thidua")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--clients", type=int, default=16)
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="thidua-stop-")
    env = dict(os.environ, THIDUA_DEMO_PASSWORD=PASSWORD, THIDUA_DB=os.path.join(work, "thidua.sqlite"))
    env.pop("DATABASE_URL", None)
    failures = []
    for round_ in range(1, args.rounds + 1):
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        log_path = os.path.join(work, f"server{round_}.log")
        server = subprocess.Popen([os.path.abspath(args.binary), "serve", "--demo", "--port", str(port)], env=env,
                                  stdin=subprocess.DEVNULL, stdout=open(log_path, "w"), stderr=subprocess.STDOUT)
        deadline = time.time() + 120
        while time.time() < deadline:
            try:
                urllib.request.urlopen(base + "/healthz", timeout=2)
                break
            except Exception:
                time.sleep(0.2)
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        page = opener.open(base + "/login").read().decode()
        csrf = re.search(r'name="csrf" value="([^"]*)"', page).group(1)
        opener.open(urllib.request.Request(base + "/login", data=urllib.parse.urlencode(
            {"csrf": csrf, "next": "/", "username": "vanphong", "password": PASSWORD}).encode()))
        stop = threading.Event()
        answers = {"ok": 0, "5xx": 0, "cut": 0}
        lock = threading.Lock()

        def load():
            # The heaviest pages: the whole report, as a page and as .xlsx.
            paths = ["/register/report.xlsx?year=2018", "/register/report?year=2018"]
            i = 0
            while not stop.is_set():
                i += 1
                try:
                    with opener.open(base + paths[i % 2], timeout=60) as r:
                        r.read()
                        with lock:
                            answers["ok"] += 1
                except urllib.error.HTTPError as e:
                    with lock:
                        answers["5xx" if e.code >= 500 else "ok"] += 1
                except Exception:
                    with lock:
                        answers["cut"] += 1
                    time.sleep(0.05)

        threads = [threading.Thread(target=load, daemon=True) for _ in range(args.clients)]
        for t in threads:
            t.start()
        time.sleep(2.5)
        server.send_signal(signal.SIGTERM)
        try:
            code = server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
            code = "hung"
        stop.set()
        for t in threads:
            t.join(timeout=60)
        log = open(log_path, errors="replace").read()
        trapped = "crashed" in log or "Fatal error" in log
        print(f"round {round_}: exit {code}, {answers['ok']} answered, {answers['5xx']} 5xx, "
              f"{answers['cut']} refused or cut after the stop{', TRAPPED' if trapped else ''}")
        if code != 0 or trapped or answers["5xx"]:
            failures.append(round_)
            print("\n".join(log.splitlines()[-30:]))
    if failures:
        print(f"graceful stop failed in round(s) {failures}; logs in {work}")
        sys.exit(1)
    print(f"{args.rounds} stops under load: every one clean")


if __name__ == "__main__":
    main()

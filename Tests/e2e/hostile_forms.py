"""The hostile form walk: as every demo role, opens the pages a user reaches from the menu, and submits every form
it meets with hostile values in every field (hidden ones included, except the CSRF token): very long strings,
markup, control characters, -1, 1e309, huge integers, mixed Unicode normalisation, path tricks.

It speaks HTTP like the browser does (the session cookie, the page's CSRF token, form encoding), so that it can see
every status: it fails on any 5xx, on an error page that says "Lỗi hệ thống", or on a server that stops answering.
Bounded (FORMS_PER_ROLE forms per role, PAGES_PER_ROLE pages, a fixed list of values) and replayable: the choice of
values is drawn from HOSTILE_SEED, printed at the start. Prints '<N> passed, <M> failed'.

    THIDUA_URL=http://127.0.0.1:8080 THIDUA_DEMO_PASSWORD=… python3 Tests/e2e/hostile_forms.py
"""
import html.parser
import http.cookiejar
import os
import random
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

BASE = os.environ.get("THIDUA_URL", "http://127.0.0.1:8080").rstrip("/")
PASSWORD = os.environ["THIDUA_DEMO_PASSWORD"]
SEED = int(os.environ.get("HOSTILE_SEED", "20261201"))
PAGES_PER_ROLE = int(os.environ.get("PAGES_PER_ROLE", "60"))
FORMS_PER_ROLE = int(os.environ.get("FORMS_PER_ROLE", "60"))
DEADLINE = time.time() + float(os.environ.get("HOSTILE_SECONDS", "240"))

# Least privileged first; the office last (what it deletes the others would miss).
ROLES = [("viewer", "khach"), ("council", "hoidong"), ("unitHead", "thutruong.congan"),
         ("unitOfficer", "canbo.congan"), ("blocLead", "truongkhoi"), ("office", "vanphong")]

HOSTILE = [
    "A" * 20000,                                   # very long
    "<script>alert(1)</script>\"'><img src=x onerror=alert(1)>",  # markup
    "\x00\x01\x07\x1b[31m\x7f",                    # control characters
    "-1",
    "1e309",
    "99999999999999999999",
    "9223372036854775808",
    "Nghe\u0323\u0302 An \u0110\u1eb7ng",          # NFD mixed with NFC
    "../../../../etc/passwd",
    "x/../../users/1/delete?",
    "0",
    "",
    "NaN",
    "\u202e\u200b\ufeff",                          # bidi override, zero width, BOM
    "31/02/2018",
    "😀" * 300,
]

# Forms that end the walker's own session or would only repeat another form.
SKIP_ACTIONS = ("/logout",)


class Forms(html.parser.HTMLParser):
    """Collects forms (action, method, fields) and same-site links of a page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms, self.links, self.current, self.select = [], [], None, None
        self.error_page = False
        self._in_h1 = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and (a.get("href") or "").startswith("/") and not a["href"].startswith("//"):
            self.links.append(a["href"])
        elif tag == "form":
            self.current = {"action": a.get("action") or "", "method": (a.get("method") or "get").lower(), "fields": []}
            self.forms.append(self.current)
        elif self.current is not None and tag in ("input", "textarea", "select") and a.get("name"):
            kind = (a.get("type") or tag).lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            self.current["fields"].append((a["name"], kind, a.get("value") or ""))
        elif tag == "h1":
            self._in_h1 = True

    def handle_data(self, data):
        if self._in_h1 and "Lỗi hệ thống" in data:
            self.error_page = True

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None
        elif tag == "h1":
            self._in_h1 = False


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Session:
    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect())

    def request(self, method, path, fields=None):
        data = urllib.parse.urlencode(fields, doseq=True).encode() if fields is not None else None
        req = urllib.request.Request(BASE + path, data=data, method=method, headers={"Accept": "text/html"})
        if data is not None:
            req.add_header("Content-Type", "application/x-www-form-urlencoded")
        try:
            with self.opener.open(req, timeout=20) as res:
                return res.status, res.read().decode("utf-8", "replace"), res.headers.get("Location")
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode("utf-8", "replace"), e.headers.get("Location")


def alive():
    try:
        with urllib.request.urlopen(BASE + "/healthz", timeout=5) as res:
            return res.status == 200
    except Exception:
        return False


def parse(body):
    p = Forms()
    p.feed(body)
    return p


def csrf_of(form):
    return next((v for n, _, v in form["fields"] if n == "csrf"), None)


def main():
    rng = random.Random(SEED)
    print(f"hostile form walk against {BASE}, seed {SEED}")
    passed, failed = 0, 0

    def check(ok, what):
        nonlocal passed, failed
        if ok:
            passed += 1
        else:
            failed += 1
            print("FAIL", what)

    for role, user in ROLES:
        s = Session()
        status, body, _ = s.request("GET", "/login")
        login = next(f for f in parse(body).forms if f["action"] == "/login")
        status, _, location = s.request("POST", "/login", {"csrf": csrf_of(login), "username": user, "password": PASSWORD, "next": "/"})
        check(status == 303 and location == "/", f"{role}: login → {status} {location}")
        seen, queue, forms = set(), ["/"], []
        while queue and len(seen) < PAGES_PER_ROLE and time.time() < DEADLINE:
            path = queue.pop(0)
            if path in seen or any(x in path for x in (".xlsx", "/docx", ".css", ".js")):
                continue
            seen.add(path)
            status, body, _ = s.request("GET", path)
            page = parse(body)
            check(status < 500 and not page.error_page, f"{role}: GET {path} → {status}")
            queue += [l.replace("&amp;", "&") for l in page.links]
            forms += [(path, f) for f in page.forms if not f["action"].endswith(SKIP_ACTIONS)
                      and any(n != "csrf" for n, _, _ in f["fields"])]
        # One form per action: the same form on many pages would only be repeated.
        unique = {}
        for path, f in forms:
            unique.setdefault((f["method"], f["action"] or path.split("?")[0]), (path, f))
        chosen = list(unique.values())[:FORMS_PER_ROLE]
        submitted = 0
        for path, form in chosen:
            if time.time() > DEADLINE:
                print(f"time budget reached in {role}")
                break
            # Every field hostile at once, then each value in turn in every field.
            for value in [None] + rng.sample(HOSTILE, 4):
                fields = []
                for name, kind, original in form["fields"]:
                    if name == "csrf":
                        fields.append((name, original))
                    else:
                        fields.append((name, value if value is not None else rng.choice(HOSTILE)))
                target = form["action"] or path.split("?")[0]
                if form["method"] == "get":
                    status, body, _ = s.request("GET", target + "?" + urllib.parse.urlencode(fields))
                else:
                    status, body, _ = s.request("POST", target, fields)
                submitted += 1
                check(status < 500 and not parse(body).error_page,
                      f"{role}: {form['method'].upper()} {target} from {path} with {str(value)[:40]!r} → {status}")
                # A refused form shows the page again with a fresh token; keep the session's token current.
                if status == 403 and "CSRF" in body:
                    check(False, f"{role}: POST {form['action']}: the CSRF token was refused")
        check(alive(), f"{role}: server alive after {submitted} hostile submissions")
        print(f"{role}: {len(seen)} pages, {len(chosen)} forms, {submitted} hostile submissions")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

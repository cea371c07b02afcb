"""The browser walk: a real headless Chromium clicks through ThiDua's demo.

Started by .ci/run against `thidua serve --demo`. Saves a screenshot of every step to E2E_SCREENSHOTS, so
that a failing step can be looked at. Prints '<N> passed, <M> failed' and exits non-zero on any failure.
"""
import datetime
import io
import json
import os
import shutil
import urllib.error
import urllib.request
import sys
import traceback

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

BASE = os.environ.get("THIDUA_URL", "http://127.0.0.1:8123")
PASSWORD = os.environ["THIDUA_DEMO_PASSWORD"]
SHOTS = os.environ.get("E2E_SCREENSHOTS", "e2e-screenshots")
NINE = [
    "Bộ Chỉ huy Quân sự tỉnh Nghệ An",
    "Bộ Chỉ huy Bộ đội Biên phòng tỉnh Nghệ An",
    "Công an tỉnh Nghệ An",
    "Viện kiểm sát nhân dân tỉnh Nghệ An",
    "Tòa án nhân dân tỉnh Nghệ An",
    "Cảnh sát phòng cháy chữa cháy tỉnh Nghệ An",
    "Thanh tra tỉnh Nghệ An",
    "Sở Tư pháp tỉnh Nghệ An",
    "Cục Thi hành án dân sự tỉnh Nghệ An",
]


def browser():
    options = webdriver.ChromeOptions()
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000", "--lang=vi"):
        options.add_argument(arg)
    # Debian's browser and driver, found on PATH: selenium must not try to download its own.
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    service = Service(executable_path=shutil.which("chromedriver") or "/usr/bin/chromedriver")
    return webdriver.Chrome(options=options, service=service)


def main():
    os.makedirs(SHOTS, exist_ok=True)
    d = browser()
    passed, failed = 0, 0
    step_no = [0]

    def step(name, fn):
        nonlocal passed, failed
        step_no[0] += 1
        try:
            fn()
            passed += 1
            print(f"ok   {step_no[0]:02d} {name}")
        except Exception:
            failed += 1
            print(f"FAIL {step_no[0]:02d} {name}")
            traceback.print_exc()
        finally:
            d.save_screenshot(os.path.join(SHOTS, f"{step_no[0]:02d}-{name.replace(' ', '-')}.png"))

    def until(condition, what):
        """Waits (up to 15 s) for the page to reach `condition`; pages load after clicks."""
        WebDriverWait(d, 15, ignored_exceptions=(Exception,)).until(lambda _: condition(), message=what)

    def h1():
        return d.find_element(By.TAG_NAME, "h1").text

    def login_page():
        d.get(BASE + "/")
        assert "/login" in d.current_url, d.current_url
        assert "Đăng nhập" in d.page_source

    def wrong_password():
        d.find_element(By.ID, "username").send_keys("vanphong")
        d.find_element(By.ID, "password").send_keys("sai-mat-khau")
        d.find_element(By.ID, "login").click()
        until(lambda: "Tên đăng nhập hoặc mật khẩu không đúng" in d.page_source, "the wrong-password message")

    def login():
        u = d.find_element(By.ID, "username")
        u.clear()
        u.send_keys("vanphong")
        d.find_element(By.ID, "password").send_keys(PASSWORD)
        d.find_element(By.ID, "login").click()
        until(lambda: "Tổng quan" in h1(), "the dashboard after login")

    def bloc_page():
        d.find_element(By.LINK_TEXT, "Khối thi đua").click()
        until(lambda: h1().startswith("Khối thi đua năm"), "the list of blocs")
        d.find_element(By.PARTIAL_LINK_TEXT, "Khối thi đua Nội chính - Lực lượng vũ trang").click()
        until(lambda: d.find_elements(By.ID, "members"), "the bloc page")
        members = [li.find_element(By.TAG_NAME, "a").text for li in d.find_elements(By.CSS_SELECTOR, "#members li")]
        assert sorted(members) == sorted(NINE), members
        assert "lựa chọn minh họa" in d.page_source

    def search():
        box = d.find_element(By.NAME, "q")
        box.send_keys("to an\n")
        until(lambda: h1() == "Tìm kiếm" and "Tòa án nhân dân tỉnh Nghệ An" in d.page_source, "search results")

    def register_verdicts():
        d.find_element(By.LINK_TEXT, "Sổ khen thưởng").click()
        until(lambda: h1() == "Sổ khen thưởng", "the register")
        d.find_element(By.LINK_TEXT, "Nguyễn Văn Hùng").click()
        until(lambda: h1() == "Nguyễn Văn Hùng", "a person's page")
        text = d.find_element(By.CSS_SELECTOR, "section.eligibility").text
        assert "Chiến sĩ thi đua cấp bộ, ngành, tỉnh" in text, text[:400]
        assert "Luật TĐKT 2003 (sửa đổi 2013), Điều 22" in d.page_source

    def report_xlsx():
        import openpyxl
        d.get(BASE + "/register/report?year=2018")
        until(lambda: h1().startswith("Đủ điều kiện khen thưởng năm 2018"), "the report")
        href = d.find_element(By.ID, "xlsx").get_attribute("href")
        cookie = "; ".join(f"{c['name']}={c['value']}" for c in d.get_cookies())
        data = urllib.request.urlopen(urllib.request.Request(href, headers={"Cookie": cookie})).read()
        sheet = openpyxl.load_workbook(io.BytesIO(data)).active
        cells = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
        assert any("Nguyễn Văn Hùng" in c for c in cells), cells[:20]
        assert sheet["A3"].value == "STT", sheet["A3"].value

    def logout():
        d.find_element(By.ID, "logout").click()
        until(lambda: "/login" in d.current_url, "the login page after logout")
        d.get(BASE + "/blocs")
        until(lambda: "/login" in d.current_url, "a redirect to login once signed out")

    def login_as(user):
        # A step that failed may have left someone signed in.
        d.get(BASE + "/")
        if d.find_elements(By.ID, "logout"):
            d.find_element(By.ID, "logout").click()
            until(lambda: "/login" in d.current_url, "the login page after logout")
        d.get(BASE + "/login")
        until(lambda: d.find_elements(By.ID, "username"), "the login form")
        d.find_element(By.ID, "username").send_keys(user)
        d.find_element(By.ID, "password").send_keys(PASSWORD)
        d.find_element(By.ID, "login").click()
        until(lambda: "Tổng quan" in h1(), f"the dashboard of {user}")

    def open_demo_bloc(link_id):
        """From the navigation to the demo bloc's page, until the link `link_id` shows."""
        d.find_element(By.LINK_TEXT, "Khối thi đua").click()
        until(lambda: h1().startswith("Khối thi đua năm"), "the list of blocs")
        d.find_element(By.PARTIAL_LINK_TEXT, "Khối thi đua Nội chính - Lực lượng vũ trang").click()
        until(lambda: d.find_elements(By.ID, link_id), f"the bloc page with #{link_id}")

    def fetch(url):
        cookie = "; ".join(f"{c['name']}={c['value']}" for c in d.get_cookies())
        return urllib.request.urlopen(urllib.request.Request(url, headers={"Cookie": cookie})).read()

    def office_reopens_signing():
        login_as("vanphong")
        d.get(BASE + "/years/2018/deadlines")
        until(lambda: h1().startswith("Các mốc thời gian"), "the deadlines page")
        form = d.find_element(By.CSS_SELECTOR, "form[action$='/deadlines/covenantSigning/reopen']")
        Select(form.find_element(By.NAME, "unitID")).select_by_visible_text("Công an tỉnh Nghệ An")
        soon = (datetime.datetime.utcnow() + datetime.timedelta(hours=7, days=7)).strftime("%d/%m/%Y")
        form.find_element(By.NAME, "until").send_keys(soon)
        form.find_element(By.NAME, "reason").send_keys("Ký lại bản sửa đổi")
        form.find_element(By.TAG_NAME, "button").click()
        until(lambda: "Mở lại cho Công an tỉnh Nghệ An" in d.page_source, "the reopening listed")
        d.find_element(By.ID, "logout").click()

    def leader_opens_covenant():
        login_as("truongkhoi")
        open_demo_bloc("covenant-link")
        d.find_element(By.ID, "covenant-link").click()
        until(lambda: d.find_elements(By.ID, "covenant-title"), "the covenant")
        assert d.find_element(By.ID, "status").text == "Đã ký kết", d.find_element(By.ID, "status").text
        assert d.find_element(By.ID, "signed-count").text == "9/9"
        # Amend: a new version that must be signed again.
        d.find_element(By.XPATH, "//button[contains(., 'Tạo phiên bản sửa đổi')]").click()
        until(lambda: d.find_element(By.ID, "status").text == "Dự thảo", "the amendment draft")
        tasks = d.find_element(By.ID, "tasks")
        tasks.send_keys("\nPhối hợp phòng, chống tội phạm ma túy trên tuyến biên giới. | A3")
        d.find_element(By.ID, "save-covenant").click()
        until(lambda: "Đã lưu dự thảo" in d.page_source, "the saved draft")
        d.find_element(By.ID, "open-signing").click()
        until(lambda: d.find_element(By.ID, "status").text == "Đang ký", "the sealed covenant")
        data = fetch(d.find_element(By.ID, "docx").get_attribute("href"))
        import docx
        text = "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
        assert "GIAO ƯỚC THI ĐUA" in text and "Phối hợp phòng, chống tội phạm ma túy" in text, text[:300]
        d.find_element(By.ID, "logout").click()

    def head_signs():
        login_as("thutruong.congan")
        open_demo_bloc("covenant-link")
        d.find_element(By.ID, "covenant-link").click()
        until(lambda: d.find_elements(By.ID, "sign"), "the signing form")
        fingerprint = d.find_element(By.ID, "fingerprint").text
        d.find_element(By.NAME, "position").send_keys("Giám đốc")
        d.find_element(By.ID, "sign-password").send_keys(PASSWORD)
        d.find_element(By.ID, "sign").click()
        until(lambda: d.find_element(By.ID, "signed-count").text == "1/9", "one signature recorded")
        assert fingerprint in d.find_element(By.ID, "signatures").text

    # Scoring: a mid-year round of 2018 (no deadlines), the showcased steps in the browser, the other units' part
    # through the API as their officers would do it.
    round_id = [None]
    units = {}

    def api(method, path, token=None, body=None, raw=None, content_type="application/json"):
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        req = urllib.request.Request(BASE + path, data=data, method=method)
        if token:
            req.add_header("Authorization", "Bearer " + token)
        if data is not None:
            req.add_header("Content-Type", content_type)
        try:
            with urllib.request.urlopen(req, timeout=30) as res:
                text = res.read()
                return res.status, (json.loads(text) if text and res.headers.get_content_type() == "application/json" else text)
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode(errors="replace")

    tokens = {}

    def token(user):
        if user not in tokens:
            status, body = api("POST", "/api/v1/auth/token", body={"username": user, "password": PASSWORD})
            assert status == 200, (user, status, body)
            tokens[user] = body["token"]
        return tokens[user]

    CODES = ["bchqs", "bdbp", "congan", "vksnd", "tand", "pccc", "thanhtra", "sotuphap", "thads"]

    def self_marks(i, sheet):
        marks = []
        for r in sheet["rows"]:
            if r["isGroup"]:
                continue
            if r["kind"] == "manual":
                marks.append({"criterion": r["code"], "points": max(0, r["maxPoints"] - 1 - (i % 3) * 0.5)})
            elif r["kind"] == "yesNo":
                marks.append({"criterion": r["code"], "done": True})
            elif r["kind"] == "targetActual":
                marks.append({"criterion": r["code"], "target": 100, "actual": 90 + i})
            else:
                marks.append({"criterion": r["code"], "events": 0})
        return marks

    def leader_creates_round():
        login_as("truongkhoi")
        open_demo_bloc("rounds-link")
        d.find_element(By.ID, "rounds-link").click()
        until(lambda: d.find_elements(By.ID, "create-round"), "the bloc's rounds")
        assert "Tổng kết năm" in d.page_source, "the demo's published year-end round is listed"
        Select(d.find_element(By.NAME, "kind")).select_by_value("midYear")
        d.find_element(By.ID, "create-round").click()
        until(lambda: d.find_elements(By.ID, "save-settings"), "the new round's settings")
        round_id[0] = d.current_url.rstrip("/").split("/")[-1]
        gap = d.find_element(By.NAME, "disagreementGap")
        gap.clear()
        gap.send_keys("3")
        d.find_element(By.ID, "save-settings").click()
        until(lambda: "Đã lưu cách chấm" in d.page_source, "the saved settings")
        d.find_element(By.ID, "action-open").click()
        until(lambda: d.find_element(By.ID, "phase").text == "Tự chấm điểm", "the round open for self-assessment")
        status, body = api("GET", f"/api/v1/rounds/{round_id[0]}", token("truongkhoi"))
        assert status == 200, body
        names = {m["name"]: m["unitID"] for m in body["members"]}
        for code, name in zip(CODES, NINE):
            units[code] = names[name]
        d.find_element(By.ID, "logout").click()

    def unit_self_assesses_with_evidence():
        login_as("canbo.congan")
        d.get(BASE + f"/rounds/{round_id[0]}")
        until(lambda: d.find_elements(By.ID, "work"), "the officer's sheets")
        d.find_element(By.LINK_TEXT, "Tự chấm điểm").click()
        until(lambda: d.find_elements(By.ID, "sheet"), "the self-assessment sheet")
        for field in d.find_elements(By.CSS_SELECTOR, "#sheet input[name^='points.']"):
            field.clear()
            field.send_keys("4,5")
        for sel in d.find_elements(By.CSS_SELECTOR, "#sheet select[name^='done.']"):
            Select(sel).select_by_value("1")
        for name, value in (("target.A1", "100"), ("actual.A1", "95")):
            d.find_element(By.NAME, name).send_keys(value)
        for field in d.find_elements(By.CSS_SELECTOR, "#sheet input[name^='events.']"):
            field.clear()
            field.send_keys("0")
        d.find_element(By.ID, "save-sheet").click()
        until(lambda: "Đã lưu phiếu chấm" in d.page_source, "the saved sheet")
        pdf = os.path.join(SHOTS, "bao-cao-tong-ket.pdf")
        with open(pdf, "wb") as f:
            f.write(b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n")
        Select(d.find_element(By.CSS_SELECTOR, "#attach select[name='criterion']")).select_by_value("A1")
        d.find_element(By.CSS_SELECTOR, "#attach input[type='file']").send_keys(os.path.abspath(pdf))
        d.find_element(By.ID, "attach-file").click()
        until(lambda: "Đã gửi minh chứng" in d.page_source and "bao-cao-tong-ket.pdf" in d.page_source, "the evidence listed")
        d.find_element(By.ID, "submit-sheet").click()
        until(lambda: d.find_elements(By.ID, "submitted"), "the submitted self-assessment")
        d.find_element(By.ID, "logout").click()

    def other_units_submit_and_review_starts():
        for i, code in enumerate(CODES):
            if code == "congan":
                continue
            t = token("canbo." + code)
            status, sheet = api("GET", f"/api/v1/rounds/{round_id[0]}/units/{units[code]}/sheets/self", t)
            assert status == 200, sheet
            status, sheet = api("PUT", f"/api/v1/rounds/{round_id[0]}/units/{units[code]}/sheets/self", t, {"lockVersion": 0, "marks": self_marks(i, sheet)})
            assert status == 200, sheet
            status, body = api("POST", f"/api/v1/rounds/{round_id[0]}/units/{units[code]}/submit", t, {"lockVersion": sheet["lockVersion"]})
            assert status == 200, body
        status, body = api("POST", f"/api/v1/rounds/{round_id[0]}/actions/startReview", token("truongkhoi"))
        assert status == 200, body

    def peers_score():
        for si, scorer in enumerate(CODES):
            t = token("canbo." + scorer)
            for target in CODES:
                if target == scorer or (scorer == "vksnd" and target == "congan"):
                    continue
                path = f"/api/v1/rounds/{round_id[0]}/units/{units[target]}/sheets/{units[scorer]}"
                status, sheet = api("GET", path, t)
                assert status == 200, sheet
                marks = [{"criterion": r["code"], "points": 4} if r["kind"] == "manual" else {"criterion": r["code"], "done": True}
                         for r in sheet["rows"] if not r["isGroup"]]
                status, body = api("PUT", path, t, {"lockVersion": 0, "marks": marks})
                assert status == 200, body
        # VKSND scores Công an in the browser, far below the others on B1.
        login_as("canbo.vksnd")
        d.get(BASE + f"/rounds/{round_id[0]}")
        until(lambda: d.find_elements(By.ID, "work"), "the peer's sheets")
        d.find_element(By.XPATH, "//table[@id='work']//tr[td[contains(., 'Công an tỉnh Nghệ An')]]//a").click()
        until(lambda: d.find_elements(By.ID, "sheet"), "the peer sheet for Công an")
        for field in d.find_elements(By.CSS_SELECTOR, "#sheet input[name^='points.']"):
            field.clear()
            field.send_keys("0,5" if field.get_attribute("name") == "points.B1" else "4")
        for sel in d.find_elements(By.CSS_SELECTOR, "#sheet select[name^='done.']"):
            Select(sel).select_by_value("1")
        d.find_element(By.ID, "save-sheet").click()
        until(lambda: "Đã lưu phiếu chấm" in d.page_source, "the saved peer sheet")
        status, _ = api("GET", f"/api/v1/rounds/{round_id[0]}/results", token("canbo.vksnd"))
        assert status == 403, "a scorer sees no totals before the results"
        d.find_element(By.ID, "logout").click()

    def leader_resolves_disagreement():
        login_as("truongkhoi")
        d.get(BASE + f"/rounds/{round_id[0]}")
        until(lambda: d.find_elements(By.ID, "work"), "the leader's sheets")
        d.find_element(By.PARTIAL_LINK_TEXT, "Chấm lần ba").click()
        until(lambda: d.find_elements(By.NAME, "points.B1"), "the third-scoring sheet")
        field = d.find_element(By.NAME, "points.B1")
        field.clear()
        field.send_keys("8")
        d.find_element(By.ID, "save-sheet").click()
        until(lambda: "Đã lưu phiếu chấm" in d.page_source, "the third scoring saved")
        d.get(BASE + f"/rounds/{round_id[0]}")
        d.find_element(By.ID, "action-showPreliminary").click()
        until(lambda: d.find_element(By.ID, "phase").text == "Kết quả sơ bộ", "the preliminary results")
        d.find_element(By.ID, "action-openAppeals").click()
        until(lambda: d.find_element(By.ID, "phase").text == "Giải trình, khiếu nại", "appeals open")
        d.find_element(By.ID, "logout").click()

    def unit_appeals():
        login_as("canbo.thanhtra")
        d.get(BASE + f"/rounds/{round_id[0]}/results")
        until(lambda: d.find_elements(By.ID, "appeal-form"), "the appeal form")
        assert len(d.find_elements(By.CSS_SELECTOR, "section.unit-result")) == 1, "a unit sees its own detail only"
        form = d.find_element(By.ID, "appeal-form")
        Select(form.find_element(By.NAME, "criterion")).select_by_value("A2")
        Select(form.find_element(By.NAME, "ground")).select_by_value("miscount")
        form.find_element(By.NAME, "reason").send_keys("Số văn bản tham mưu được chấp thuận là 14, không phải 12")
        d.find_element(By.ID, "file-appeal").click()
        until(lambda: "Đã gửi giải trình" in d.page_source and d.find_elements(By.ID, "appeals"), "the appeal listed")
        d.find_element(By.ID, "logout").click()

    def leader_answers_and_publishes():
        login_as("truongkhoi")
        d.get(BASE + f"/rounds/{round_id[0]}/results")
        until(lambda: d.find_elements(By.CSS_SELECTOR, "form.answer"), "the answer form")
        form = d.find_element(By.CSS_SELECTOR, "form.answer")
        Select(form.find_element(By.NAME, "decision")).select_by_value("changed")
        form.find_element(By.NAME, "points").send_keys("9,5")
        form.find_element(By.NAME, "answer").send_keys("Đối chiếu đủ 14 văn bản; sửa điểm")
        form.find_element(By.CSS_SELECTOR, "button.answer-appeal").click()
        until(lambda: "Đã trả lời khiếu nại" in d.page_source, "the answer")
        d.get(BASE + f"/rounds/{round_id[0]}")
        d.find_element(By.ID, "action-publish").click()
        until(lambda: d.find_element(By.ID, "phase").text == "Đã công bố", "the published round")
        d.find_element(By.ID, "results").click()
        until(lambda: d.find_elements(By.ID, "publication"), "the published results")
        rows = d.find_elements(By.CSS_SELECTOR, "#ranking tbody tr")
        assert len(rows) == 9, len(rows)
        assert d.find_elements(By.ID, "intact"), "the published result matches the stored data"
        data = fetch(d.find_element(By.ID, "results-xlsx").get_attribute("href"))
        import openpyxl
        book = openpyxl.load_workbook(io.BytesIO(data))
        assert book.sheetnames[0] == "Tổng hợp" and len(book.sheetnames) == 7, book.sheetnames
        d.find_element(By.ID, "matrix").click()
        until(lambda: d.find_elements(By.ID, "matrix-totals"), "the score matrix")
        d.find_element(By.ID, "logout").click()

    ballot = [None]

    def leader_opens_ballot_session():
        login_as("truongkhoi")
        d.find_element(By.LINK_TEXT, "Bỏ phiếu").click()
        until(lambda: h1().startswith("Bỏ phiếu năm"), "the ballots page")
        d.get(BASE + "/ballots?year=2018")
        until(lambda: d.find_elements(By.ID, "create-session"), "the form to open a session")
        title = d.find_element(By.NAME, "title")
        title.clear()
        title.send_keys("Hội nghị tổng kết, suy tôn đơn vị dẫn đầu năm 2018")
        d.find_element(By.ID, "create-session-submit").click()
        until(lambda: d.find_elements(By.ID, "voters"), "the new session")
        ballot[0] = d.current_url.rstrip("/").split("/")[-1].split("?")[0]
        assert len(d.find_elements(By.CSS_SELECTOR, "#voters tbody tr")) == 9
        for i in range(9):
            buttons = [b for b in d.find_elements(By.CSS_SELECTOR, "#voters button") if b.text == "Điểm danh có mặt"]
            buttons[0].click()
            until(lambda: d.find_element(By.ID, "present-count").text == str(i + 1), f"{i + 1} present")
        d.find_element(By.NAME, "title").send_keys("Suy tôn đơn vị dẫn đầu khối đề nghị tặng Cờ thi đua của UBND tỉnh")
        Select(d.find_element(By.NAME, "award")).select_by_value("CO_TINH")
        d.find_element(By.NAME, "candidates").send_keys("Thanh tra tỉnh Nghệ An\nCông an tỉnh Nghệ An")
        d.find_element(By.NAME, "seats").send_keys("1")
        d.find_element(By.ID, "add-question-submit").click()
        until(lambda: d.find_elements(By.ID, "open-1"), "the question")
        assert "80 %" in d.page_source and "TT 01/2019/TT-VKSTC" in d.page_source, "the rule and its article"
        d.find_element(By.ID, "open-1").click()
        until(lambda: "đang bỏ phiếu" in d.page_source, "the question open")
        d.find_element(By.ID, "logout").click()

    def two_heads_vote():
        for user, first in (("thutruong.thanhtra", "no"), ("thutruong.congan", "yes")):
            login_as(user)
            d.get(BASE + f"/ballots/{ballot[0]}")
            until(lambda: d.find_elements(By.ID, "vote-1"), "the ballot form")
            form = d.find_element(By.ID, "vote-1")
            form.find_element(By.CSS_SELECTOR, f"input[name='mark.c1'][value='{'yes' if first == 'no' else 'no'}']").click()
            form.find_element(By.CSS_SELECTOR, f"input[name='mark.c2'][value='{first}']").click()
            form.find_element(By.ID, "cast-1").click()
            until(lambda: d.find_elements(By.ID, "receipt"), "the receipt")
            receipt = d.find_element(By.CSS_SELECTOR, "#receipt code").text
            assert len(receipt) == 64, receipt
            assert not d.find_elements(By.ID, "vote-1"), "one ballot each"
            # The voter checks the receipt on the session's page.
            d.find_element(By.CSS_SELECTOR, "#receipt-check input[name='receipt']").send_keys(receipt)
            d.find_element(By.ID, "receipt-check-submit").click()
            until(lambda: d.find_elements(By.ID, "receipt-check-answer"), "the receipt check's answer")
            assert "đã được ghi vào hòm phiếu của câu hỏi 1" in d.find_element(By.ID, "receipt-check-answer").text
            status, body = api("POST", f"/api/v1/ballots/{ballot[0]}/receipts/check", token(user), {"receipt": receipt})
            assert status == 200 and body["counted"], body
            d.find_element(By.ID, "logout").click()

    def committee_closes_and_result_shows():
        for code in ("bchqs", "bdbp", "vksnd", "tand", "pccc", "sotuphap", "thads"):
            status, body = api("POST", f"/api/v1/ballots/{ballot[0]}/questions/{question_id()}/vote", token("thutruong." + code),
                               {"ballot": {"marks": {"c1": "yes", "c2": "no"}}})
            assert status == 201, body
        login_as("truongkhoi")
        d.get(BASE + f"/ballots/{ballot[0]}")
        until(lambda: d.find_elements(By.ID, "close-1"), "the close form")
        d.find_element(By.ID, "close-1").find_element(By.NAME, "committee").send_keys("Nguyễn Văn An\nTrần Thị Bình")
        d.find_element(By.ID, "close-question-1").click()
        until(lambda: d.find_elements(By.CSS_SELECTOR, "table.result"), "the result")
        assert "8/9 = 88,9 % ≥ 80 % tổng số thành viên → đạt" in d.page_source, "the arithmetic"
        assert "Trúng: Thanh tra tỉnh Nghệ An." in d.page_source
        import docx
        minutes = docx.Document(io.BytesIO(fetch(d.find_element(By.ID, "minutes-1").get_attribute("href"))))
        text = "\n".join(p.text for p in minutes.paragraphs)
        assert "BIÊN BẢN KIỂM PHIẾU" in text and "Trúng: Thanh tra tỉnh Nghệ An." in text, text[:400]
        with open(os.path.join(SHOTS, "bien-ban-kiem-phieu.docx"), "wb") as f:
            f.write(fetch(d.find_element(By.ID, "minutes-1").get_attribute("href")))
        d.find_element(By.ID, "close-session").click()
        until(lambda: d.find_elements(By.ID, "record"), "the closed session")
        record = json.loads(fetch(d.find_element(By.ID, "record").get_attribute("href")))
        assert record["format"] == "thidua-ballot-session/1" and len(record["questions"][0]["ballots"]) == 9 and len(record["receipts"]) == 9
        d.find_element(By.ID, "logout").click()

    def council_member_sees_the_council_session():
        login_as("hoidong.2")
        d.get(BASE + "/ballots?year=2018")
        until(lambda: d.find_elements(By.ID, "sessions"), "the sessions")
        d.find_element(By.PARTIAL_LINK_TEXT, "Hội đồng Thi đua – Khen thưởng tỉnh").click()
        until(lambda: d.find_elements(By.CSS_SELECTOR, "table.result"), "the council's results")
        assert len(d.find_elements(By.CSS_SELECTOR, "#voters tbody tr")) == 5 and d.find_element(By.ID, "present-count").text == "4"
        assert len(d.find_elements(By.CSS_SELECTOR, "table.result")) == 2, "two proposals voted on"
        assert "ý kiến bằng văn bản" in d.page_source.lower()
        d.save_screenshot(os.path.join(SHOTS, "council-session.png"))
        d.find_element(By.ID, "logout").click()

    def office_imports_a_spreadsheet():
        import openpyxl
        def workbook(path, bad):
            wb = openpyxl.Workbook()
            ws = wb.active
            ws.title = "Cá nhân"
            ws.append(["DANH SÁCH CÁN BỘ NHẬP TỪ EXCEL"])
            ws.append(["Đơn vị", "Họ và tên", "Giới tính", "Năm sinh"])
            ws.append(["Công an tỉnh Nghệ An", "Trần Văn Nhập", "Nam", 1984])
            aw = wb.create_sheet("Khen thưởng")
            aw.append(["Đơn vị", "Họ và tên", "Năm sinh", "Danh hiệu, hình thức", "Năm thành tích", "Ngày quyết định"])
            aw.append(["Công an tỉnh Nghệ An", "Trần Văn Nhập", 1984, "Chiến sĩ tiên tiến", 2017, datetime.date(2018, 1, 12)])
            if bad:
                aw.append(["Công an tỉnh Nghệ An", "Trần Văn Nhập", 1984, "Chiến sĩ tiên tiến", 2016, "12/13/2017"])
            wb.save(path)
        bad, good = os.path.join(SHOTS, "nhap-loi.xlsx"), os.path.join(SHOTS, "nhap.xlsx")
        workbook(bad, True)
        workbook(good, False)
        login_as("vanphong")
        d.find_element(By.LINK_TEXT, "Nhập dữ liệu").click()
        until(lambda: d.find_elements(By.ID, "import-form"), "the import page")
        assert fetch(d.find_element(By.ID, "template").get_attribute("href"))[:2] == b"PK", "the template is an .xlsx"
        d.find_element(By.CSS_SELECTOR, "#import-form input[type='file']").send_keys(os.path.abspath(bad))
        d.find_element(By.ID, "import-submit").click()
        until(lambda: d.find_elements(By.ID, "import-problems"), "the problems")
        text = d.find_element(By.ID, "import-problems").text
        assert "Khen thưởng" in text and "3" in text and "F" in text and "dd/MM/yyyy" in text, text
        assert not d.find_elements(By.ID, "import-apply"), "a file with problems cannot be applied"
        d.save_screenshot(os.path.join(SHOTS, "import-problems.png"))
        d.find_element(By.CSS_SELECTOR, "#import-form input[type='file']").send_keys(os.path.abspath(good))
        d.find_element(By.ID, "import-submit").click()
        until(lambda: d.find_elements(By.ID, "import-apply"), "the dry run")
        assert "Chạy thử" in d.page_source
        d.find_element(By.ID, "import-apply-submit").click()
        until(lambda: "Đã nhập" in d.find_element(By.ID, "import-report").text, "the import")
        d.save_screenshot(os.path.join(SHOTS, "import-done.png"))
        d.find_element(By.ID, "logout").click()

    def open_session_left_for_the_hostile_walk():
        # A session left open with a question open, so that the hostile form walk meets the ballot, written-opinion
        # and closing forms too.
        t = token("truongkhoi")
        status, blocs = api("GET", "/api/v1/covenants?year=2018", t)
        assert status == 200, blocs
        status, s = api("POST", "/api/v1/ballots", t, {"body": "bloc", "blocID": blocs[0]["blocID"], "year": 2018, "title": "Phiên còn mở (kiểm thử)"})
        assert status == 201, s
        for v in s["voters"][:-1]:
            status, body = api("POST", f"/api/v1/ballots/{s['id']}/presence", t, {"voterKey": v["voterKey"], "present": True})
            assert status == 200, body
        status, s = api("POST", f"/api/v1/ballots/{s['id']}/questions", t, {"title": "Bằng khen", "candidates": [{"name": "Thanh tra tỉnh Nghệ An"}, {"name": "Sở Tư pháp tỉnh Nghệ An"}], "form": "chooseUpTo", "seats": 1, "abstain": True})
        assert status == 201, s
        status, body = api("POST", f"/api/v1/ballots/{s['id']}/questions/{s['questions'][0]['id']}/open", t)
        assert status == 200, body

    def question_id():
        status, body = api("GET", f"/api/v1/ballots/{ballot[0]}", token("truongkhoi"))
        assert status == 200, body
        return body["questions"][0]["id"]

    try:
        step("login page", login_page)
        step("wrong password", wrong_password)
        step("login as office", login)
        step("bloc shows nine agencies", bloc_page)
        step("diacritic-insensitive search", search)
        step("register verdicts with citations", register_verdicts)
        step("eligibility report as xlsx", report_xlsx)
        step("logout", logout)
        step("the leader creates and opens a scoring round", leader_creates_round)
        step("a unit self-assesses with an evidence file and submits", unit_self_assesses_with_evidence)
        step("the other units submit; review starts", other_units_submit_and_review_starts)
        step("peers score, one far from the others", peers_score)
        step("the leader resolves the disagreement", leader_resolves_disagreement)
        step("a unit appeals", unit_appeals)
        step("the leader answers, publishes; the ranking shows", leader_answers_and_publishes)
        step("office reopens signing for a unit", office_reopens_signing)
        step("the leader opens the covenant and amends it", leader_opens_covenant)
        step("a head signs the sealed covenant", head_signs)
        step("the leader opens a ballot session, marks presence, opens a question", leader_opens_ballot_session)
        step("two heads vote and check their receipts", two_heads_vote)
        step("the committee closes; the result and the record show", committee_closes_and_result_shows)
        step("a council member sees the council's vote on the bloc's proposals", council_member_sees_the_council_session)
        step("the office imports a spreadsheet: problems by row and column, then the import", office_imports_a_spreadsheet)
        step("a session is left open for the hostile walk", open_session_left_for_the_hostile_walk)
    finally:
        d.quit()
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

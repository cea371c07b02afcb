"""The browser walk: a real headless Chromium clicks through ThiDua's demo.

Started by .ci/run against `thidua serve --demo`. Saves a screenshot of every step to E2E_SCREENSHOTS, so
that a failing step can be looked at. Prints '<N> passed, <M> failed' and exits non-zero on any failure.
"""
import datetime
import io
import os
import shutil
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
        d.get(BASE + "/login")
        until(lambda: d.find_elements(By.ID, "username"), "the login form")
        d.find_element(By.ID, "username").send_keys(user)
        d.find_element(By.ID, "password").send_keys(PASSWORD)
        d.find_element(By.ID, "login").click()
        until(lambda: "Tổng quan" in h1(), f"the dashboard of {user}")

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
        d.find_element(By.LINK_TEXT, "Khối thi đua").click()
        until(lambda: h1().startswith("Khối thi đua năm"), "the list of blocs")
        d.find_element(By.PARTIAL_LINK_TEXT, "Khối thi đua Nội chính - Lực lượng vũ trang").click()
        until(lambda: d.find_elements(By.ID, "covenant-link"), "the bloc page")
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
        d.find_element(By.LINK_TEXT, "Khối thi đua").click()
        until(lambda: h1().startswith("Khối thi đua năm"), "the list of blocs")
        d.find_element(By.PARTIAL_LINK_TEXT, "Khối thi đua Nội chính - Lực lượng vũ trang").click()
        until(lambda: d.find_elements(By.ID, "covenant-link"), "the bloc page")
        d.find_element(By.ID, "covenant-link").click()
        until(lambda: d.find_elements(By.ID, "sign"), "the signing form")
        fingerprint = d.find_element(By.ID, "fingerprint").text
        d.find_element(By.NAME, "position").send_keys("Giám đốc")
        d.find_element(By.ID, "sign-password").send_keys(PASSWORD)
        d.find_element(By.ID, "sign").click()
        until(lambda: d.find_element(By.ID, "signed-count").text == "1/9", "one signature recorded")
        assert fingerprint in d.find_element(By.ID, "signatures").text

    try:
        step("login page", login_page)
        step("wrong password", wrong_password)
        step("login as office", login)
        step("bloc shows nine agencies", bloc_page)
        step("diacritic-insensitive search", search)
        step("register verdicts with citations", register_verdicts)
        step("eligibility report as xlsx", report_xlsx)
        step("logout", logout)
        step("office reopens signing for a unit", office_reopens_signing)
        step("the leader opens the covenant and amends it", leader_opens_covenant)
        step("a head signs the sealed covenant", head_signs)
    finally:
        d.quit()
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

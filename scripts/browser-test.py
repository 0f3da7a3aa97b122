#!/usr/bin/python3
"""Drives the web app in headless Chromium as billing staff would, over a real socket.

    /usr/bin/python3 scripts/browser-test.py --url http://127.0.0.1:PORT --screenshots DIR \\
        --call-id ID --code CODE --statement CLIENT/YYYY-MM --expect TEXT [--expect TEXT]... \\
        [--viewer-call SITE|CALL_ID|START] [--import-code CODE] [--import-client ID]

Credentials: --billing NAME:PASSWORD, --viewer NAME:PASSWORD, --admin NAME:PASSWORD, or the
environment variables SMDR_BROWSER_BILLING, SMDR_BROWSER_VIEWER, SMDR_BROWSER_ADMIN (same form;
the environment keeps passwords out of `ps`).

The walk (issue 13 §3), one screenshot per page visited (DIR/NN-step.png, full page):
  1. signs in as billing (the form's `name` and `password`) and lands on /queue;
  2. assigns CODE to call ID with ONE click on its `button.suggestion` (in the row
     `tr.call[data-call-id="ID"]`), sees the flash, and the row is gone;
  3. opens /statements/CLIENT/YYYY-MM and finds every --expect text there (the call's number, its
     charge amount);
  4. imports a register CSV of kind codes (a new code for a new client) at /register/import: chooses
     the kind, sets the file input to a temporary CSV, submits, finds the code in the preview table
     #preview, clicks Apply, sees the flash, and finds the code at /register/codes;
  5. signs out; signs in as viewer: the queue has no assign buttons or forms; /register/codes/new
     is refused with the 403 page or, if it shows a form, submitting it is; and a POST to
     /queue/assign of --viewer-call from a form injected with execute_script (the session's own
     CSRF token: only the role is wrong) gets the 403 page;
  6. on every page: fails on a console error (a CSP violation is one) and on any request to
     another origin than --url (data: URLs are part of the page).
As admin (when given) it also opens /users, to screenshot it and check it for the same.

Prints one line per step. Exit status: 0 every step passed, 1 a step failed (the line says which
and why), 2 usage or no browser (selenium, Chromium or chromedriver missing). Runs as root with
--no-sandbox. SMDR_CHROMIUM and CHROMEDRIVER override the browser and driver paths.
"""

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
import urllib.parse
import importlib.util

# The page checks render-check.py already makes (the requests a page made, a whole-page
# screenshot), from that one file.
_spec = importlib.util.spec_from_file_location("render_check", os.path.join(os.path.dirname(os.path.abspath(__file__)), "render-check.py"))
render_check = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(render_check)
requested_urls = render_check.requested_urls
full_page_png = render_check.full_page_png

WIDTH, HEIGHT = 1280, 900
WAIT_SECONDS = 30  # a page load after a click (an assign re-rates a day)


class StepFailed(Exception):
    pass


def parse_arguments(argv):
    parser = argparse.ArgumentParser(prog="browser-test.py", description="Drives the smdr web app in headless Chromium.")
    parser.add_argument("--url", required=True, help="the app's base URL, e.g. http://127.0.0.1:8080")
    parser.add_argument("--screenshots", required=True, help="directory for NN-step.png")
    parser.add_argument("--billing", default=os.environ.get("SMDR_BROWSER_BILLING"), help="NAME:PASSWORD of a billing user")
    parser.add_argument("--viewer", default=os.environ.get("SMDR_BROWSER_VIEWER"), help="NAME:PASSWORD of a viewer")
    parser.add_argument("--admin", default=os.environ.get("SMDR_BROWSER_ADMIN"), help="NAME:PASSWORD of an admin (optional)")
    parser.add_argument("--call-id", required=True, help="Call ID of a review-queue call to assign")
    parser.add_argument("--code", required=True, help="the suggestion to click for it")
    parser.add_argument("--statement", required=True, help="CLIENT/YYYY-MM of the statement that then shows the call")
    parser.add_argument("--expect", action="append", default=[], help="text the statement must show (repeat)")
    parser.add_argument("--viewer-call", help="SITE|CALL_ID|START of a queue call the viewer tries to assign")
    parser.add_argument("--import-code", default="BT-0001", help="the new code the register import adds")
    parser.add_argument("--import-client", default="BROWSERCO", help="its (new) client")
    arguments = parser.parse_args(argv[1:])
    for role in ("billing", "viewer"):
        value = getattr(arguments, role)
        if not value or ":" not in value:
            parser.error(f"--{role} NAME:PASSWORD (or SMDR_BROWSER_{role.upper()}) is required")
    if arguments.admin is not None and ":" not in arguments.admin:
        parser.error("--admin is NAME:PASSWORD")
    arguments.url = arguments.url.rstrip("/")
    return arguments


def main(argv):
    arguments = parse_arguments(argv)
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        print("browser-test: needs selenium for /usr/bin/python3: apt-get install python3-selenium", file=sys.stderr)
        return 2
    browser = os.environ.get("SMDR_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser") \
        or shutil.which("google-chrome")
    driver_path = os.environ.get("CHROMEDRIVER") or shutil.which("chromedriver") or "/usr/bin/chromedriver"
    if not browser or not os.path.exists(driver_path):
        print("browser-test: needs Chromium and chromedriver: apt-get install chromium chromium-driver", file=sys.stderr)
        return 2
    os.makedirs(arguments.screenshots, exist_ok=True)

    profile = tempfile.mkdtemp(prefix="smdr-browser-test-")
    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for flag in ["--headless=new", "--disable-gpu", f"--window-size={WIDTH},{HEIGHT}", f"--user-data-dir={profile}",
                 "--hide-scrollbars", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--disable-default-apps", "--disable-extensions"]:
        options.add_argument(flag)
    if os.geteuid() == 0:
        options.add_argument("--no-sandbox")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = None
    try:
        try:
            driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
        except Exception as error:
            print(f"browser-test: could not start Chromium ({browser}, {driver_path}): {error}", file=sys.stderr)
            return 2
        driver.set_page_load_timeout(WAIT_SECONDS)
        driver.execute_cdp_cmd("Network.enable", {})
        walk = Walk(driver, arguments)
        try:
            walk.run()
        except StepFailed as failure:
            print(f"browser-test: FAILED: {failure}")
            walk.screenshot("failed")
            return 1
        print(f"browser-test: ok ({walk.shots} screenshots in {arguments.screenshots})")
        return 0
    finally:
        if driver is not None:
            driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


class Walk:
    def __init__(self, driver, arguments):
        from selenium.webdriver.common.by import By
        self.By = By
        self.driver = driver
        self.arguments = arguments
        self.base = arguments.url
        self.origin = origin_of(arguments.url)
        self.shots = 0
        self.step = "start"
        # Problems seen since the last check (logs are read, and emptied, before every navigation).
        self.pending_problems = []
        # While set, a document answered 403 is what the step wants (the viewer refused).
        self.expect_forbidden = False

    # MARK: the walk

    def run(self):
        # What the browser did before the first page (its start page) is not the app's.
        self.driver.get("about:blank")
        self.driver.get_log("browser")
        self.driver.get_log("performance")
        billing_name, billing_password = self.arguments.billing.split(":", 1)
        viewer_name, viewer_password = self.arguments.viewer.split(":", 1)

        self.begin("signin-billing")
        self.sign_in(billing_name, billing_password)
        if self.path() != "/queue":
            raise StepFailed(f"{self.step}: billing landed on {self.driver.current_url}, not /queue")
        self.checked("queue")

        self.begin("assign")
        self.assign()

        self.begin("statement")
        self.statement()

        self.begin("import")
        self.register_import()

        self.begin("signout")
        self.sign_out()

        self.begin("signin-viewer")
        self.sign_in(viewer_name, viewer_password)
        self.checked("viewer-home")
        self.begin("viewer-refused")
        self.viewer_refused()
        self.sign_out()

        if self.arguments.admin:
            admin_name, admin_password = self.arguments.admin.split(":", 1)
            self.begin("signin-admin")
            self.sign_in(admin_name, admin_password)
            self.open("/users")
            self.checked("users")
            self.sign_out()

    def sign_in(self, name, password):
        self.open("/signin")
        self.checked("signin")
        self.find("input[name='name']").send_keys(name)
        self.find("input[name='password']").send_keys(password)
        self.click_and_load(self.find("section.signin button[type='submit'], form[action^='/signin'] button[type='submit']"))
        if self.path() == "/signin":
            raise StepFailed(f"{self.step}: sign-in as {name} was refused: {self.text('p.error') or self.body_text()[:300]}")
        self.expect_no_error_page()

    def sign_out(self):
        if not self.driver.find_elements(self.By.CSS_SELECTOR, "form.who button[type='submit']"):
            self.open("/queue")  # an error page has no navigation
        self.click_and_load(self.find("form.who button[type='submit']"))
        if self.path() != "/signin":
            raise StepFailed(f"{self.step}: sign-out landed on {self.driver.current_url}")
        self.checked("signed-out")

    def assign(self):
        call = css_string(self.arguments.call_id)
        code = css_string(self.arguments.code)
        row_selector = f"tr.call[data-call-id={call}]"
        rows = self.driver.find_elements(self.By.CSS_SELECTOR, row_selector)
        if not rows:
            raise StepFailed(f"{self.step}: the queue has no row {row_selector}")
        buttons = rows[0].find_elements(self.By.CSS_SELECTOR, f"button.suggestion[value={code}]")
        if not buttons:
            found = [b.get_attribute("value") for b in rows[0].find_elements(self.By.CSS_SELECTOR, "button.suggestion")]
            raise StepFailed(f"{self.step}: call {self.arguments.call_id} has no suggestion {self.arguments.code} (it has {found})")
        self.click_and_load(buttons[0])  # the one click
        self.expect_no_error_page()
        flash = self.text("p.flash")
        if not flash:
            raise StepFailed(f"{self.step}: no flash message after the assign; page says: {self.body_text()[:300]}")
        if "error" in (self.attribute("p.flash", "class") or "") or self.code_missing_from(flash):
            raise StepFailed(f"{self.step}: the flash does not report the assign: {flash!r}")
        if self.driver.find_elements(self.By.CSS_SELECTOR, row_selector):
            raise StepFailed(f"{self.step}: call {self.arguments.call_id} is still in the queue after the assign")
        self.checked("assigned")
        print(f"browser-test: assign: {flash}")

    def code_missing_from(self, flash):
        return self.arguments.code not in flash

    def statement(self):
        self.open("/statements/" + "/".join(urllib.parse.quote(part, safe="") for part in self.arguments.statement.split("/")))
        self.expect_no_error_page()
        text = self.body_text()
        missing = [expected for expected in self.arguments.expect if expected not in text]
        if missing:
            raise StepFailed(f"{self.step}: the statement {self.arguments.statement} does not show {missing}; it shows: {text[:600]!r}")
        self.checked("statement")

    def register_import(self):
        from selenium.webdriver.support.ui import Select
        code, client = self.arguments.import_code, self.arguments.import_client
        handle, path = tempfile.mkstemp(prefix="smdr-browser-import-", suffix=".csv")
        with os.fdopen(handle, "w", newline="") as file:
            file.write("code,client_id,client_name,matter_id,matter_name,description,active,valid_from,valid_to\r\n")
            file.write(f"{code},{client},\"Browser Test, Client\",M1,Matter one,imported in the browser test,true,,\r\n")
        try:
            self.open("/register/import")
            self.expect_no_error_page()
            self.checked("import-form")
            kinds = Select(self.find("select[name='kind']"))
            try:
                kinds.select_by_value("codes")
            except Exception:  # an <option> without a value attribute: its text is its value
                kinds.select_by_visible_text("codes")
            self.find("input[type='file'][name='file']").send_keys(path)
            form = self.find("form[action='/register/import/preview']")
            self.click_and_load(form.find_element(self.By.CSS_SELECTOR, "[type='submit']"))
        finally:
            os.unlink(path)
        self.expect_no_error_page()
        previews = self.driver.find_elements(self.By.CSS_SELECTOR, "#preview")
        if not previews:
            raise StepFailed(f"{self.step}: no preview table #preview; page says: {self.body_text()[:400]}")
        if code not in previews[0].text:
            raise StepFailed(f"{self.step}: the preview does not list {code}: {previews[0].text[:400]!r}")
        self.checked("import-preview")
        applies = self.driver.find_elements(self.By.CSS_SELECTOR, "form[action='/register/import/apply'] [type='submit']")
        if not applies:
            raise StepFailed(f"{self.step}: the preview has no Apply button; page says: {self.body_text()[:400]}")
        self.click_and_load(applies[0])
        self.expect_no_error_page()
        flash = self.text("p.flash")
        if not flash:
            raise StepFailed(f"{self.step}: no flash after Apply; page says: {self.body_text()[:300]}")
        print(f"browser-test: import: {flash}")
        self.checked("import-applied")
        self.open("/register/codes?" + urllib.parse.urlencode({"q": code}))
        self.expect_no_error_page()
        if code not in self.body_text():
            raise StepFailed(f"{self.step}: /register/codes does not list {code} after the import")
        self.checked("register-codes")

    def viewer_refused(self):
        self.open("/queue")
        self.expect_no_error_page()
        for selector in ("button.suggestion", "form[action='/queue/assign']", "button.assign"):
            if self.driver.find_elements(self.By.CSS_SELECTOR, selector):
                raise StepFailed(f"{self.step}: the viewer's queue shows {selector}")
        self.checked("viewer-queue")

        # An edit page: refused outright, or its form is refused when sent.
        self.expect_forbidden = True
        self.open("/register/codes/new")
        if not self.is_forbidden_page():
            forms = [f for f in self.driver.find_elements(self.By.CSS_SELECTOR, "main form[method='post']")
                     if f.get_attribute("action").split("?")[0].endswith("/save")]
            if not forms:
                raise StepFailed(f"{self.step}: /register/codes/new neither refused the viewer (403) nor showed a save form")
            self.checked("viewer-edit-form")
            form = forms[0]
            for name, value in (("code", "VIEWER-1"), ("client_id", "VIEWERCO"), ("client_name", "Viewer Co")):
                fields = form.find_elements(self.By.CSS_SELECTOR, f"[name='{name}']")
                if fields and fields[0].tag_name == "input":
                    fields[0].clear()
                    fields[0].send_keys(value)
            self.submit_form(form)
            if not self.is_forbidden_page():
                raise StepFailed(f"{self.step}: the viewer's save was not refused with 403: {self.body_text()[:300]}")
        self.checked("viewer-edit-refused")

        # A change the page never offers the viewer, posted from a form injected into the page.
        if self.arguments.viewer_call:
            self.open("/queue")
            site, call_id, start = self.arguments.viewer_call.split("|", 2)
            token = self.driver.execute_script("var f = document.querySelector(\"input[name='_csrf']\"); return f ? f.value : null;")
            if not token:
                raise StepFailed(f"{self.step}: the viewer's page has no _csrf field to copy")
            self.driver.execute_script(
                """
                var form = document.createElement('form');
                form.method = 'post';
                form.action = '/queue/assign';
                form.id = 'injected';
                var fields = arguments[0];
                for (var i = 0; i < fields.length; i++) {
                    var input = document.createElement('input');
                    input.type = 'hidden';
                    input.name = fields[i][0];
                    input.value = fields[i][1];
                    form.appendChild(input);
                }
                document.body.appendChild(form);
                """,
                [["_csrf", token], ["site", site], ["call_id", call_id], ["start", start], ["code", self.arguments.code]],
            )
            self.submit_form(self.find("#injected"))
            if not self.is_forbidden_page():
                raise StepFailed(f"{self.step}: the viewer's injected POST /queue/assign was not refused with 403: {self.body_text()[:300]}")
            self.checked("viewer-assign-refused")
        self.expect_forbidden = False

    # MARK: pages

    def begin(self, step):
        self.step = step
        print(f"browser-test: {step}")

    def open(self, path):
        self.drop_logs()
        self.driver.get(self.base + path)

    def click_and_load(self, element):
        """Clicks and waits for the next document (the old one's <html> goes stale)."""
        from selenium.webdriver.support import expected_conditions
        from selenium.common.exceptions import WebDriverException
        from selenium.webdriver.support.ui import WebDriverWait
        old = self.driver.find_element(self.By.TAG_NAME, "html")
        self.drop_logs()
        element.click()
        try:
            WebDriverWait(self.driver, WAIT_SECONDS).until(expected_conditions.staleness_of(old))
            # While a redirect chain is still loading, a script can fail to run (no document
            # yet): that is "not complete yet", not a failure.
            WebDriverWait(self.driver, WAIT_SECONDS, ignored_exceptions=(WebDriverException,)).until(
                lambda driver: driver.execute_script("return document.readyState") == "complete")
        except Exception as error:
            raise StepFailed(f"{self.step}: no new page within {WAIT_SECONDS} s after the click ({type(error).__name__}: {error})")

    def submit_form(self, form):
        from selenium.webdriver.support import expected_conditions
        from selenium.common.exceptions import WebDriverException
        from selenium.webdriver.support.ui import WebDriverWait
        old = self.driver.find_element(self.By.TAG_NAME, "html")
        self.drop_logs()
        self.driver.execute_script("HTMLFormElement.prototype.submit.call(arguments[0]);", form)
        try:
            WebDriverWait(self.driver, WAIT_SECONDS).until(expected_conditions.staleness_of(old))
            # While a redirect chain is still loading, a script can fail to run (no document
            # yet): that is "not complete yet", not a failure.
            WebDriverWait(self.driver, WAIT_SECONDS, ignored_exceptions=(WebDriverException,)).until(
                lambda driver: driver.execute_script("return document.readyState") == "complete")
        except Exception as error:
            raise StepFailed(f"{self.step}: no new page within {WAIT_SECONDS} s after submitting the form ({type(error).__name__}: {error})")

    def checked(self, name):
        """Checks the page for console errors and foreign requests, then screenshots it."""
        time.sleep(0.2)  # late messages (a blocked resource) arrive
        problems = self.pending_problems + self.problems()
        self.pending_problems = []
        self.screenshot(name)
        if problems:
            raise StepFailed(f"{self.step} ({self.path()}): " + "; ".join(problems))

    def problems(self):
        found = []
        for entry in self.driver.get_log("browser"):
            if entry.get("level") == "SEVERE":
                message = entry.get("message", "")
                # The 403 page the walk expects is an error to the console, not to us.
                if self.expect_forbidden and "the server responded with a status of 403" in message \
                        and not message.startswith(self.origin + "/assets/"):
                    continue
                found.append("console error: " + message[:300])
        for url in requested_urls(self.driver.get_log("performance")):
            if url.startswith("data:") or url == "about:blank" or url.startswith("chrome://"):
                continue
            if origin_of(url) != self.origin:
                found.append("request to another origin: " + url[:300])
        return found

    def drop_logs(self):
        self.pending_problems += self.problems()

    def screenshot(self, name):
        self.shots += 1
        path = os.path.join(self.arguments.screenshots, f"{self.shots:02d}-{name}.png")
        try:
            with open(path, "wb") as file:
                file.write(full_page_png(self.driver))
        except Exception as error:  # a failed screenshot must not hide the failure being reported
            print(f"browser-test: screenshot {path} failed: {error}", file=sys.stderr)

    def is_forbidden_page(self):
        heading = self.text("main h1")
        return heading.startswith("403")

    def expect_no_error_page(self):
        heading = self.text("main h1")
        if heading[:3].isdigit() and heading[:1] in "45":
            raise StepFailed(f"{self.step}: {self.driver.current_url} is an error page: {heading}: {self.text('p.error')}")

    def find(self, selector):
        elements = self.driver.find_elements(self.By.CSS_SELECTOR, selector)
        if not elements:
            raise StepFailed(f"{self.step}: {self.driver.current_url} has no {selector}; page says: {self.body_text()[:300]}")
        return elements[0]

    def text(self, selector):
        elements = self.driver.find_elements(self.By.CSS_SELECTOR, selector)
        return elements[0].text.strip() if elements else ""

    def attribute(self, selector, name):
        elements = self.driver.find_elements(self.By.CSS_SELECTOR, selector)
        return elements[0].get_attribute(name) if elements else None

    def body_text(self):
        return self.driver.execute_script("return document.body ? document.body.innerText : ''") or ""

    def path(self):
        return urllib.parse.urlsplit(self.driver.current_url).path


def origin_of(url):
    parts = urllib.parse.urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def css_string(value):
    """A CSS string literal of value (for attribute selectors)."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


if __name__ == "__main__":
    sys.exit(main(sys.argv))

#!/usr/bin/python3
"""Renders self-contained HTML pages (statements, reports) in headless Chromium and checks them.

    /usr/bin/python3 scripts/render-check.py OUT_DIR FILE.html...

For each page, with Selenium and chromedriver (the Debian packages chromium, chromium-driver and
python3-selenium; run it with /usr/bin/python3, whose site packages hold selenium), it:
  - loads file://FILE and fails if the browser console holds an error (level SEVERE: a script
    error, console.error, a resource that failed to load);
  - fails if anything other than the page itself was requested (DevTools Network events: a page
    must be self-contained; inline `data:` URLs are part of the page and allowed);
  - fails if the body has no text;
  - saves a full-page screenshot to OUT_DIR/NAME.png (NAME: the file name without .html) and fails
    unless it is a PNG of at least 100 x 100 pixels with more than one colour (decoded here with
    zlib, no imaging library).
It prints one line per page. Exit status: 0 every page passed, 1 a check failed (the line says
which page and why), 2 usage (no pages, a page that is not a file) or no browser.

Runs as root with --no-sandbox (Chromium refuses to start sandboxed as root). SMDR_CHROMIUM and
CHROMEDRIVER override the browser and driver paths.
"""

import base64
import json
import os
import shutil
import struct
import sys
import tempfile
import time
import urllib.parse
import zlib

USAGE = "usage: /usr/bin/python3 scripts/render-check.py OUT_DIR FILE.html..."
WIDTH, HEIGHT = 1024, 768  # the window; the screenshot covers the whole page below it
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def main(argv):
    if len(argv) < 3:
        print(USAGE, file=sys.stderr)
        return 2
    out_dir, pages = argv[1], argv[2:]
    for page in pages:
        if not os.path.isfile(page):
            print(f"render-check: {page}: not a file\n{USAGE}", file=sys.stderr)
            return 2
    os.makedirs(out_dir, exist_ok=True)
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        print("render-check: needs selenium for /usr/bin/python3: apt-get install python3-selenium", file=sys.stderr)
        return 2
    browser = os.environ.get("SMDR_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser") \
        or shutil.which("google-chrome")
    driver_path = os.environ.get("CHROMEDRIVER") or shutil.which("chromedriver") or "/usr/bin/chromedriver"
    if not browser or not os.path.exists(driver_path):
        print("render-check: needs Chromium and chromedriver: apt-get install chromium chromium-driver", file=sys.stderr)
        return 2

    profile = tempfile.mkdtemp(prefix="smdr-render-check-")
    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for flag in ["--headless=new", "--disable-gpu", f"--window-size={WIDTH},{HEIGHT}", f"--user-data-dir={profile}",
                 "--hide-scrollbars"]:
        options.add_argument(flag)
    if os.geteuid() == 0:
        options.add_argument("--no-sandbox")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    failures = 0
    driver = None
    try:
        driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
        driver.set_page_load_timeout(30)
        driver.execute_cdp_cmd("Network.enable", {})
        for page in pages:
            started = time.monotonic()
            problems, summary = check_page(driver, page, out_dir)
            elapsed = time.monotonic() - started
            if problems:
                failures += 1
                print(f"render-check: {page}: FAILED: " + "; ".join(problems))
            else:
                print(f"render-check: {page}: ok ({summary}, {elapsed:.1f} s)")
    except Exception as error:  # the browser did not start or died: no page was checked
        print(f"render-check: could not run Chromium ({browser}, {driver_path}): {error}", file=sys.stderr)
        return 2
    finally:
        if driver is not None:
            driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
    return 1 if failures else 0


def check_page(driver, page, out_dir):
    """Loads one page; returns (problems, summary)."""
    path = os.path.abspath(page)
    url = "file://" + urllib.parse.quote(path)
    driver.get_log("browser")  # drop what earlier pages left
    driver.get_log("performance")
    driver.get(url)
    time.sleep(0.3)  # let late requests and messages (a timer, an image error) arrive

    problems = []
    for entry in driver.get_log("browser"):
        if entry.get("level") == "SEVERE":
            problems.append("console error: " + entry.get("message", "")[:300])
    for requested in requested_urls(driver.get_log("performance")):
        if requested.split("#")[0] != url and not requested.startswith("data:"):
            problems.append("requested an external resource: " + requested[:300])
    text = driver.execute_script("return document.body ? document.body.innerText : ''") or ""
    if not text.strip():
        problems.append("the body has no text")

    name = os.path.splitext(os.path.basename(page))[0]
    png_path = os.path.join(out_dir, name + ".png")
    with open(png_path, "wb") as file:
        file.write(full_page_png(driver))
    png_problem, summary = check_png(png_path)
    if png_problem:
        problems.append(png_problem)
    return problems, summary


def requested_urls(performance_log):
    """The URLs of every request the page made (Network.requestWillBeSent), in order."""
    urls = []
    for entry in performance_log:
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def full_page_png(driver):
    """A screenshot of the whole page, not only the window (DevTools captureBeyondViewport)."""
    metrics = driver.execute_cdp_cmd("Page.getLayoutMetrics", {})
    size = metrics.get("cssContentSize") or metrics["contentSize"]
    width, height = max(1, int(size["width"] + 0.5)), max(1, int(size["height"] + 0.5))
    shot = driver.execute_cdp_cmd("Page.captureScreenshot", {
        "format": "png",
        "captureBeyondViewport": True,
        "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1},
    })
    return base64.b64decode(shot["data"])


def check_png(path):
    """(problem or None, summary): a PNG, at least 100 x 100, more than one colour."""
    with open(path, "rb") as file:
        data = file.read()
    size = f"{len(data) // 1024} KiB"
    if not data.startswith(PNG_SIGNATURE):
        return f"{path} is not a PNG", size
    try:
        width, height, colours = png_facts(data)
    except ValueError as error:
        return f"{path}: {error}", size
    summary = f"{path}, {width}x{height}, {size}"
    if width < 100 or height < 100:
        return f"{path} is only {width}x{height} pixels", summary
    if colours < 2:
        return f"{path} is a single colour", summary
    return None, summary


def png_facts(data):
    """(width, height, 1 or 2): decodes rows until a second colour turns up.

    Handles what a browser writes: 8 bits per channel, grey, RGB, grey+alpha or RGBA, no
    interlacing. Rows are unfiltered one by one (PNG filters 0-4), so a page with content near
    its top is decided after a few rows.
    """
    position, idat, header = 8, [], None
    while position + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[position:position + 8])
        body = data[position + 8:position + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
        position += 12 + length
    if header is None or not idat:
        raise ValueError("no IHDR or IDAT chunk")
    width, height, depth, colour_type, _, _, interlace = header
    channels = {0: 1, 2: 3, 4: 2, 6: 4}.get(colour_type)
    if depth != 8 or channels is None or interlace != 0:
        raise ValueError(f"unexpected PNG format (depth {depth}, colour type {colour_type}, interlace {interlace})")
    stride = width * channels
    inflater = zlib.decompressobj()
    pending = b""
    previous = bytearray(stride)
    first_pixel = None
    chunks = iter(idat)
    for _ in range(height):
        while len(pending) < stride + 1:
            chunk = next(chunks, None)
            if chunk is None:
                pending += inflater.flush()
                if len(pending) < stride + 1:
                    raise ValueError("image data ends early")
                break
            pending += inflater.decompress(chunk)
        row = unfilter(pending[0], bytearray(pending[1:stride + 1]), previous, channels)
        pending = pending[stride + 1:]
        if first_pixel is None:
            first_pixel = bytes(row[:channels])
        if row != first_pixel * width:
            return width, height, 2
        previous = row
    return width, height, 1


def unfilter(kind, row, previous, bpp):
    if kind == 0:
        return row
    if kind == 1:
        for i in range(bpp, len(row)):
            row[i] = (row[i] + row[i - bpp]) & 0xFF
    elif kind == 2:
        for i in range(len(row)):
            row[i] = (row[i] + previous[i]) & 0xFF
    elif kind == 3:
        for i in range(len(row)):
            left = row[i - bpp] if i >= bpp else 0
            row[i] = (row[i] + ((left + previous[i]) >> 1)) & 0xFF
    elif kind == 4:
        for i in range(len(row)):
            a = row[i - bpp] if i >= bpp else 0
            b = previous[i]
            c = previous[i - bpp] if i >= bpp else 0
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            predictor = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
            row[i] = (row[i] + predictor) & 0xFF
    else:
        raise ValueError(f"unknown PNG filter {kind}")
    return row


if __name__ == "__main__":
    sys.exit(main(sys.argv))

"""Fixtures for the browser tests: one headless Chromium (Debian's, through Debian's chromedriver) for
the whole run, the service's base URL, a screenshot helper, and every URL the page requested (from
Chrome's performance log) so the last test can check that none left the page's origin.

Run through `scripts/suite.sh browser`, which starts the service and sets NABLA_BASE_URL.
"""

import json
import os
import pathlib

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

BASE_URL = os.environ.get("NABLA_BASE_URL", "http://127.0.0.1:8080").rstrip("/")
SCREENSHOTS = pathlib.Path(os.environ.get("NABLA_SCREENSHOTS", ".build/screenshots"))
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")

DESKTOP = (1280, 900)
PHONE = (375, 812)


class Browser:
    """The driver plus what the tests share: requests seen so far and console errors."""

    def __init__(self, driver):
        self.driver = driver
        self.requests = []
        self.console_errors = []

    def collect_logs(self):
        """Moves Chrome's buffered performance and console logs into `requests` and `console_errors`."""
        for entry in self.driver.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            if message.get("method") == "Network.requestWillBeSent":
                request = message["params"]["request"]
                self.requests.append(request["url"])
        for entry in self.driver.get_log("browser"):
            text = entry.get("message", "")
            # Answers with a 4xx status are expected where a test provokes an API error.
            if entry.get("level") == "SEVERE" and "the server responded with a status of 4" not in text:
                self.console_errors.append(text)

    def resize(self, size):
        width, height = size
        self.driver.set_window_size(width, height)
        # The viewport, not the window, must have the wanted width (there is no browser chrome in
        # headless mode, but check rather than assume).
        inner = self.driver.execute_script("return window.innerWidth")
        if inner != width:
            self.driver.set_window_size(width + (width - inner), height)

    def screenshot(self, name, *, full_page=True):
        """Saves NAME.png: the whole page or just the viewport.

        For the whole page the viewport is made as tall as the page at the same width (DevTools
        device metrics), so nothing is laid out or redrawn differently; a capture "beyond the
        viewport" briefly changes the layout width, and the charts would follow it.
        """
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        driver = self.driver
        if full_page:
            width = driver.execute_script("return window.innerWidth")
            height = driver.execute_script("return document.documentElement.scrollHeight")
            metrics = {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False}
            driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
            try:
                driver.execute_script(
                    "window.scrollTo(0, 0);"
                    "return new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))"
                )
                driver.save_screenshot(str(path))
            finally:
                driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
        else:
            driver.save_screenshot(str(path))
        return path


@pytest.fixture(scope="session")
def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    options.add_argument("--headless=new")
    options.add_argument("--disable-gpu")
    options.add_argument("--disable-dev-shm-usage")
    options.add_argument("--no-first-run")
    options.add_argument("--hide-scrollbars")  # the viewport keeps its width when the page grows
    options.add_argument("--lang=en-US")
    options.add_argument(f"--window-size={DESKTOP[0]},{DESKTOP[1]}")
    if os.geteuid() == 0:
        options.add_argument("--no-sandbox")  # Chromium refuses to run as root with its sandbox
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(executable_path=CHROMEDRIVER))
    driver.set_page_load_timeout(30)
    shared = Browser(driver)
    yield shared
    driver.quit()


@pytest.fixture
def page(browser):
    """The browser at desktop size, its language reset to English; logs collected after the test."""
    browser.resize(DESKTOP)
    browser.driver.get(f"{BASE_URL}/#derivative")
    browser.driver.execute_script("localStorage.clear()")
    browser.driver.get("about:blank")
    yield browser
    browser.collect_logs()

"""API keys and CORS in a real browser, with a Chromium of its own (its requests stay out of the
page tests' same-origin check): a page served from a second origin calls a `nabla serve --api-keys
… --cors-origin …` with a bearer token through `fetch`, reads the answers and their exposed headers,
and the same page from an origin that is not allowed is refused by the browser. Then Nabla's own page
asks for the key, keeps it in localStorage and shows a wrong one as a 401.

Starts its own services: NABLA_BINARY, else the debug build (`swift build --show-bin-path`).
"""

import hashlib
import http.server
import os
import pathlib
import re
import subprocess
import tempfile
import threading

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from conftest import CHROMEDRIVER, CHROMIUM

ROOT = pathlib.Path(__file__).resolve().parents[2]
TOKEN = "nabla_browser-test-token-0123456789abcdefghijk"

CALLER = """<!doctype html><meta charset="utf-8"><title>second origin</title>
<script>
async function call(api, token) {
  const out = {};
  try {
    const denied = await fetch(api + '/v1/jobs');
    out.withoutKey = denied.status;
    const created = await fetch(api + '/v1/sleep', {
      method: 'POST',
      headers: {'Authorization': 'Bearer ' + token, 'Content-Type': 'application/json'},
      body: JSON.stringify({seconds: 0}),
    });
    out.created = created.status;
    out.location = created.headers.get('Location');
    out.requestId = created.headers.get('X-Request-Id');
    const listed = await fetch(api + '/v1/jobs', {headers: {'Authorization': 'Bearer ' + token}});
    out.jobs = (await listed.json()).jobs.length;
  } catch (error) {
    out.error = String(error);
  }
  return out;
}
</script>"""


def nabla_binary():
    binary = os.environ.get("NABLA_BINARY")
    if not binary:
        path = subprocess.run(["swift", "build", "--show-bin-path"], cwd=ROOT, capture_output=True, text=True)
        binary = os.path.join(path.stdout.strip(), "nabla")
    if not os.access(binary, os.X_OK):
        pytest.skip(f"no nabla binary at {binary}")
    return binary


@pytest.fixture(scope="module")
def keyed_service():
    directory = tempfile.mkdtemp(prefix="nabla-browser-keys-")
    keys = pathlib.Path(directory, "keys")
    keys.write_text(f"browser:{hashlib.sha256(TOKEN.encode()).hexdigest()}\n")
    caller_port = free_port()
    allowed = f"http://127.0.0.1:{caller_port}"
    process = subprocess.Popen(
        [nabla_binary(), "serve", "--host", "127.0.0.1", "--port", "0", "--api-keys", str(keys),
         "--cors-origin", allowed, "--public-dir", str(ROOT / "Public")],
        stdout=subprocess.PIPE, text=True)
    port = None
    for line in process.stdout:
        match = re.search(r"listening.* port=(\d+)", line)
        if match:
            port = int(match.group(1))
            break
    threading.Thread(target=lambda: [None for _ in process.stdout], daemon=True).start()
    caller = serve_page(caller_port)
    yield {"api": f"http://127.0.0.1:{port}", "allowed": allowed, "caller": caller}
    caller.shutdown()
    process.terminate()
    process.wait(timeout=15)


def free_port():
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve_page(port):
    """The second origin: any path answers CALLER."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = CALLER.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture(scope="module")
def driver():
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    options.add_argument("--headless=new")
    options.add_argument("--disable-gpu")
    options.add_argument("--disable-dev-shm-usage")
    if os.geteuid() == 0:
        options.add_argument("--no-sandbox")
    chrome = webdriver.Chrome(options=options, service=Service(executable_path=CHROMEDRIVER))
    chrome.set_script_timeout(20)
    yield chrome
    chrome.quit()


def text(driver, selector):
    """The element's text now, read in one script (elements the page redraws go stale)."""
    return driver.execute_script(f"return document.querySelector('{selector}')?.textContent ?? ''")


def call_from(driver, page, api):
    driver.get(page)
    return driver.execute_async_script(
        "const done = arguments[arguments.length - 1]; call(arguments[0], arguments[1]).then(done);", api, TOKEN)


def test_an_allowed_origin_calls_the_api_with_a_key_and_reads_exposed_headers(driver, keyed_service):
    result = call_from(driver, keyed_service["allowed"] + "/", keyed_service["api"])
    assert result.get("error") is None, result
    assert result["withoutKey"] == 401
    assert result["created"] == 202
    assert result["location"].startswith("/v1/jobs/")
    assert result["requestId"]
    assert result["jobs"] == 1


def test_another_origin_is_refused_by_the_browser(driver, keyed_service):
    # localhost is another origin than 127.0.0.1 on the same port: the service sends it no CORS headers.
    other = keyed_service["allowed"].replace("127.0.0.1", "localhost") + "/"
    result = call_from(driver, other, keyed_service["api"])
    assert "error" in result and "Failed to fetch" in result["error"], result


def test_the_page_asks_for_a_key_keeps_it_and_shows_a_wrong_one_as_401(driver, keyed_service):
    api = keyed_service["api"]
    driver.get(f"{api}/#derivative")
    driver.execute_script("localStorage.clear()")
    driver.get(f"{api}/#derivative")
    wait = WebDriverWait(driver, 20)
    wait.until(lambda d: text(d, "#key-status") != "")
    assert "401" in text(driver, "#key-status")
    # A derivative without a key: the form's error says 401.
    driver.find_element(By.ID, "d-seed").click()
    wait.until(lambda d: "401" in text(d, "#derivative-form .general-error"))
    # A wrong key is refused, as a 401.
    driver.find_element(By.ID, "api-key").send_keys("nabla_wrong")
    driver.find_element(By.CSS_SELECTOR, "#key-form button[type=submit]").click()
    wait.until(lambda d: "refused" in text(d, "#key-status"))
    # The right key is kept and used.
    driver.find_element(By.ID, "api-key").send_keys(TOKEN)
    driver.find_element(By.CSS_SELECTOR, "#key-form button[type=submit]").click()
    wait.until(lambda d: d.execute_script("return document.getElementById('key-form').hidden"))
    assert driver.execute_script("return localStorage.getItem('nabla.apiKey')") == TOKEN
    driver.find_element(By.ID, "d-seed").click()
    wait.until(lambda d: text(d, "#d-derivative-value") != "")
    driver.get(f"{api}/#derivative")
    wait.until(lambda d: d.execute_script("return document.body.dataset.ready === 'true'"))
    driver.find_element(By.ID, "d-seed").click()
    wait.until(lambda d: text(d, "#d-derivative-value") != "")
    assert driver.execute_script("return document.getElementById('key-form').hidden")


def test_a_training_run_with_a_key_streams_its_events(driver, keyed_service):
    # An EventSource cannot send Authorization: with a key the page reads the stream through fetch.
    api = keyed_service["api"]
    driver.get(f"{api}/#training")
    driver.execute_script(f"localStorage.setItem('nabla.apiKey', '{TOKEN}')")
    driver.get(f"{api}/#training")
    wait = WebDriverWait(driver, 60)
    wait.until(lambda d: d.execute_script("return document.body.dataset.ready === 'true'"))
    driver.find_element(By.ID, "t-run").click()
    wait.until(lambda d: d.find_element(By.ID, "t-status").get_attribute("data-status") == "succeeded")
    live_plots = driver.execute_script("return Number(document.querySelector('#t-fit-chart').dataset.livePlots ?? 0)")
    assert live_plots > 0, "no live plot arrived through the keyed event stream"
    page_text = text(driver, "body")  # the curl commands are in a closed <details>: textContent
    assert "$NABLA_TOKEN" in page_text
    assert TOKEN not in page_text

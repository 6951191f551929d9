"""The web page in a real browser: each view filled in and run as a person would, asserting on what is
shown (numbers, plotted paths, error messages next to fields, Chinese labels), with screenshots of
each view at desktop width and at 375 px, and a check that no request left the page's own origin.
"""

import json
import math
import re
import urllib.parse
import urllib.request

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

from conftest import BASE_URL, PHONE
from pagehelpers import TIMEOUT, no_horizontal_scroll, open_view, read_short, replace_text, visible, wait


def run_seed_derivative(driver):
    driver.find_element(By.ID, "d-seed").click()
    wait(driver, lambda d: d.find_element(By.ID, "d-derivative-value").text != "")
    wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#d-plot path.tangent"))


def run_seed_descent(driver, preset="g-seed"):
    driver.find_element(By.ID, preset).click()
    wait(driver, lambda d: d.find_element(By.ID, "g-contour").get_attribute("data-complete") == "true")


def train(driver):
    driver.find_element(By.ID, "t-run").click()
    wait(driver, lambda d: d.find_element(By.ID, "t-status").get_attribute("data-status") in ("succeeded", "failed"))


# The training view's state in one script (the charts are redrawn on every event, so elements found
# one by one may be gone): the status, and what the fit chart shows and whether it came from the
# event stream (live) or the result.
FIT_STATE = """
const chart = document.querySelector('#t-fit-chart');
return {
  status: document.querySelector('#t-status').dataset.status,
  shown: !document.querySelector('#t-fit-panel').hidden,
  live: chart.dataset.live === 'true',
  livePlots: Number(chart.dataset.livePlots ?? 0),
  plotEpoch: Number(chart.dataset.plotEpoch ?? 0),
  title: document.querySelector('#t-fit-title').textContent,
  curve: Boolean(chart.querySelector('path.fitted-curve')?.getAttribute('d')),
  regions: chart.querySelectorAll('g.regions rect').length,
  points: chart.querySelectorAll('g.data-points circle').length,
  pointColors: [...new Set([...chart.querySelectorAll('g.data-points g')].map((g) => g.getAttribute('fill')))].length,
};
"""


def fit_state(driver):
    return driver.execute_script(FIT_STATE)


def wait_for_fit(driver, predicate, poll_frequency=0.5):
    """The fit state once `predicate` holds for it."""

    def check(d):
        state = fit_state(d)
        return state if predicate(state) else False

    return WebDriverWait(driver, TIMEOUT, poll_frequency=poll_frequency).until(check)


# ---- derivative ---------------------------------------------------------------------------------


def test_seed_derivative_is_0_2_at_5_with_tangents_methods_and_v_curve(page):
    driver = open_view(page, "derivative")
    run_seed_derivative(driver)

    headline = driver.find_element(By.ID, "d-headline").text
    assert "x = 5" in headline
    assert driver.find_element(By.ID, "d-derivative-value").text == "0.2"
    # The derivative rendered as math (MathML from the API's LaTeX), and as text.
    math = driver.find_element(By.CSS_SELECTOR, "#d-latex math")
    assert math.get_attribute("alttext") == "0.02 x + 0.1"
    assert "0.02*x + 0.1" in driver.find_element(By.ID, "d-latex").text

    # The plot: f over a grid and one tangent line per point, with the seed's slopes listed.
    curve = driver.find_element(By.CSS_SELECTOR, "#d-plot path.f-curve")
    assert int(curve.get_attribute("data-points")) > 100
    assert len(driver.find_elements(By.CSS_SELECTOR, "#d-plot path.tangent")) == 2
    tangents = driver.find_element(By.ID, "d-tangents").text
    assert "x = 5: y = 0.2·x − 0.25" in tangents
    assert "x = 10: y = 0.3·x − 1" in tangents

    # Every method side by side: the seed's central difference and the exact methods.
    rows = driver.find_elements(By.CSS_SELECTOR, "#d-table tbody tr")
    methods = {row.get_attribute("data-method"): row for row in rows}
    assert {"symbolic", "forward", "reverse", "central", "complex_step", "richardson"} <= set(methods)
    assert "0.1999999999990898" in methods["central"].text
    assert "exact" in methods["symbolic"].text

    # The V-curve: one dot per h of the sweep, and the best h marked.
    assert len(driver.find_elements(By.CSS_SELECTOR, "#d-sweep circle")) >= 15
    assert "Best h" in driver.find_element(By.ID, "d-sweep-note").text

    driver.find_element(By.CSS_SELECTOR, "#d-curl-panel summary").click()
    curl = visible(driver, "d-curl").text
    assert f"curl -s {BASE_URL}/v1/derivative" in curl
    assert '"expression":"0.01*x^2 + 0.1*x","at":5,"method":"all"' in curl
    page.screenshot("derivative-desktop")


def test_expression_error_is_shown_under_the_expression_with_its_column(page):
    driver = open_view(page, "derivative")
    expression = driver.find_element(By.ID, "d-expression")
    replace_text(expression, "x^2 +")
    replace_text(driver.find_element(By.ID, "d-at"), "1")
    driver.find_element(By.ID, "d-run").click()

    error = visible(driver, "d-expression-error")
    assert "expected an operand after '+' at column 5" in error.text
    assert "column 5" in error.find_element(By.CSS_SELECTOR, ".caret-column").text
    assert error.find_element(By.CSS_SELECTOR, ".caret-line mark") is not None
    assert expression.get_attribute("aria-invalid") == "true"
    assert driver.switch_to.active_element == expression
    # Next to its field: right below the input, in the same column.
    box = expression.rect
    assert 0 <= error.rect["y"] - (box["y"] + box["height"]) < 60
    assert abs(error.rect["x"] - box["x"]) < 5
    # The other fields carry no error.
    assert not driver.find_element(By.ID, "d-at-error").is_displayed()
    page.screenshot("derivative-error", full_page=False)

    # A wrong step h is pinned to the h field.
    replace_text(expression, "x^2")
    replace_text(driver.find_element(By.ID, "d-h"), "-1")
    Select(driver.find_element(By.ID, "d-method")).select_by_value("central")
    driver.find_element(By.ID, "d-run").click()
    h_error = visible(driver, "d-h-error")
    assert "must be greater than 0" in h_error.text
    assert not driver.find_element(By.ID, "d-expression-error").is_displayed()


# ---- gradient descent ---------------------------------------------------------------------------


def test_seed_descent_path_ends_near_the_origin(page):
    driver = open_view(page, "descent")
    run_seed_descent(driver)

    final = json.loads(driver.find_element(By.CSS_SELECTOR, "#g-table td.final-point").get_attribute("data-point"))
    assert math.hypot(*final) < 1e-3, final
    row = driver.find_element(By.CSS_SELECTOR, "#g-table tbody tr")
    assert row.get_attribute("data-stopped") == "steps"
    assert "100" in row.text

    # On the picture: the path has steps and ends on the star of the known minimum (0, 0).
    path = driver.find_element(By.CSS_SELECTOR, "#g-contour path.descent-path")
    assert path.get_attribute("d").count("L") >= 10
    end = driver.find_element(By.CSS_SELECTOR, "#g-contour g.path-end")
    star = driver.find_element(By.CSS_SELECTOR, "#g-contour path.minimum-marker")
    star_box = star.rect
    star_center = (star_box["x"] + star_box["width"] / 2, star_box["y"] + star_box["height"] / 2)
    dot_box = end.find_element(By.TAG_NAME, "circle").rect
    dot_center = (dot_box["x"] + dot_box["width"] / 2, dot_box["y"] + dot_box["height"] / 2)
    assert math.dist(star_center, dot_center) < 4, (star_center, dot_center)
    assert len(driver.find_elements(By.CSS_SELECTOR, "#g-contour path.contour-line")) >= 8
    assert len(driver.find_elements(By.CSS_SELECTOR, "#g-values path.values")) == 1


def test_learning_rates_too_small_and_too_large_are_compared(page):
    driver = open_view(page, "descent")
    run_seed_descent(driver, "g-antflea")
    rows = driver.find_elements(By.CSS_SELECTOR, "#g-table tbody tr")
    assert len(rows) == 3
    small, right, large = (json.loads(r.find_element(By.CSS_SELECTOR, "td.final-point").get_attribute("data-point")) for r in rows)
    assert math.dist(small, [-3, 4]) < 1e-6  # the ant barely moves
    assert math.hypot(*right) < 1e-3
    assert math.hypot(*large) > 1e6 or rows[2].get_attribute("data-stopped") == "diverged"  # the flea jumps away
    assert len(driver.find_elements(By.CSS_SELECTOR, "#g-contour path.descent-path")) == 3
    curl = driver.find_element(By.ID, "g-curl").get_attribute("textContent")
    assert '"learning_rates":[1e-10,0.1,10]' in curl
    page.screenshot("descent-desktop")


# ---- training -----------------------------------------------------------------------------------


def test_clothing_size_preset_trains_below_0_01_with_a_loss_curve(page):
    driver = open_view(page, "training")
    assert Select(driver.find_element(By.ID, "t-example")).first_selected_option.get_attribute("value") == "clothing-size"
    train(driver)

    status = driver.find_element(By.ID, "t-status")
    assert status.get_attribute("data-status") == "succeeded"
    loss_path = driver.find_element(By.CSS_SELECTOR, "#t-loss-chart path.loss-training")
    assert int(loss_path.get_attribute("data-points")) > 100
    assert loss_path.get_attribute("d").count("L") > 100
    final_loss = driver.find_element(By.CSS_SELECTOR, "#t-metrics dd[data-key='loss']")
    exact = float(final_loss.get_attribute("data-value"))
    assert exact < 0.01
    # Shown to at most four significant digits, the exact value as its tooltip.
    shown, digits = read_short(final_loss.text)
    assert digits <= 4 and math.isclose(shown, exact, rel_tol=1e-3), final_loss.text
    assert float(final_loss.get_attribute("title")) == exact
    assert driver.find_element(By.CSS_SELECTOR, "#t-metrics dd[data-key='epochs']").text == "5000"
    # The fitted curve over the 12 clothing sizes.
    assert driver.find_element(By.CSS_SELECTOR, "#t-fit-chart path.fitted-curve").get_attribute("d")
    assert len(driver.find_elements(By.CSS_SELECTOR, "#t-fit-chart g.data-points circle")) == 12
    driver.find_element(By.CSS_SELECTOR, "#t-curl-panel summary").click()
    curl = visible(driver, "t-curl").text
    assert """-d '{"preset":"clothing-size"}'""" in curl
    assert re.search(r"curl -sN \S+/v1/jobs/[0-9a-f]{32}/events", curl)
    assert driver.find_element(By.ID, "t-download").get_attribute("href").startswith("blob:")

    # The finished model predicts: a size of 3.2 fits.
    replace_text(driver.find_element(By.ID, "t-predict-x"), "3.2")
    driver.find_element(By.CSS_SELECTOR, "#t-predict-form button").click()
    output = wait(driver, lambda d: d.find_element(By.ID, "t-predict-out").text)
    assert float(output.split()[-1]) > 0.5
    page.screenshot("training-desktop")


def test_cancel_stops_a_long_run(page):
    driver = open_view(page, "training")
    Select(driver.find_element(By.ID, "t-example")).select_by_value("spiral")
    replace_text(driver.find_element(By.ID, "t-epochs"), "20000")
    driver.find_element(By.ID, "t-run").click()
    # Live epoch events draw the loss curve while it runs.
    wait(driver, lambda d: d.find_element(By.ID, "t-status").get_attribute("data-status") == "running")
    # (Read in one script: the chart is redrawn on every event, so an element found first may be gone.)
    live_points = "return Number(document.querySelector('#t-loss-chart path.loss-training')?.dataset.points ?? 0)"
    wait(driver, lambda d: d.execute_script(live_points) >= 2)
    assert "20000" in driver.find_element(By.ID, "t-status").text
    # ... and the decision regions as they stand, under the spiral's 300 generated points (from the
    # 202 answer: the page does not know them), both classes coloured.
    state = wait_for_fit(driver, lambda s: s["live"] and s["regions"])
    assert state["status"] == "running", state
    assert state["regions"] == 50 * 50
    assert state["points"] == 300
    assert state["pointColors"] == 2
    assert 0 < state["plotEpoch"] < 20_000
    assert f"after epoch {state['plotEpoch']}" in state["title"]
    page.screenshot("training-live", full_page=False)
    driver.find_element(By.ID, "t-cancel").click()
    wait(driver, lambda d: d.find_element(By.ID, "t-status").get_attribute("data-status") == "cancelled", timeout=15)

    status = driver.find_element(By.ID, "t-status").text
    assert status.startswith("Cancelled")
    epochs_run = int(driver.find_element(By.CSS_SELECTOR, "#t-metrics dd[data-key='epochs']").text)
    assert 0 < epochs_run < 20_000
    curl = driver.find_element(By.ID, "t-curl").get_attribute("textContent")
    job_id = re.search(r"/v1/jobs/([0-9a-f]{32})/events", curl).group(1)
    assert f"curl -s -X DELETE {BASE_URL}/v1/jobs/{job_id}" in curl
    # The service agrees: the job is cancelled and kept its partial history.
    with urllib.request.urlopen(f"{BASE_URL}/v1/jobs/{job_id}") as response:
        job = json.load(response)
    assert job["status"] == "cancelled"
    assert job["result"]["stopped"] == "cancelled"
    assert job["result"]["epochs_run"] < 20_000
    page.screenshot("training-cancelled", full_page=False)


def test_the_fitted_curve_is_redrawn_while_it_learns(page):
    driver = open_view(page, "training")
    replace_text(driver.find_element(By.ID, "t-epochs"), "1000000")
    driver.find_element(By.ID, "t-run").click()
    # A plot rides on an epoch event about every 250 ms of training: the curve is over the 12 sizes
    # while the run goes on (checked often: a release build runs these epochs in well under a second).
    state = wait_for_fit(
        driver, lambda s: s["curve"] or s["status"] not in ("submitting", "queued", "running"), poll_frequency=0.05
    )
    assert state["status"] == "running" and state["live"], state
    assert state["points"] == 12
    assert 0 < state["plotEpoch"] < 1_000_000
    assert "after epoch" in state["title"]
    # Another plot redraws it (unless the run has already ended).
    wait_for_fit(driver, lambda s: s["livePlots"] >= 2 or s["status"] != "running")
    driver.find_element(By.ID, "t-cancel").click()
    wait(driver, lambda d: d.find_element(By.ID, "t-status").get_attribute("data-status") in ("cancelled", "succeeded"))
    # The end: the result's curve, no longer marked live.
    state = fit_state(driver)
    assert state["curve"] and not state["live"] and state["points"] == 12
    assert "after epoch" not in state["title"]


def test_xor_regions_show_the_generated_points(page):
    driver = open_view(page, "training")
    Select(driver.find_element(By.ID, "t-example")).select_by_value("xor")
    train(driver)
    state = fit_state(driver)
    assert state["status"] == "succeeded"
    assert state["regions"] == 50 * 50
    assert state["points"] == 200
    assert state["pointColors"] == 2
    assert state["livePlots"] >= 1, "the regions were not drawn while it learnt"
    accuracy = driver.find_element(By.CSS_SELECTOR, "#t-metrics dd[data-key='accuracy']").text
    assert float(accuracy.rstrip(" %")) > 90
    page.screenshot("training-xor")


def test_training_error_is_shown_next_to_its_field(page):
    driver = open_view(page, "training")
    replace_text(driver.find_element(By.ID, "t-epochs"), "0")
    driver.find_element(By.ID, "t-run").click()
    error = visible(driver, "t-epochs-error")
    assert "epochs must be at least 1" in error.text
    assert driver.find_element(By.ID, "t-epochs").get_attribute("aria-invalid") == "true"

    # An error inside the model points at the layer's own field.
    replace_text(driver.find_element(By.ID, "t-epochs"), "10")
    replace_text(driver.find_element(By.ID, "t-layer-0-units"), "0")
    driver.find_element(By.ID, "t-run").click()
    layer_error = visible(driver, "t-layer-0-units-error")
    assert "units must be at least 1" in layer_error.text
    assert not driver.find_element(By.ID, "t-epochs-error").is_displayed()


# ---- language, keyboard, small screens, requests -------------------------------------------------


def test_chinese_labels_after_switching_language_and_after_reload(page):
    driver = open_view(page, "derivative")
    driver.find_element(By.ID, "lang-toggle").click()
    tabs = [driver.find_element(By.ID, f"tab-{view}").text for view in ("derivative", "descent", "training")]
    assert tabs == ["导数", "梯度下降", "训练"]
    assert driver.find_element(By.CSS_SELECTOR, "label[for='d-expression']").text == "表达式 f(x)"
    assert driver.find_element(By.ID, "d-run").text == "求导"
    assert driver.execute_script("return document.documentElement.lang") == "zh-CN"
    assert driver.find_element(By.ID, "lang-toggle").text == "English"

    # Remembered: a new visit opens in Chinese; results are labelled in Chinese too.
    driver = open_view(page, "derivative")
    assert driver.find_element(By.ID, "tab-derivative").text == "导数"
    run_seed_derivative(driver)
    assert "在 x = 5 处" in driver.find_element(By.ID, "d-headline").text
    assert driver.find_element(By.ID, "d-derivative-value").text == "0.2"
    assert "中心差分" in driver.find_element(By.ID, "d-table").text
    assert "中心差分" in driver.find_element(By.ID, "d-explanation").text or driver.find_element(By.ID, "d-explanation").text
    page.screenshot("derivative-zh")

    driver = open_view(page, "training")
    assert driver.find_element(By.ID, "t-run").text == "开始训练"
    assert driver.find_element(By.CSS_SELECTOR, "label[for='t-layer-0-units']").text == "神经元数"
    train(driver)
    assert driver.find_element(By.ID, "t-status").text.startswith("已完成")
    page.screenshot("training-zh")
    driver.find_element(By.ID, "lang-toggle").click()
    assert driver.find_element(By.ID, "tab-training").text == "Training"


def test_keyboard_moves_between_views_and_submits_forms(page):
    driver = open_view(page, "derivative")
    tab = driver.find_element(By.ID, "tab-derivative")
    tab.send_keys(Keys.ARROW_RIGHT)
    assert driver.switch_to.active_element.get_attribute("id") == "tab-descent"
    assert driver.find_element(By.ID, "view-descent").is_displayed()
    assert not driver.find_element(By.ID, "view-derivative").is_displayed()
    driver.switch_to.active_element.send_keys(Keys.END)
    assert driver.switch_to.active_element.get_attribute("id") == "tab-training"
    driver.switch_to.active_element.send_keys(Keys.HOME)
    assert driver.find_element(By.ID, "view-derivative").is_displayed()

    # Tab from the tabs reaches the form; Enter in a field submits it.
    driver.switch_to.active_element.send_keys(Keys.TAB)
    assert driver.switch_to.active_element.get_attribute("id") == "d-seed"
    expression = driver.find_element(By.ID, "d-expression")
    replace_text(expression, "x^3")
    replace_text(driver.find_element(By.ID, "d-at"), "2")
    driver.find_element(By.ID, "d-at").send_keys(Keys.ENTER)
    wait(driver, lambda d: d.find_element(By.ID, "d-derivative-value").text == "12")
    # Every input has a label.
    unlabeled = driver.execute_script(
        """return [...document.querySelectorAll('input, select, textarea')]
             .filter((e) => e.type !== 'hidden' && !(e.labels && e.labels.length) && !e.getAttribute('aria-label'))
             .map((e) => e.id)"""
    )
    assert unlabeled == []


@pytest.mark.parametrize("view", ["derivative", "descent", "training"])
def test_each_view_works_at_375_px(page, view):
    page.resize(PHONE)
    driver = open_view(page, view)
    assert driver.execute_script("return window.innerWidth") == PHONE[0]
    if view == "derivative":
        run_seed_derivative(driver)
        chart = driver.find_element(By.CSS_SELECTOR, "#d-plot svg")
    elif view == "descent":
        run_seed_descent(driver)
        chart = driver.find_element(By.CSS_SELECTOR, "#g-contour svg")
    else:
        train(driver)
        chart = driver.find_element(By.CSS_SELECTOR, "#t-loss-chart svg")
    assert no_horizontal_scroll(driver), "the page scrolls sideways at 375 px"
    assert chart.rect["width"] <= PHONE[0]
    assert chart.rect["x"] >= 0
    page.screenshot(f"{view}-375")


def test_no_request_left_the_pages_origin(browser):
    browser.collect_logs()
    origin = urllib.parse.urlsplit(BASE_URL)
    seen = [url for url in browser.requests if not url.startswith(("data:", "blob:", "about:"))]
    foreign = [url for url in seen if urllib.parse.urlsplit(url)[:2] != origin[:2]]
    assert foreign == []
    paths = {urllib.parse.urlsplit(url).path for url in seen}
    # The log did see the page at work (so an empty list above means something).
    assert {"/", "/style.css", "/js/app.js", "/v1/derivative", "/v1/descent", "/v1/train", "/v1/functions"} <= paths
    assert any(path.endswith("/events") for path in paths)
    assert browser.console_errors == []

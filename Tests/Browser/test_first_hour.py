"""A newcomer's first hour with the page (issue 17), in a real browser at 375 px and 1400 px, in English
and Chinese: long derivatives stay inside their box, old results are marked while a run is under way,
after an edit and after an error, the descent plot has one marker per meaning and equal axis scales,
training has a shuffle control and draws alternating losses as a line, Predict stays after Cancel,
order 2 and more work with the default method, derivatives are named by their order, numbers are
rounded, and the tutorial's examples are called that.
"""

import functools
import json
import math
import re
import urllib.request

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import BASE_URL
from pagehelpers import cancel_training, no_horizontal_scroll, open_view, page_width, read_short, replace_text, text_of, visible, wait

SIZES = {375: (375, 812), 1400: (1400, 900)}
EVERY_SIZE_AND_LANGUAGE = pytest.mark.parametrize(
    ("width", "lang"), [(w, lang) for w in SIZES for lang in ("en", "zh")], ids=lambda v: str(v)
)

# Expressions whose derivatives print long (the default example's first; the API says how long).
CORPUS = [
    ("sin(x)*exp(-x^2/2) + log(1 + x^2)", 1),
    ("sin(x)*exp(-x^2/2) + log(1 + x^2)", 3),
    ("sin(x)*exp(-x^2/2) + log(1 + x^2)", 4),
    ("tan(x)", 4),
    ("x^x", 3),
    ("x^x", 4),
    ("tan(sin(x)*exp(x))", 2),
    ("exp(sin(x))*cos(x^2)", 4),
    ("log(1 + exp(x))", 4),
    ("sinh(x)/cosh(x)^2", 3),
    ("1/(1 + exp(-x))", 4),
    ("x^3*sin(x)^2", 4),
    ("tanh(x^2)", 4),
    ("asin(x)*acos(x)", 3),
    ("tan(x)^x", 2),
]

# Delays every fetch of the page by 1.5 s, so that the state while a run is under way can be seen.
SLOW_FETCH = """
if (!window.slowFetch) {
  window.slowFetch = true;
  const original = window.fetch;
  window.fetch = (...args) => new Promise((done) => setTimeout(done, 1500)).then(() => original(...args));
}
"""

STALE_STATE = """
const results = document.getElementById(arguments[0]);
const note = results.querySelector(':scope > .stale-note');
const panel = results.querySelector(':scope > .panel:not([hidden]), :scope > figure:not([hidden])');
return {
  reason: results.dataset.stale ?? null,
  note: note && !note.hidden ? note.textContent : null,
  opacity: panel ? Number(getComputedStyle(panel).opacity) : null,
};
"""

STALE_TEXT = {
    "en": {"running": "previous run", "changed": "form has changed", "error": "failed"},
    "zh": {"running": "计算中", "changed": "表单已修改", "error": "失败"},
}


def api_post(path, body):
    request = urllib.request.Request(
        f"{BASE_URL}{path}", json.dumps(body).encode(), {"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request) as response:
        return json.load(response)


@functools.lru_cache
def longest_derivatives(count=10):
    """The `count` entries of CORPUS with the longest printed derivative at 0.3: (expression, order, latex)."""
    answers = []
    for expression, order in CORPUS:
        answer = api_post("/v1/derivative", {"expression": expression, "at": 0.3, "order": order})
        answers.append((len(answer["derivative_expression"]), expression, order, answer["latex"]))
    answers.sort(reverse=True)
    return [(expression, order, latex) for _, expression, order, latex in answers[:count]]


def stale_state(driver, results_id):
    return driver.execute_script(STALE_STATE, results_id)


def differentiate(driver, expression, at, order, method="symbolic"):
    replace_text(driver.find_element(By.ID, "d-expression"), expression)
    replace_text(driver.find_element(By.ID, "d-at"), at)
    Select(driver.find_element(By.ID, "d-order")).select_by_visible_text(str(order))
    if Select(driver.find_element(By.ID, "d-method")).first_selected_option.get_attribute("value") != method:
        Select(driver.find_element(By.ID, "d-method")).select_by_value(method)
    driver.find_element(By.ID, "d-run").click()


def wait_for_latex(driver, latex):
    wait(
        driver,
        lambda d: d.execute_script(
            "return document.querySelector('#d-latex math')?.getAttribute('alttext') === arguments[0]"
            " && !document.getElementById('d-results').dataset.stale",
            latex,
        ),
    )


def vertical_travel(path_data):
    """The summed vertical movement, in pixels, of an SVG path made of M and L commands."""
    travel = 0.0
    last = None
    for command, _, y in re.findall(r"([ML])(-?[\d.]+) (-?[\d.]+)", path_data):
        y = float(y)
        if command == "L" and last is not None:
            travel += abs(y - last)
        last = y
    return travel


# ---- long derivatives ---------------------------------------------------------------------------


@EVERY_SIZE_AND_LANGUAGE
def test_long_derivatives_scroll_inside_their_box_and_the_page_keeps_its_width(page, width, lang):
    page.resize(SIZES[width])
    driver = open_view(page, "derivative", lang)
    # The default example as it opens (the audit: 438 px wide at 375).
    driver.find_element(By.ID, "d-run").click()
    wait(driver, lambda d: d.find_element(By.ID, "d-derivative-value").text != "")
    assert page_width(driver) == [width, width]

    overflowing = 0
    for expression, order, latex in longest_derivatives():
        differentiate(driver, expression, "0.3", order)
        wait_for_latex(driver, latex)
        assert page_width(driver) == [width, width], (expression, order)
        box = driver.execute_script(
            """const panel = document.getElementById('d-summary-panel').getBoundingClientRect();
               const math = document.querySelector('#d-latex .math');
               const text = document.querySelector('#d-latex .expression-text').getBoundingClientRect();
               const r = math.getBoundingClientRect();
               return {panelLeft: panel.left, panelRight: panel.right, left: r.left, right: r.right,
                       textRight: text.right, scrolls: math.scrollWidth > math.clientWidth, tabIndex: math.tabIndex}"""
        )
        assert box["panelLeft"] <= box["left"] and box["right"] <= box["panelRight"], (expression, order, box)
        assert box["textRight"] <= box["panelRight"], (expression, order, box)
        if box["scrolls"]:
            overflowing += 1
            assert box["tabIndex"] == 0, "a formula that scrolls must be reachable with the keyboard"
    # The corpus does exercise formulas wider than the phone.
    if width == 375:
        assert overflowing >= 5
    page.screenshot(f"first-hour-derivative-long-{width}-{lang}")


# ---- results that are no longer current ---------------------------------------------------------


@EVERY_SIZE_AND_LANGUAGE
def test_derivative_results_are_marked_while_running_after_an_edit_and_after_an_error(page, width, lang):
    page.resize(SIZES[width])
    driver = open_view(page, "derivative", lang)
    assert stale_state(driver, "d-results")["reason"] is None
    differentiate(driver, "x^3", "2", 1, method="all")
    wait(driver, lambda d: d.find_element(By.ID, "d-derivative-value").text == "12")
    assert stale_state(driver, "d-results") == {"reason": None, "note": None, "opacity": 1}

    # An edit: the shown results no longer answer the form; undone, they do again.
    replace_text(driver.find_element(By.ID, "d-at"), "3")
    state = stale_state(driver, "d-results")
    assert state["reason"] == "changed" and STALE_TEXT[lang]["changed"] in state["note"], state
    assert state["opacity"] < 0.6
    replace_text(driver.find_element(By.ID, "d-at"), "2")
    assert stale_state(driver, "d-results")["reason"] is None
    replace_text(driver.find_element(By.ID, "d-at"), "3")

    # While the new run is under way (the service made slow): marked, then current again.
    driver.execute_script(SLOW_FETCH)
    driver.find_element(By.ID, "d-run").click()
    state = stale_state(driver, "d-results")
    assert state["reason"] == "running" and STALE_TEXT[lang]["running"] in state["note"], state
    assert driver.find_element(By.ID, "d-derivative-value").text == "12"
    wait(driver, lambda d: d.find_element(By.ID, "d-derivative-value").text == "27")
    assert stale_state(driver, "d-results") == {"reason": None, "note": None, "opacity": 1}

    # An error: the results of x = 3 stay, marked as not those of the form.
    replace_text(driver.find_element(By.ID, "d-expression"), "x^3 +")
    driver.find_element(By.ID, "d-run").click()
    visible(driver, "d-expression-error")
    state = stale_state(driver, "d-results")
    assert state["reason"] == "error" and STALE_TEXT[lang]["error"] in state["note"], state
    assert state["opacity"] < 0.6
    assert no_horizontal_scroll(driver)
    page.screenshot(f"first-hour-derivative-error-{width}-{lang}")


@pytest.fixture
def training_page(page):
    """The page, with any training run it left under way cancelled after the test."""
    yield page
    cancel_training(page.driver)


@pytest.mark.parametrize(("width", "lang"), [(1400, "en"), (375, "zh")], ids=str)
def test_a_new_training_run_replaces_the_old_results_and_predict_stays_after_cancel(training_page, width, lang):
    page = training_page
    page.resize(SIZES[width])
    driver = open_view(page, "training", lang)
    replace_text(driver.find_element(By.ID, "t-epochs"), "200")
    driver.find_element(By.ID, "t-run").click()
    wait(driver, lambda d: d.find_element(By.ID, "t-status").get_attribute("data-status") == "succeeded")
    assert driver.find_element(By.CSS_SELECTOR, "#t-metrics dd[data-key='epochs']").text == "200"

    # A prediction, then a wrong input: the old prediction does not stay beside the error.
    replace_text(driver.find_element(By.ID, "t-predict-x"), "3.2")
    driver.find_element(By.CSS_SELECTOR, "#t-predict-form button").click()
    wait(driver, lambda d: d.find_element(By.ID, "t-predict-out").text != "")
    replace_text(driver.find_element(By.ID, "t-predict-x"), "3.2, 1")
    driver.find_element(By.CSS_SELECTOR, "#t-predict-form button").click()
    predict_error = """return !document.getElementById('t-predict-x-error').hidden
                              || !document.querySelector('#t-predict-form .general-error').hidden"""
    wait(driver, lambda d: d.execute_script(predict_error))
    assert driver.find_element(By.ID, "t-predict-out").text == ""

    # Another example: the clothing-size results are marked as not this form's.
    Select(driver.find_element(By.ID, "t-example")).select_by_value("spiral")
    state = stale_state(driver, "t-results")
    assert state["reason"] == "changed" and STALE_TEXT[lang]["changed"] in state["note"], state
    assert state["opacity"] < 0.6

    # Train: until the service accepts the run the old results are marked; then they are gone.
    replace_text(driver.find_element(By.ID, "t-epochs"), "20000")
    reason, metrics_hidden = driver.execute_script(
        """document.getElementById('t-run').click();
           return [document.getElementById('t-results').dataset.stale ?? null,
                   document.getElementById('t-metrics-panel').hidden]"""
    )
    assert reason == "running" and not metrics_hidden
    wait(driver, lambda d: d.find_element(By.ID, "t-status").get_attribute("data-status") == "running")
    live = driver.execute_script(
        """return {metricsHidden: document.getElementById('t-metrics-panel').hidden,
                   stale: document.getElementById('t-results').dataset.stale ?? null,
                   status: document.getElementById('t-status').textContent}"""
    )
    assert live["metricsHidden"] and live["stale"] is None, live
    live_points = "return Number(document.querySelector('#t-loss-chart path.loss-training')?.dataset.points ?? 0)"
    wait(driver, lambda d: d.execute_script(live_points) >= 2)
    assert "20000" in driver.find_element(By.ID, "t-status").text
    assert driver.find_element(By.ID, "t-metrics-panel").get_attribute("hidden") is not None
    page.screenshot(f"first-hour-training-live-{width}-{lang}", full_page=False)

    # Cancel: the partial model still predicts (the API keeps it), and the page says which one it is.
    driver.find_element(By.ID, "t-cancel").click()
    wait(driver, lambda d: d.find_element(By.ID, "t-status").get_attribute("data-status") == "cancelled", timeout=20)
    epochs_run = int(driver.find_element(By.CSS_SELECTOR, "#t-metrics dd[data-key='epochs']").text)
    assert 0 < epochs_run < 20_000
    # The epochs field lost focus (a change event) but still says what this run was given.
    assert stale_state(driver, "t-results")["reason"] is None
    predict = driver.find_element(By.ID, "t-predict-x")
    assert predict.is_displayed()
    assert str(epochs_run) in driver.find_element(By.ID, "t-predict-partial").text
    replace_text(predict, "0.5, -0.5")
    driver.find_element(By.CSS_SELECTOR, "#t-predict-form button").click()
    output = wait(driver, lambda d: d.find_element(By.ID, "t-predict-out").text)
    # The spiral's two classes through softmax: two probabilities.
    probabilities = [float(v) for v in re.findall(r"\d\.\d+", output)]
    assert len(probabilities) == 2 and math.isclose(sum(probabilities), 1, abs_tol=1e-4), output
    assert no_horizontal_scroll(driver)
    page.screenshot(f"first-hour-training-cancelled-{width}-{lang}")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_refused_training_run_leaves_the_old_results_marked(page, lang):
    driver = open_view(page, "training", lang)
    replace_text(driver.find_element(By.ID, "t-epochs"), "100")
    driver.find_element(By.ID, "t-run").click()
    wait(driver, lambda d: d.find_element(By.ID, "t-status").get_attribute("data-status") == "succeeded")
    replace_text(driver.find_element(By.ID, "t-epochs"), "0")
    driver.find_element(By.ID, "t-run").click()
    visible(driver, "t-epochs-error")
    state = stale_state(driver, "t-results")
    assert state["reason"] == "error" and STALE_TEXT[lang]["error"] in state["note"], state
    assert state["opacity"] < 0.6
    # The status line still speaks of the finished run, and Train can be pressed again.
    assert driver.find_element(By.ID, "t-status").get_attribute("data-status") == "succeeded"
    assert driver.find_element(By.ID, "t-run").is_enabled()


# ---- descent plot -------------------------------------------------------------------------------


LEGEND = """
return [...document.querySelectorAll('#g-contour .legend-item')]
  .map((item) => [item.querySelector('text').textContent, item.dataset.marker]);
"""

# The plot area in pixels against the domain asked for (from the curl command), the known minimum's
# star and what is drawn on top at its centre, and the innermost contour's size.
DESCENT_GEOMETRY = """
const svg = document.querySelector('#g-contour svg');
const frame = svg.querySelector('rect.frame');
const star = svg.querySelector('path.minimum-marker');
star.scrollIntoView({ block: 'center' });
const box = star.getBoundingClientRect();
const top = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
const contours = [...svg.querySelectorAll('path.contour-line')].filter((p) => p.getAttribute('d'));
const inner = contours[0].getBBox();
return {
  width: Number(frame.getAttribute('width')), height: Number(frame.getAttribute('height')),
  starOnTop: top === star, topClass: top?.getAttribute('class'),
  inner: [inner.width, inner.height],
  start: [...svg.querySelectorAll('g.start-point')].map((g) => [g.getAttribute('fill'), g.getAttribute('stroke')]),
  legend: svg.querySelector('g.legend').dataset.placement,
  legendTop: svg.querySelector('g.legend').getBoundingClientRect().top,
  plotBottom: frame.getBoundingClientRect().bottom,
};
"""


def contour_box(driver):
    curl = text_of(driver, "#g-curl")
    body = json.loads(re.search(r"-d '(.*)'", curl).group(1))
    return body["contour"]["x"], body["contour"]["y"]


@EVERY_SIZE_AND_LANGUAGE
def test_descent_marks_start_and_minimum_apart_with_equal_axis_scales(page, width, lang):
    page.resize(SIZES[width])
    driver = open_view(page, "descent", lang)
    driver.find_element(By.ID, "g-seed").click()
    wait(driver, lambda d: d.find_element(By.ID, "g-contour").get_attribute("data-complete") == "true")

    legend = dict(driver.execute_script(LEGEND))
    start, minimum = ("start", "known minimum") if lang == "en" else ("起点", "已知最小值")
    assert legend[start] == "ring" and legend[minimum] == "star", legend
    geometry = driver.execute_script(DESCENT_GEOMETRY)
    # The start is drawn as the legend says: an open ring; the minimum's star is above the path's end.
    assert geometry["start"] == [["#fff", "#222"]]
    assert geometry["starOnTop"], geometry["topClass"]
    # On a phone the legend goes below the plot instead of covering part of it.
    if width == 375:
        assert geometry["legend"] == "below" and geometry["legendTop"] > geometry["plotBottom"], geometry
    else:
        assert geometry["legend"] == "inside"
    # One unit is as long across as up: x0² + x1²'s level sets are circles on the screen.
    (x0, x1), (y0, y1) = contour_box(driver)
    assert math.isclose(geometry["width"] / geometry["height"], (x1 - x0) / (y1 - y0), rel_tol=0.01), geometry
    inner_width, inner_height = geometry["inner"]
    assert math.isclose(inner_width, inner_height, rel_tol=0.05), geometry["inner"]
    assert no_horizontal_scroll(driver)
    page.screenshot(f"first-hour-descent-{width}-{lang}")

    # A domain that is not square (Rosenbrock, the start outside its box): still one scale.
    Select(driver.find_element(By.ID, "g-function")).select_by_value("rosenbrock")
    replace_text(driver.find_element(By.ID, "g-start"), "-1.5, 3.5")
    replace_text(driver.find_element(By.ID, "g-rates"), "0.001")
    driver.find_element(By.ID, "g-run").click()
    wait(driver, lambda d: '"rosenbrock"' in (text_of(d, "#g-curl") or ""))
    wait(driver, lambda d: d.find_element(By.ID, "g-contour").get_attribute("data-complete") == "true")
    geometry = driver.execute_script(DESCENT_GEOMETRY)
    (x0, x1), (y0, y1) = contour_box(driver)
    assert abs((x1 - x0) - (y1 - y0)) > 0.5
    assert math.isclose(geometry["width"] / geometry["height"], (x1 - x0) / (y1 - y0), rel_tol=0.01), geometry
    assert geometry["starOnTop"], geometry["topClass"]
    assert no_horizontal_scroll(driver)


# ---- training form ------------------------------------------------------------------------------


def openapi_shuffle_default():
    with urllib.request.urlopen(f"{BASE_URL}/openapi.json") as response:
        document = json.load(response)
    found = []

    def visit(node):
        if isinstance(node, dict):
            if isinstance(node.get("shuffle"), dict) and "default" in node["shuffle"]:
                found.append(node["shuffle"]["default"])
            for value in node.values():
                visit(value)
        elif isinstance(node, list):
            for value in node:
                visit(value)

    visit(document)
    assert found, "no default for shuffle in /openapi.json"
    return found[0]


@EVERY_SIZE_AND_LANGUAGE
def test_the_tutorial_example_is_named_and_the_form_has_a_shuffle_control(page, width, lang):
    page.resize(SIZES[width])
    driver = open_view(page, "training", lang)
    example = Select(driver.find_element(By.ID, "t-example")).first_selected_option
    assert example.get_attribute("value") == "clothing-size"
    tutorial = "Tutorial example" if lang == "en" else "教程示例"
    assert example.text.startswith(tutorial), example.text
    for view, button in (("derivative", "d-seed"), ("descent", "g-seed")):
        label = driver.execute_script("return document.getElementById(arguments[0]).textContent", button)
        assert label.startswith(tutorial), (view, label)
    # "Seed" names only the random seed now.
    words = re.findall(r"\w*\s*seed\w*", driver.execute_script("return document.body.innerText"), re.IGNORECASE)
    assert all(word.lower() == "random seed" for word in words), words
    assert ("Random seed" in words) == (lang == "en")

    shuffle = driver.find_element(By.ID, "t-shuffle")
    label = driver.find_element(By.CSS_SELECTOR, "label.checkbox").text
    assert label == ("Shuffle the rows every epoch" if lang == "en" else "每轮打乱样本顺序")
    # The hint states the API's default, as /openapi.json gives it.
    hint = driver.find_element(By.ID, "t-shuffle-help").text
    assert f"shuffle: {json.dumps(openapi_shuffle_default())}" in hint, hint
    assert not shuffle.is_selected()
    Select(driver.find_element(By.ID, "t-example")).select_by_value("spiral")
    assert shuffle.is_selected()
    Select(driver.find_element(By.ID, "t-example")).select_by_value("xor")
    assert not shuffle.is_selected()
    assert no_horizontal_scroll(driver)
    page.screenshot(f"first-hour-training-form-{width}-{lang}")


def test_the_spiral_examples_validation_loss_is_a_line_not_a_band(training_page):
    page = training_page
    page.resize(SIZES[1400])
    driver = open_view(page, "training", "en")
    Select(driver.find_element(By.ID, "t-example")).select_by_value("spiral")
    driver.find_element(By.ID, "t-run").click()
    wait(driver, lambda d: d.find_element(By.ID, "t-status").get_attribute("data-status") == "succeeded", timeout=180)
    curl = text_of(driver, "#t-curl")
    assert '"batch_size":32,"shuffle":true' in curl
    drawn = driver.execute_script(
        """const chart = document.querySelector('#t-loss-chart svg');
           const path = chart.querySelector('path.loss-validation');
           return {d: path.getAttribute('d'), points: Number(path.dataset.points),
                   height: Number(chart.querySelector('rect.frame').getAttribute('height')),
                   width: Number(chart.querySelector('rect.frame').getAttribute('width')),
                   spread: Boolean(chart.querySelector('path.loss-validation-spread'))}"""
    )
    assert drawn["points"] == 1500
    # A line moves about as far up and down as the curve's shape, not a zigzag per epoch.
    assert vertical_travel(drawn["d"]) < 3 * drawn["height"], vertical_travel(drawn["d"])
    assert drawn["d"].count("L") <= drawn["width"] / 2 + 1
    assert drawn["spread"]
    page.screenshot("first-hour-training-spiral-1400-en")


ALTERNATING = """
const [{ Chart }, width] = [await import('/js/plot.js'), arguments[0]];
const holder = document.createElement('div');
holder.style.width = `${width}px`;
document.body.append(holder);
const chart = new Chart(holder, { yLog: true });
const points = Array.from({ length: 1500 }, (_, i) => [i + 1, i % 2 ? 0.0131 : 0.0296]);
chart.domain([0, 1500], [0.01, 0.1]).axes();
const path = chart.denseLine(points, { className: 'series probe' });
const result = { d: path.getAttribute('d'), height: chart.bottom - chart.top };
holder.remove();
return result;
"""


@pytest.mark.parametrize("width", [335, 900])
def test_values_that_alternate_every_epoch_are_drawn_as_a_line_in_a_faint_band(page, width):
    driver = open_view(page, "training")
    # The unshuffled spiral's validation loss, as the audit saw it: 0.0296, 0.0131, 0.0296, …
    drawn = driver.execute_script(f"return (async () => {{ {ALTERNATING} }})()", width)
    # Before: 1500 segments jumping a third of the plot each; now a flat line through the middle.
    assert vertical_travel(drawn["d"]) < 0.05 * drawn["height"], vertical_travel(drawn["d"])


# ---- order, labels, numbers ---------------------------------------------------------------------


@EVERY_SIZE_AND_LANGUAGE
def test_higher_orders_use_a_method_that_computes_them_and_are_named_by_order(page, width, lang):
    page.resize(SIZES[width])
    driver = open_view(page, "derivative", lang)
    method = Select(driver.find_element(By.ID, "d-method"))
    assert method.first_selected_option.get_attribute("value") == "all"
    Select(driver.find_element(By.ID, "d-order")).select_by_visible_text("2")
    # "all" compares first derivatives (the API refuses it with order 2): symbolic takes its place.
    assert method.first_selected_option.get_attribute("value") == "symbolic"
    offered = {o.get_attribute("value") for o in method.options if o.is_enabled()}
    assert offered == {"symbolic", "forward", "central"}
    note = driver.find_element(By.ID, "d-order-note")
    assert note.is_displayed() and "2" in note.text
    driver.find_element(By.ID, "d-run").click()
    wait(driver, lambda d: d.find_element(By.ID, "d-derivative-value").text != "")
    assert not driver.find_element(By.ID, "d-general-error").is_displayed()
    assert "f″" in driver.find_element(By.ID, "d-headline").text
    legend = driver.find_element(By.ID, "d-tangents").text
    assert legend.startswith("f″ at x = 0.5:" if lang == "en" else "x = 0.5 处的 f″：")
    # Back to order 1: "all" again, and the note gone.
    Select(driver.find_element(By.ID, "d-order")).select_by_visible_text("1")
    assert method.first_selected_option.get_attribute("value") == "all"
    assert not note.is_displayed()

    # A fourth derivative is not a slope.
    differentiate(driver, "tan(x)", "0.3", 4)
    wait(driver, lambda d: "f⁽⁴⁾" in d.find_element(By.ID, "d-headline").text)
    value = float(driver.find_element(By.ID, "d-derivative-value").text)
    legend = driver.find_element(By.ID, "d-tangents").text
    # The legend rounds to six digits (the headline has every digit).
    assert legend == (f"f⁽⁴⁾ at x = 0.3: {value:.6g}" if lang == "en" else f"x = 0.3 处的 f⁽⁴⁾：{value:.6g}")
    assert "slope" not in legend and "斜率" not in legend
    title = driver.find_element(By.ID, "d-plot-title").text
    assert title == ("f around the points" if lang == "en" else "f 及所选的点")
    assert no_horizontal_scroll(driver)
    page.screenshot(f"first-hour-derivative-order4-{width}-{lang}")


FORMAT = """
const { short, duration } = await import('/js/format.js');
return {
  loss: short(0.000006140445118192093), negative: short(-0.000006140445118192093), large: short(123456),
  power: short(100000), plain: short(0.1999999999990898), ms: duration(296), s: duration(6180),
  tens: duration(42400), minutes: duration(185000), hours: duration(3720000),
};
"""


def test_numbers_and_durations_are_written_for_people(page):
    driver = open_view(page, "training")
    written = driver.execute_script(f"return (async () => {{ {FORMAT} }})()")
    assert written == {
        "loss": "6.14×10⁻⁶", "negative": "−6.14×10⁻⁶", "large": "1.235×10⁵", "power": "10⁵", "plain": "0.2",
        "ms": "296 ms", "s": "6.2 s", "tens": "42 s", "minutes": "3 min 5 s", "hours": "1 h 2 min",
    }


@EVERY_SIZE_AND_LANGUAGE
def test_training_results_show_rounded_numbers(page, width, lang):
    page.resize(SIZES[width])
    driver = open_view(page, "training", lang)
    replace_text(driver.find_element(By.ID, "t-epochs"), "3000")
    driver.find_element(By.ID, "t-run").click()
    wait(driver, lambda d: d.find_element(By.ID, "t-status").get_attribute("data-status") == "succeeded")
    loss = driver.find_element(By.CSS_SELECTOR, "#t-metrics dd[data-key='loss']")
    exact = float(loss.get_attribute("data-value"))
    shown, digits = read_short(loss.text)
    assert digits <= 4 and math.isclose(shown, exact, rel_tol=1e-3), loss.text
    status = driver.find_element(By.ID, "t-status").text
    assert loss.text in status and repr(exact) not in status, status
    duration = driver.find_element(By.CSS_SELECTOR, "#t-metrics dd[data-key='duration']").text
    assert re.fullmatch(r"\d+ ms|\d\.\d s|\d+ s|\d+ min \d+ s", duration), duration
    texts = driver.execute_script(
        """return [document.getElementById('t-results').innerText,
                   ...[...document.querySelectorAll('#t-results svg text')].map((t) => t.textContent)]"""
    )
    assert not [t for t in texts if re.search(r"\de[+-]?\d", t)], "e-notation on the page"
    assert no_horizontal_scroll(driver)
    page.screenshot(f"first-hour-training-result-{width}-{lang}")

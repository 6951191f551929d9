"""What the page tests share: opening a view (in a language), waiting, typing, and reading the page's
width and state in one script (the charts are redrawn on every event, so elements found one by one
may be gone)."""

from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from conftest import BASE_URL

TIMEOUT = 30


def open_view(browser, view, lang=None):
    """The page at #VIEW, ready; with `lang` ("en" or "zh") remembered first, as a returning visitor."""
    driver = browser.driver
    driver.get("about:blank")
    driver.get(f"{BASE_URL}/#{view}")
    if lang is not None:
        driver.execute_script("localStorage.setItem('nabla.language', arguments[0])", lang)
        driver.get("about:blank")
        driver.get(f"{BASE_URL}/#{view}")
    WebDriverWait(driver, TIMEOUT).until(lambda d: d.execute_script("return document.body.dataset.ready === 'true'"))
    assert driver.find_element(By.ID, f"view-{view}").is_displayed()
    if lang is not None:
        assert driver.execute_script("return document.documentElement.lang") == ("zh-CN" if lang == "zh" else "en")
    return driver


def wait(driver, condition, timeout=TIMEOUT, poll_frequency=0.2):
    """`condition`'s first true value; an element redrawn while it is read (stale) is read again."""
    ignored = (NoSuchElementException, StaleElementReferenceException)
    return WebDriverWait(driver, timeout, poll_frequency=poll_frequency, ignored_exceptions=ignored).until(condition)


def visible(driver, element_id, timeout=TIMEOUT):
    return wait(driver, EC.visibility_of_element_located((By.ID, element_id)), timeout)


def replace_text(element, text):
    element.clear()
    element.send_keys(text)


def page_width(driver):
    """[the document's width, the viewport's width] in CSS pixels."""
    return driver.execute_script("return [document.documentElement.scrollWidth, window.innerWidth]")


def no_horizontal_scroll(driver):
    width, viewport = page_width(driver)
    return width <= viewport


def text_of(driver, selector):
    """textContent of the first element matching `selector` (also when it is in a closed <details>)."""
    return driver.execute_script("return document.querySelector(arguments[0])?.textContent ?? null", selector)


SUPERSCRIPT_DIGITS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")


def read_short(text):
    """A number as the page shows it rounded ("0.002345", "−6.14×10⁻⁶", "10⁵") read back: (its value,
    its count of significant digits)."""
    text = text.strip().replace("−", "-")
    mantissa, _, power = text.partition("×")
    if not power and mantissa.lstrip("-").startswith("10") and mantissa.translate(SUPERSCRIPT_DIGITS) != mantissa:
        mantissa, power = mantissa[: mantissa.index("10")] + "1", mantissa[mantissa.index("10") :]
    exponent = int(power[2:].translate(SUPERSCRIPT_DIGITS)) if power else 0
    value = float(mantissa) * 10**exponent
    digits = mantissa.lstrip("-").replace(".", "").lstrip("0")
    return value, max(1, len(digits))


def cancel_training(driver):
    """Presses Cancel when a training run is under way (so a failed test leaves no run on the workers)."""
    try:
        driver.execute_script("const b = document.getElementById('t-cancel'); if (b && !b.disabled) b.click()")
    except Exception:  # noqa: BLE001 - the page may be gone; the run then ends on its own
        pass

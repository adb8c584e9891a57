"""The show's pages in a real browser: Debian's chromium through chromedriver, served by `podcast serve`.

One built episode (espeak, short) with a hostile title and one older fake episode; one
headless browser for the module. Outside CI the tests skip when chromium or chromedriver
is missing; in CI (CI=true) that is a failure, since .ci/run installs them.
"""

from __future__ import annotations

import base64
import io
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import run_cli
from .feed_helpers import BASE_URL
from .site_helpers import HOSTILE_TITLE, podcast_serve, publish_fake, require

PHONE, DESKTOP = (390, 844), (1280, 900)
#: Axe impacts that fail the page.
BLOCKING_IMPACTS = ("serious", "critical")

ARTICLE = f"""date 2025-04-02

{HOSTILE_TITLE}

De gemeenteraad van Delft praat vanavond over de nieuwe fietsbrug over de Schie. De brug moet volgend jaar klaar zijn.

Bewoners van de wijk willen dat de brug 's nachts verlicht wordt. De wethouder belooft daar in het voorjaar op terug te komen.
"""


@pytest.fixture(scope="module")
def show(tmp_path_factory) -> Path:
    """A feed with a built episode (newest) and a fake one, and the site beside it."""
    top = tmp_path_factory.mktemp("browser-show")
    out = top / "output"
    publish_fake(out, "Een oudere aflevering", "2025-03-01")
    article = top / "artikel.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    result = run_cli("build", str(article), "--out", str(out), "--engine", "espeak", "--length", "20",
                     "--cache-dir", str(top / "cache"), "--feed", str(out / "feed.xml"), "--base-url", BASE_URL,
                     "--email", "redactie@example.nl", "--site")
    assert result.returncode == 0, result.stderr.decode()
    return out


@pytest.fixture(scope="module")
def site_url(show: Path) -> Iterator[str]:
    with podcast_serve(show) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    """Headless chromium driven by Debian's chromedriver (Selenium never downloads one)."""
    chromium, driver_path = shutil.which("chromium"), shutil.which("chromedriver")
    require(chromium is not None and driver_path is not None,
            "no chromium/chromedriver on PATH (apt-get install chromium chromium-driver)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--mute-audio",
                     "--autoplay-policy=no-user-gesture-required", f"--window-size={DESKTOP[0]},{DESKTOP[1]}"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    driver.set_script_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


def open_page(browser, url: str, width_height: tuple[int, int] = DESKTOP) -> None:
    """Load *url* at a viewport of *width_height* CSS pixels (a phone's is a mobile viewport)."""
    width, height = width_height
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600})
    browser.get(url)
    browser.execute_script("return document.readyState")


def open_episode(browser, site_url: str) -> None:
    open_page(browser, site_url)
    href = browser.execute_script("return document.querySelector('.episodes h3 a').href")
    open_page(browser, href)
    browser.execute_async_script(
        "const done = arguments[arguments.length - 1], audio = document.getElementById('player');"
        "if (audio.readyState >= 1) { done(); } else { audio.addEventListener('loadedmetadata', () => done()); }")


def player(browser, expression: str):
    return browser.execute_script(f"const audio = document.getElementById('player'); return {expression};")


def marked_cue(browser) -> str | None:
    return browser.execute_script(
        "const cue = document.querySelector('.cue[aria-current=\"true\"]'); return cue && cue.dataset.start;")


def test_index_lists_the_episodes_newest_first(browser, site_url: str) -> None:
    open_page(browser, site_url)
    titles = [e.text for e in browser.find_elements("css selector", ".episodes h3 a")]
    assert titles == [HOSTILE_TITLE, "Een oudere aflevering"]
    assert browser.find_element("id", "feed-url").get_attribute("value") == BASE_URL + "feed.xml"


def test_copy_button_says_the_address_was_copied(browser, site_url: str) -> None:
    open_page(browser, site_url)
    button = browser.find_element("id", "copy-feed")
    assert button.text == "Kopieer"
    button.click()
    status = browser.find_element("id", "copy-status")
    deadline = time.monotonic() + 5
    while not status.text and time.monotonic() < deadline:
        time.sleep(0.05)
    assert status.text == "Het adres is gekopieerd."


def test_hostile_title_shows_as_text_and_runs_nothing(browser, site_url: str) -> None:
    open_episode(browser, site_url)
    assert browser.find_element("css selector", "h1").text == HOSTILE_TITLE
    assert browser.title == f"{HOSTILE_TITLE} · Het Nieuws in het Kort"  # not 'gehackt'
    assert browser.execute_script("return [...document.scripts].map(s => s.getAttribute('src'))") == ["site.js"]
    assert browser.execute_script("return document.querySelectorAll('main b').length") == 0


def test_clicking_a_chapter_seeks_the_player_to_its_start(browser, site_url: str) -> None:
    open_episode(browser, site_url)
    chapters = browser.find_elements("css selector", ".chapters .seek")
    assert len(chapters) >= 3
    target = chapters[-1]
    start = float(target.get_attribute("data-start"))
    assert start > 5
    target.click()
    now = player(browser, "audio.currentTime")
    assert start <= now < start + 1.0
    assert target.get_attribute("aria-current") == "true"


def test_a_chapter_is_reachable_and_usable_by_keyboard(browser, site_url: str) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    open_episode(browser, site_url)
    player(browser, "audio.pause()")
    second = browser.find_elements("css selector", ".chapters .seek")[1]
    start = float(second.get_attribute("data-start"))
    for _ in range(40):  # Tab from the top of the page until the second chapter has the focus
        ActionChains(browser).send_keys(Keys.TAB).perform()
        if browser.switch_to.active_element == second:
            break
    assert browser.switch_to.active_element == second
    ActionChains(browser).send_keys(Keys.ENTER).perform()
    assert start <= player(browser, "audio.currentTime") < start + 1.0


def test_playing_moves_the_highlighted_cue(browser, site_url: str) -> None:
    open_episode(browser, site_url)
    starts = [float(c.get_attribute("data-start")) for c in browser.find_elements("css selector", ".cue")]
    assert len(starts) >= 4
    before, after = starts[2], starts[3]
    browser.find_elements("css selector", ".cue")[2].click()  # seeks there and plays
    assert marked_cue(browser) == f"{before:.3f}"
    player(browser, f"(audio.currentTime = {after - 0.4}, audio.play())")
    deadline = time.monotonic() + 10
    while marked_cue(browser) != f"{after:.3f}" and time.monotonic() < deadline:
        time.sleep(0.05)
    assert marked_cue(browser) == f"{after:.3f}"
    assert player(browser, "audio.currentTime") >= after
    player(browser, "audio.pause()")


@pytest.mark.parametrize("which", ["index", "episode"])
def test_axe_finds_no_serious_or_critical_violations(browser, site_url: str, which: str) -> None:
    from axe_core_python.selenium import Axe

    for size in (PHONE, DESKTOP):
        if which == "index":
            open_page(browser, site_url, size)
        else:
            open_page(browser, site_url, size)
            open_page(browser, browser.execute_script("return document.querySelector('.episodes h3 a').href"), size)
        results = Axe().run(browser)
        blocking = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]]) for v in results["violations"]
                    if v["impact"] in BLOCKING_IMPACTS]
        assert blocking == [], f"{which} at {size[0]} px"
        assert len(results["passes"]) > 10  # axe really ran on the page


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_screenshots_of_index_and_episode(browser, site_url: str, size: tuple[int, int], tmp_path: Path) -> None:
    """Whole-page PNGs at the width given; PODCAST_SITE_SCREENSHOTS=DIR keeps them there."""
    from PIL import Image

    keep = os.environ.get("PODCAST_SITE_SCREENSHOTS")
    folder = Path(keep) if keep else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    width = size[0]
    kind = "phone" if size == PHONE else "desktop"
    open_page(browser, site_url, size)
    shots = {f"index-{kind}.png": screenshot(browser, size)}
    open_episode(browser, site_url)
    open_page(browser, browser.current_url, size)
    shots[f"episode-{kind}.png"] = screenshot(browser, size)
    for name, data in shots.items():
        (folder / name).write_bytes(data)
        with Image.open(io.BytesIO(data)) as image:
            assert image.format == "PNG" and image.width == width
            assert image.height >= size[1]
    # Nothing sticks out sideways on a phone: the page is as wide as the screen.
    assert browser.execute_script("return document.documentElement.scrollWidth") <= width


def screenshot(browser, size: tuple[int, int]) -> bytes:
    """The whole page at *size*'s width: the viewport made as tall as the page, so no scrollbar narrows it."""
    height = max(size[1], browser.execute_script("return document.documentElement.scrollHeight"))
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": size[0], "height": height, "deviceScaleFactor": 1, "mobile": size[0] < 600})
    shot = browser.execute_cdp_cmd("Page.captureScreenshot", {"format": "png"})
    return base64.b64decode(shot["data"])

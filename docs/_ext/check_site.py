"""Build the documentation site and look at it in a real browser (``scripts/check-site``).

1. ``mkdocs build --strict`` into a temporary directory (or take a built site
   with ``--site DIR``): a broken link or cross-reference, a page missing
   from the navigation or any other warning fails here.
2. Every object that must have a reference entry has one in the built HTML:
   both clients, every name of ``wikijs.resources``, ``wikijs.models`` and
   ``wikijs.errors``.
3. Headless Chromium (Debian's ``chromium`` and ``chromium-driver``, driven
   through selenium) loads the home page and the ``WikiJSClient`` reference
   page from a loopback HTTP server, and checks what a reader sees: the
   navigation is rendered (its links to the guide, the reference, the CLI
   reference and the changelog are displayed), the search box is there, and
   a query typed into it lists results found by the search index in the
   browser; the pages load nothing from outside the site, and the browser's
   console shows no error. Screenshots of the home
   page, of the home page with the search results open and of the reference
   page go to ``--screenshots DIR``.

Exit status 0 when everything holds; otherwise 1, saying what failed.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import importlib
import os
import re
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from selenium.webdriver.chrome.webdriver import WebDriver

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
# A fresh profile, nothing fetched from the network, no GPU in a container.
CHROMIUM_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1280,960",
]
NAVIGATION = ["Home", "Getting started", "Pages", "Models", "Errors", "CLI reference", "Changelog"]
QUERY = "circuit breaker"
WAIT = 20.0


class CheckFailed(Exception):
    pass


def build(site: Path) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise CheckFailed(f"mkdocs build --strict failed:\n{done.stdout}{done.stderr}")


def expected_anchors() -> set[str]:
    anchors = {"wikijs.WikiJSClient", "wikijs.aio.AsyncWikiJSClient"}
    for name in ("wikijs.resources", "wikijs.models"):
        anchors |= {f"{name}.{symbol}" for symbol in importlib.import_module(name).__all__}
    errors = importlib.import_module("wikijs.errors")
    anchors |= {
        f"wikijs.errors.{symbol}"
        for symbol in errors.__all__
        if isinstance(getattr(errors, symbol), type)
    }
    return anchors


def check_reference(site: Path) -> int:
    found: set[str] = set()
    for page in (site / "reference").rglob("*.html"):
        found |= set(re.findall(r'\bid="(wikijs\.[\w.]+)"', page.read_text(encoding="utf-8")))
    missing = expected_anchors() - found
    if missing:
        raise CheckFailed(f"no reference entry for: {', '.join(sorted(missing))}")
    return len(found)


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def serve(site: Path) -> Iterator[str]:
    handler = functools.partial(QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def chromium(profile: Path) -> Iterator[WebDriver]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in [*CHROMIUM_FLAGS, f"--user-data-dir={profile}"]:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def check_page(driver: WebDriver, url: str, shot: Path) -> None:
    """The navigation and the search box are displayed; screenshot the page."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(url)
    wait = WebDriverWait(driver, WAIT)
    nav = wait.until(
        ec.visibility_of_element_located((By.CSS_SELECTOR, "nav.md-nav--primary")),
        message="the navigation is not displayed",
    )
    shown = {
        element.text.strip()
        for element in nav.find_elements(By.CSS_SELECTOR, ".md-nav__link")
        if element.is_displayed()
    }
    absent = [title for title in NAVIGATION if title not in shown]
    if absent:
        raise CheckFailed(f"{url}: the navigation does not show {absent} (it shows {shown})")
    search = driver.find_elements(By.CSS_SELECTOR, "input.md-search__input")
    if not search or not search[0].is_displayed():
        raise CheckFailed(f"{url}: no search box")
    driver.save_screenshot(str(shot))


def check_search(driver: WebDriver, url: str, shot: Path) -> str:
    """Typing a query lists results from the search index; screenshot them."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    wait = WebDriverWait(driver, WAIT)
    box = wait.until(
        ec.element_to_be_clickable((By.CSS_SELECTOR, "input.md-search__input")),
        message="the search box cannot be clicked",
    )
    box.click()
    box.send_keys(QUERY)
    wait.until(
        ec.presence_of_element_located((By.CSS_SELECTOR, ".md-search-result__link")),
        message=f"no search results for {QUERY!r}",
    )
    meta = driver.find_element(By.CSS_SELECTOR, ".md-search-result__meta").text
    if not re.search(r"\d+ matching document", meta):
        raise CheckFailed(f"{url}: search for {QUERY!r} says {meta!r}")
    driver.save_screenshot(str(shot))
    return meta


def check_self_contained(driver: WebDriver, base: str) -> None:
    """The page loaded nothing from anywhere but the site itself."""
    loaded = driver.execute_script(
        "return performance.getEntriesByType('resource').map(entry => entry.name)"
    )
    elsewhere = [url for url in loaded if not url.startswith(base)]
    if elsewhere:
        raise CheckFailed("the page loads from outside the site:\n" + "\n".join(elsewhere))


def check_console(driver: WebDriver) -> None:
    errors = [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]
    if errors:
        raise CheckFailed("errors in the browser console:\n" + "\n".join(errors))


def check_in_browser(site: Path, screenshots: Path) -> list[str]:
    from selenium.common.exceptions import WebDriverException

    for program in (CHROMIUM, CHROMEDRIVER):
        if not Path(program).exists():
            raise CheckFailed(f"{program} is missing: apt-get install -y chromium chromium-driver")
    screenshots.mkdir(parents=True, exist_ok=True)
    report = []
    with (
        serve(site) as base,
        tempfile.TemporaryDirectory() as profile,
        chromium(Path(profile)) as driver,
    ):
        try:
            check_page(driver, f"{base}/", screenshots / "home.png")
            check_self_contained(driver, base)
            found = check_search(driver, f"{base}/", screenshots / "home-search.png")
            report.append(f"home page: navigation and search shown; {QUERY!r}: {found}")
            check_page(driver, f"{base}/reference/client/", screenshots / "reference.png")
            check_self_contained(driver, base)
            report.append("reference page: navigation and search shown")
            check_console(driver)
        except WebDriverException as exc:  # an element never appeared, or the browser failed
            reason = (exc.msg or type(exc).__name__).splitlines()[0]
            raise CheckFailed(f"{driver.current_url}: {reason}") from None
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="scripts/check-site", description=__doc__.split("\n")[0])
    parser.add_argument("--site", type=Path, help="check this built site instead of building one")
    parser.add_argument(
        "--screenshots", type=Path, default=ROOT / "site-screenshots", help="where the PNGs go"
    )
    args = parser.parse_args(argv)
    try:
        with tempfile.TemporaryDirectory() as scratch:
            site = args.site
            if site is None:
                site = Path(scratch) / "site"
                build(site)
                print("mkdocs build --strict: no warnings", flush=True)
            anchors = check_reference(site)
            print(
                f"reference: {anchors} entries, every client, resource, model and error among them",
                flush=True,
            )
            for line in check_in_browser(site, args.screenshots.resolve()):
                print(line)
    except CheckFailed as failure:
        print(f"check-site: {failure}", file=sys.stderr)
        return 1
    print(f"screenshots: {args.screenshots}/home.png, home-search.png, reference.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())

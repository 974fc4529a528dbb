"""The HTML report in a real browser (headless Chromium driven by Playwright): findings render,
the severity and family filters work, and the XSS fixture executes nothing.

Needs Debian's `chromium` (/usr/bin/chromium) and the `playwright` Python package; Playwright's
own browser download is not used. Skipped, with the reason, when either is missing.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from reports import renderer
from tests.report_fixtures import built_result, hand_result

CHROMIUM = os.environ.get("AUDITOR_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser() -> Any:
    if not (Path(CHROMIUM).is_file() or shutil.which(CHROMIUM)):
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("the playwright package is not installed (pip install playwright)")
    with sync_playwright() as pw:
        try:
            instance = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        except Exception as exc:  # noqa: BLE001 - a browser that cannot start is an environment problem
            pytest.skip(f"Chromium at {CHROMIUM} did not start: {exc}")
        yield instance
        instance.close()


def _open(browser: Any, tmp_path: Path, result: dict[str, Any], name: str) -> tuple[Any, list[str], list[str]]:
    """Load the report from a file:// URL; record dialogs, page errors and any network request."""
    path = tmp_path / f"{name}.html"
    path.write_text(renderer("html")(result), encoding="utf-8")
    page = browser.new_page()
    dialogs: list[str] = []
    requests: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("request", lambda r: requests.append(r.url) if not r.url.startswith("file:") else None)
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    page.wait_for_timeout(300)  # give an injected onerror handler time to fire, if one existed
    return page, dialogs, requests


def _visible(page: Any) -> list[str]:
    return page.eval_on_selector_all(".finding", "els => els.filter(e => e.offsetParent !== null).map(e => e.id)")


def test_findings_render_and_nothing_executes(browser: Any, tmp_path: Path) -> None:
    result = hand_result("zh")
    page, dialogs, requests = _open(browser, tmp_path, result, "report-zh")
    try:
        assert page.evaluate("typeof window.__xss") == "undefined"
        assert dialogs == []
        assert requests == []
        assert page.locator("script").count() == 1
        assert page.locator("img").count() == 0
        assert _visible(page) == [f"f-{f['id']}" for f in result["findings"]]
        assert page.locator("#shown").inner_text() == "显示 6 / 6 个问题"
        text = page.locator("body").inner_text()
        assert "<script>alert(1)</script>" in text  # shown as text, not run
        assert '<img src=x onerror="window.__xss = 2; alert(2)">' in text
        assert "可能错误的数字" in text and "1,100.00" in text
        assert page.locator("pre.evidence mark").first.inner_text() == "1,000.00"
        page.screenshot(path=str(tmp_path / "report-zh.png"), full_page=True)
        assert (tmp_path / "report-zh.png").stat().st_size > 0
    finally:
        page.close()


def test_filters_hide_and_show_findings(browser: Any, tmp_path: Path) -> None:
    result = hand_result("en")
    page, dialogs, _ = _open(browser, tmp_path, result, "report-en")
    ids = {f["rule"]: f"f-{f['id']}" for f in result["findings"]}
    try:
        page.uncheck("input[name=severity][value=error]")
        visible = _visible(page)
        assert visible == [ids["indicator.category"], ids["text.repeated_word"], ids["narrative.amount"]]
        assert page.locator("#shown").inner_text() == "showing 3 of 6 findings"
        # a root-cause group whose members are all filtered out disappears with them
        assert page.locator("section.group.multi").is_hidden()
        page.uncheck("input[name=family][value=text]")
        assert _visible(page) == [ids["indicator.category"], ids["narrative.amount"]]
        page.check("input[name=severity][value=error]")
        assert len(_visible(page)) == 5 and page.locator("section.group.multi").is_visible()
        page.check("input[name=family][value=text]")
        assert len(_visible(page)) == 6
        page.screenshot(path=str(tmp_path / "report-en-filtered.png"), full_page=True)
        assert dialogs == [] and page.evaluate("typeof window.__xss") == "undefined"
    finally:
        page.close()


def test_built_result_renders_in_the_browser(browser: Any, tmp_path: Path) -> None:
    result = built_result("en", extra=True)
    page, dialogs, requests = _open(browser, tmp_path, result, "built")
    try:
        assert len(_visible(page)) == len(result["findings"])
        assert dialogs == [] and requests == [] and page.evaluate("typeof window.__xss") == "undefined"
    finally:
        page.close()


def test_seed_001_report_shows_grouped_findings_with_highlighted_sources(browser: Any, tmp_path: Path) -> None:
    """The real budget: the 办公费 group renders under its likely wrong number, source lines marked."""
    from auditor.result import build_result
    from tests.conftest import seed
    from tests.harness import audit_path

    result = build_result([audit_path(seed("001"))], lang="zh")
    assert any(f["suggestion"] == "3,602,780" for f in result["findings"])
    page, dialogs, requests = _open(browser, tmp_path, result, "seed001")
    try:
        assert len(_visible(page)) == len(result["findings"])
        body = page.inner_text("body")
        assert "3,602,780" in body and "办公费" in body
        assert page.eval_on_selector_all("mark", "els => els.length") > 0
        page.screenshot(path=str(tmp_path / "seed001.png"), full_page=True)
        assert (tmp_path / "seed001.png").stat().st_size > 10_000
        assert dialogs == [] and requests == []
    finally:
        page.close()


def _one_line_result() -> dict[str, Any]:
    """A document printed on one very long line, the cited number far to the right of it."""
    import copy

    result = copy.deepcopy(hand_result("zh"))
    finding = result["findings"][0]
    line = "说明：" + "本单位按规定公开预算信息，" * 120 + "行政运行 86,412,027 元，其中基本支出 0 元。"
    finding["evidence"] = [{"path": finding["location"]["path"], "line": 1, "text": line, "value": "86,412,027"}]
    result["findings"] = [finding]
    return result


def test_a_one_line_document_scrolls_to_the_cited_number(browser: Any, tmp_path: Path) -> None:
    page, dialogs, _ = _open(browser, tmp_path, _one_line_result(), "one-line")
    try:
        pre = page.locator("pre.evidence").first
        assert pre.evaluate("p => p.scrollWidth > p.clientWidth")
        assert pre.evaluate("p => p.scrollLeft") > 0
        box, mark = pre.bounding_box(), page.locator("pre.evidence mark").first.bounding_box()
        assert box["x"] <= mark["x"] and mark["x"] + mark["width"] <= box["x"] + box["width"]
        assert page.locator("pre.evidence mark").all_inner_texts() == ["86,412,027"]
        page.screenshot(path=str(tmp_path / "one-line.png"))
        assert dialogs == []
    finally:
        page.close()


def test_the_csp_blocks_nothing_the_page_needs(browser: Any, tmp_path: Path) -> None:
    page = browser.new_page()
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text))
    path = tmp_path / "csp.html"
    path.write_text(renderer("html")(hand_result("en")), encoding="utf-8")
    try:
        page.goto(path.as_uri())
        page.wait_for_load_state("load")
        assert not [m for m in console if "Content Security Policy" in m], console
        # the script ran (the counter is its output) and the stylesheet applied (marks are yellow)
        assert page.locator("#shown").inner_text() == "showing 6 of 6 findings"
        assert page.locator("mark").first.evaluate("m => getComputedStyle(m).backgroundColor") == "rgb(255, 226, 122)"
    finally:
        page.close()


def test_chinese_text_is_drawn_with_a_cjk_font_from_the_stack(browser: Any, tmp_path: Path) -> None:
    """The declared stack names the common CJK fonts; on this machine the title's glyphs come from
    one of them (the README says which package to install), and the screenshot shows them."""
    import subprocess

    try:
        installed = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True,
                                   timeout=20).stdout
    except (OSError, subprocess.TimeoutExpired):
        installed = ""
    if not installed.strip():
        pytest.skip("no CJK font installed (apt-get install fonts-noto-cjk or fonts-wqy-microhei)")
    page, _, _ = _open(browser, tmp_path, hand_result("zh"), "cjk")
    try:
        stack = page.locator("body").evaluate("b => getComputedStyle(b).fontFamily")
        for name in ("PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei"):
            assert name in stack, stack
        client = page.context.new_cdp_session(page)
        client.send("DOM.enable")
        client.send("CSS.enable")
        root = client.send("DOM.getDocument")["root"]["nodeId"]
        node = client.send("DOM.querySelector", {"nodeId": root, "selector": "h1"})["nodeId"]
        fonts = client.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
        used = {f["familyName"] for f in fonts}
        assert used and all(name in installed for name in used), (used, installed)
        assert sum(f["glyphCount"] for f in fonts) == len(page.locator("h1").inner_text())
        page.screenshot(path=str(tmp_path / "cjk.png"), full_page=True)
        assert (tmp_path / "cjk.png").stat().st_size > 10_000
    finally:
        page.close()

"""`audit --format html` in a real browser: Debian's Chromium, headless, driven by its command line.

The page is rendered in-process from an audit of a few Hub records (real findings of the real
rules, some hostile), then opened by ``chromium --dump-dom`` with a view in the URL's fragment;
the DOM after the page's script ran says which rows are shown, in which order, and that no
markup from a repo id or message became an element. A screenshot is kept in the test's folder.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from hfname_guard.audit import Audit, AuditedModel, audit
from hfname_guard.findings import Finding, Report
from hfname_guard.hub_records import HubRecord
from hfname_guard.report.html_report import render_audit

CHROMIUM_TIMEOUT = 30
ENDPOINT = "https://huggingface.co"
SCRIPT_NAME = "acme/<script>alert(1)</script>"
IMG_NAME = 'acme/"><img src=x onerror=alert(1)>'
CLOSING_MESSAGE = "card says </script><script>alert(2)</script> and <!-- more"
HOSTILE_FIX = '"><img src=x onerror=alert(3)>'
RECORDS = [
    {"id": "acme/llama-3-8b-instruct", "downloads": 5000, "lastModified": "2024-05-01T10:00:00.000Z",
     "cardData": {"license": "apache-2.0"}, "config": {"model_type": "llama"},
     "siblings": [{"rfilename": "README.md"}, {"rfilename": "config.json"}]},
    {"id": "acme/Bad Name!!", "downloads": 50},
    {"id": "acme/bert-base-uncased", "downloads": 700, "lastModified": "2023-01-02T00:00:00.000Z"},
    {"id": "acme/tiny", "downloads": 0},
    {"id": "acme/mistral-7b-v0.1", "downloads": 90},
    {"id": SCRIPT_NAME, "downloads": 12},
    {"id": IMG_NAME, "downloads": 3},
]
EXTRA = [  # a warning and a note, whatever the default policy says, and a message that closes the script
    Finding("name/length", "warning", "the name is long", "acme/bert-base-uncased", suggestion="acme/bert-base"),
    Finding("card/license", "info", CLOSING_MESSAGE, "acme/tiny", suggestion=HOSTILE_FIX),
]


def chromium() -> str:
    found = shutil.which("chromium") or ("/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None)
    if found is None:
        pytest.fail("no Chromium: this test opens the audit page in a real headless browser; install Debian's "
                    "`chromium` package (apt-get install chromium)")
    return found


def run_chromium(tmp: Path, *arguments: str) -> str:
    profile = tmp / f"profile-{len(list(tmp.glob('profile-*')))}"
    command = [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               f"--user-data-dir={profile}", "--virtual-time-budget=5000", *arguments]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=CHROMIUM_TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        pytest.fail(f"chromium took over {CHROMIUM_TIMEOUT} s: {' '.join(command)}")
    assert done.returncode == 0, f"chromium failed ({done.returncode}): {done.stderr[-2000:]}"
    return done.stdout


class Dom(HTMLParser):
    """What the tests read of a dumped DOM: every start tag, and the table's rows in order."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.rows: list[tuple[str, bool]] = []
        self.text: list[str] = []
        self._in_body = False
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if tag == "tbody":
            self._in_body = True
        elif tag == "tr" and self._in_body:
            self.rows.append((attributes.get("data-repo") or "", "hidden" in attributes))

    def handle_endtag(self, tag: str) -> None:
        if tag == "tbody":
            self._in_body = False

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    @property
    def shown(self) -> list[str]:
        return [repo_id for repo_id, hidden in self.rows if not hidden]


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> Audit:
    here = os.getcwd()
    os.chdir(tmp_path_factory.mktemp("no-policy"))  # the built-in policy, not the checkout's
    try:
        judged = audit((HubRecord(record) for record in RECORDS), None, ("acme",))
    finally:
        os.chdir(here)
    report = judged.report
    return Audit(Report(report.targets, [*report.findings, *EXTRA], []), judged.models, ("acme",), ENDPOINT)


@pytest.fixture(scope="module")
def page(result: Audit, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("audit") / "report.html"
    path.write_text(render_audit(result), encoding="utf-8")
    return path


def dom(page: Path, tmp_path: Path, fragment: str = "") -> Dom:
    return Dom(run_chromium(tmp_path, "--dump-dom", page.as_uri() + fragment))


def by_downloads(result: Audit, reverse: bool) -> list[str]:
    return [model.repo_id for model in sorted(result.models, key=lambda model: model.downloads, reverse=reverse)]


def test_the_page_loads_with_every_model_most_downloaded_first(result: Audit, page: Path, tmp_path: Path) -> None:
    loaded = dom(page, tmp_path)
    assert loaded.shown == by_downloads(result, reverse=True)
    assert len(loaded.rows) == len(RECORDS)
    assert f"{len(RECORDS)} of {len(RECORDS)} models" in "".join(loaded.text)
    assert ("th", {"scope": "col", "data-key": "downloads", "aria-sort": "descending"}) in loaded.tags
    links = [attributes["href"] for tag, attributes in loaded.tags if tag == "a"]
    assert f"{ENDPOINT}/acme/llama-3-8b-instruct" in links
    assert f"{ENDPOINT}/acme/Bad%20Name%21%21" in links


def test_the_fragment_sorts_the_rows(result: Audit, page: Path, tmp_path: Path) -> None:
    assert dom(page, tmp_path, "#sort=downloads&order=asc").shown == by_downloads(result, reverse=False)
    assert dom(page, tmp_path, "#sort=repo&order=desc").shown == sorted(
        (model.repo_id for model in result.models), key=str.lower, reverse=True)


def test_the_fragment_filters_by_severity(result: Audit, page: Path, tmp_path: Path) -> None:
    findings = result.findings_of()
    with_error = {repo_id for repo_id, found in findings.items() if any(f.severity == "error" for f in found)}
    clean = {repo_id for repo_id, found in findings.items() if not found}
    assert with_error and clean
    shown = dom(page, tmp_path, "#severity=error")
    assert set(shown.shown) == with_error
    assert {repo_id for repo_id, hidden in shown.rows if hidden} == set(findings) - with_error
    assert set(dom(page, tmp_path, "#severity=none&sort=downloads&order=asc").shown) == clean


def test_the_fragment_filters_by_text(page: Path, tmp_path: Path) -> None:
    assert dom(page, tmp_path, "#q=UNCASED").shown == ["acme/bert-base-uncased"]  # a repo id, any case
    assert set(dom(page, tmp_path, "#q=name%2Flength").shown) == {"acme/bert-base-uncased"}  # a rule
    assert dom(page, tmp_path, "#q=is%20long").shown == ["acme/bert-base-uncased"]  # a message


def test_hostile_names_and_messages_stay_text(page: Path, tmp_path: Path) -> None:
    loaded = dom(page, tmp_path, "#q=%3Cimg%20src%3Dx%20onerror%3Dalert(9)%3E")
    assert loaded.shown == []
    assert not [tag for tag, _ in loaded.tags if tag in ("img", "iframe", "object", "embed")]
    assert [attributes for tag, attributes in loaded.tags if tag == "script"] == [{}]  # the page's own, only
    assert not [name for _, attributes in loaded.tags for name in attributes if name.startswith("on")]
    text = "".join(loaded.text)
    for hostile in (SCRIPT_NAME, IMG_NAME, CLOSING_MESSAGE, HOSTILE_FIX):
        assert hostile in text
    assert {repo_id for repo_id, _ in loaded.rows} >= {SCRIPT_NAME, IMG_NAME}
    source = page.read_text(encoding="utf-8")
    assert "<script>alert" not in source and "<img" not in source and "<!-- more" not in source


EXTERNAL = [re.compile(pattern, re.IGNORECASE) for pattern in
            (r"\ssrc\s*=", r"<link\b", r"@import", r"url\(\s*['\"]?\s*(https?:)?//", r"<iframe\b", r"<object\b")]


def test_the_page_loads_nothing_from_elsewhere(page: Path) -> None:
    benign = Audit(Report([], [Finding("name/length", "warning", "long", "acme/a", suggestion="acme/b")], []),
                   (AuditedModel("acme/a", 3), AuditedModel("acme/c")), ("acme",), ENDPOINT)
    source = render_audit(benign)
    assert not [pattern.pattern for pattern in EXTERNAL if pattern.search(source)]
    assert "default-src &#x27;none&#x27;" in source  # and a browser refuses whatever else
    for tag, attributes in Dom(page.read_text(encoding="utf-8")).tags:  # hostile text is no attribute either
        assert "src" not in attributes and (tag == "a" or "href" not in attributes), (tag, attributes)
        assert tag != "a" or (attributes["href"] or "").startswith(ENDPOINT + "/")


def test_links_only_to_web_endpoints() -> None:
    odd = Audit(Report([], [], []), (AuditedModel("acme/a"),), ("acme",), "javascript:alert(1)//")
    assert "href" not in render_audit(odd)


def test_a_screenshot_is_taken(page: Path, tmp_path: Path) -> None:
    screenshot = tmp_path / "audit.png"
    run_chromium(tmp_path, f"--screenshot={screenshot}", "--window-size=1280,900", page.as_uri())
    data = screenshot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(data) > 20_000

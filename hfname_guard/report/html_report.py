"""``audit --format html``: one self-contained page for the people who review an audit.

The page has a header (the namespaces, how many models, errors, warnings and notes), a chart of
the findings per rule (inline SVG, one bar per rule, a segment per severity) and a table of every
model audited, those without findings included: its repo id (a link to its Hub page), downloads,
last change, worst severity, number of findings, the findings themselves (rule, message, fix) and
the name they suggest. The rows are rendered here, so the page reads without JavaScript; a small
inline script sorts them (click a column header; downloads, most first, by default) and filters
them (a text box matching repo ids, rules and messages; a severity selector), and keeps that view
in the URL's fragment (``#sort=downloads&order=asc&severity=error&q=bert``), read on load, so a
view can be linked.

Every value shown comes from the Hub and whoever published the models, so none is trusted: each
is made ``printable`` (no controls, bidirectional overrides or lone surrogates) and then escaped
with ``html.escape(..., quote=True)`` wherever it goes, text or attribute. The script reads rows
only through ``data-`` attributes and writes only ``textContent``, ``hidden`` and row order. The
only links are to ``{endpoint}/{repo id}``, the repo id percent-encoded, and only when the
endpoint is ``https:`` or ``http:``. The page loads nothing: no external script, style, font or
image, and a Content-Security-Policy that allows only its own style and script (by hash) says so
to the browser as well, so that even markup that slipped through could run or fetch nothing.
"""

from __future__ import annotations

import base64
import hashlib
import html
from urllib.parse import quote, urlsplit

from ..audit import Audit, AuditedModel, suggested_name
from ..findings import SEVERITY_ORDER, Finding
from ..printable import printable

SEVERITIES = ("error", "warning", "info")
SEVERITY_LABELS = {"error": "errors", "warning": "warnings", "info": "notes"}
NO_FINDINGS = "none"
"""The worst severity of a model without findings, as ``data-worst`` and the selector say it."""
SORT_KEYS = ("repo", "downloads", "modified", "worst", "count")
CHART_WIDTH = 760
CHART_LABEL = 230
CHART_BAR = 440
CHART_ROW = 26


def render_audit(result: Audit) -> str:
    """The audit as one HTML document that needs nothing but itself."""
    csp = (f"default-src 'none'; style-src '{_sha256(STYLE)}'; script-src '{_sha256(SCRIPT)}'; "
           "img-src 'none'; base-uri 'none'; form-action 'none'")
    title = f"hfname-guard audit of {_namespaces(result)}"
    return "\n".join([
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_e(csp)}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="referrer" content="no-referrer">',
        f"<title>{_e(title)}</title>",
        f"<style>{STYLE}</style>",
        "</head>",
        "<body>",
        _header(result),
        _chart(result),
        _table(result),
        f"<script>{SCRIPT}</script>",
        "</body>",
        "</html>",
        "",
    ])


def _e(value: object) -> str:
    """Any value as safe HTML text or attribute value."""
    return html.escape(printable(str(value)), quote=True)


def _sha256(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


def _namespaces(result: Audit) -> str:
    return ", ".join(result.namespaces) or "the records given"


# Header and chart


def _header(result: Audit) -> str:
    findings = result.findings_of()
    flagged = sum(bool(found) for found in findings.values())
    counts = "".join(
        f'<li class="stat sev-{severity}"><b>{result.report.count(severity):,}</b> {SEVERITY_LABELS[severity]}</li>'
        for severity in SEVERITIES)
    return (f'<header><h1>Naming audit of <span class="ns">{_e(_namespaces(result))}</span></h1>'
            f'<ul class="stats"><li class="stat"><b>{len(findings):,}</b> models</li>'
            f'<li class="stat"><b>{flagged:,}</b> with findings</li>{counts}</ul></header>')


def _per_rule(result: Audit) -> list[tuple[str, dict[str, int]]]:
    """Findings per rule and severity, the rule with the most first."""
    counts: dict[str, dict[str, int]] = {}
    for finding in result.report.findings:
        by_severity = counts.setdefault(finding.rule, dict.fromkeys(SEVERITIES, 0))
        by_severity[finding.severity] = by_severity.get(finding.severity, 0) + 1
    return sorted(counts.items(), key=lambda item: (-sum(item[1].values()), item[0]))


def _chart(result: Audit) -> str:
    rules = _per_rule(result)
    if not rules:
        return '<section class="chart"><h2>Findings per rule</h2><p>No findings.</p></section>'
    most = max(sum(counts.values()) for _, counts in rules)
    height = CHART_ROW * len(rules) + 4
    bars = "".join(_bar(index, rule, counts, most) for index, (rule, counts) in enumerate(rules))
    legend = "".join(f'<li><span class="swatch sev-{severity}"></span>{severity}</li>' for severity in SEVERITIES)
    return (f'<section class="chart"><h2>Findings per rule</h2><ul class="legend">{legend}</ul>'
            f'<svg role="img" aria-label="findings per rule and severity" viewBox="0 0 {CHART_WIDTH} {height}" '
            f'width="{CHART_WIDTH}" height="{height}" xmlns="http://www.w3.org/2000/svg">{bars}</svg></section>')


def _bar(index: int, rule: str, counts: dict[str, int], most: int) -> str:
    """One rule's bar: a segment per severity, its length the number of findings."""
    y = index * CHART_ROW + 2
    parts = [f'<g class="bar"><text class="rule" x="{CHART_LABEL - 8}" y="{y + 16}" text-anchor="end">{_e(rule)}'
             "</text>"]
    x = float(CHART_LABEL)
    for severity in SEVERITIES:
        count = counts.get(severity, 0)
        if not count:
            continue
        width = max(CHART_BAR * count / most, 2.0)
        parts.append(f'<rect class="sev-{severity}" x="{x:.1f}" y="{y}" width="{width:.1f}" height="{CHART_ROW - 6}">'
                     f"<title>{_e(rule)}: {count:,} {severity}</title></rect>")
        x += width
    label = ", ".join(f"{counts[severity]:,} {severity}" for severity in SEVERITIES if counts.get(severity))
    parts.append(f'<text class="count" x="{x + 6:.1f}" y="{y + 16}">{_e(label)}</text></g>')
    return "".join(parts)


# The table of models


COLUMNS = (("repo", "Model"), ("downloads", "Downloads"), ("modified", "Last modified"), ("worst", "Worst"),
           ("count", "Findings"), (None, "Details"), (None, "Suggested name"))


def _table(result: Audit) -> str:
    findings = result.findings_of()
    known = {model.repo_id: model for model in result.models}
    models = [known.get(repo_id, AuditedModel(repo_id)) for repo_id in findings]
    models.sort(key=lambda model: (-model.downloads, model.repo_id))
    head = "".join(_column(key, label) for key, label in COLUMNS)
    rows = "".join(_row(model, findings[model.repo_id], result.endpoint) for model in models)
    options = "".join(f'<option value="{value}">{label}</option>' for value, label in (
        ("all", "all models"), ("error", "with an error"), ("warning", "with a warning"), ("info", "with a note"),
        (NO_FINDINGS, "without findings")))
    return (f'<section class="models"><h2>Models</h2>'
            f'<form id="controls" class="controls" hidden>'
            f'<label>Filter <input id="q" type="search" placeholder="repo id, rule or message" autocomplete="off">'
            f'</label><label>Show <select id="severity">{options}</select></label>'
            f'<output id="shown" aria-live="polite">{len(models):,} of {len(models):,} models</output></form>'
            f'<table id="models"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></section>')


def _column(key: str | None, label: str) -> str:
    if key is None:
        return f'<th scope="col">{label}</th>'
    sorted_by = ' aria-sort="descending"' if key == "downloads" else ""
    return (f'<th scope="col" data-key="{key}"{sorted_by}><button type="button" data-sort="{key}">{label}'
            '<span class="arrow" aria-hidden="true"></span></button></th>')


def _row(model: AuditedModel, findings: list[Finding], endpoint: str) -> str:
    worst = findings[0].severity if findings else NO_FINDINGS
    severities = " ".join(sorted({finding.severity for finding in findings}, key=SEVERITY_ORDER.__getitem__))
    search = "&#10;".join(_e(text) for finding in findings for text in (finding.rule, finding.message))
    suggestion = suggested_name(findings)
    modified = model.last_modified or ""
    return (f'<tr data-repo="{_e(model.repo_id)}" data-downloads="{model.downloads}" data-modified="{_e(modified)}" '
            f'data-worst="{worst}" data-rank="{SEVERITY_ORDER.get(worst, len(SEVERITY_ORDER))}" '
            f'data-count="{len(findings)}" data-severities="{severities or NO_FINDINGS}" '
            f'data-search="{_e(model.repo_id)}&#10;{search}">'
            f'<th scope="row" class="repo">{_link(model.repo_id, endpoint)}</th>'
            f'<td class="num">{model.downloads:,}</td>'
            f'<td class="date" title="{_e(modified)}">{_e(modified[:10]) or "&mdash;"}</td>'
            f'<td><span class="badge sev-{worst}">{"no findings" if worst == NO_FINDINGS else worst}</span></td>'
            f'<td class="num">{len(findings)}</td>'
            f"<td>{_findings(findings)}</td>"
            f'<td class="suggested">{f"<code>{_e(suggestion)}</code>" if suggestion else ""}</td></tr>')


def _link(repo_id: str, endpoint: str) -> str:
    """The repo id, a link to its Hub page when the endpoint is a web address."""
    text = _e(repo_id)
    if urlsplit(endpoint).scheme not in ("https", "http"):
        return text
    href = f"{endpoint.rstrip('/')}/{quote(repo_id, safe='/')}"
    return f'<a href="{_e(href)}" rel="noreferrer noopener">{text}</a>'


def _findings(findings: list[Finding]) -> str:
    if not findings:
        return ""
    items = "".join(
        f'<li><span class="badge sev-{_e(finding.severity)}">{_e(finding.severity)}</span> '
        f'<code class="rule">{_e(finding.rule)}</code> <span class="message">{_e(finding.message)}</span>'
        + (f' <span class="fix">fix: <code>{_e(finding.suggestion)}</code></span>' if finding.suggestion else "")
        + "</li>"
        for finding in findings)
    return f'<ul class="findings">{items}</ul>'


STYLE = """
:root{color-scheme:light dark;--bg:#fff;--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--head:#f6f8fa;
--error:#cf222e;--warning:#bf8700;--info:#0969da;--none:#1a7f37;--hover:#f6f8fa}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9198a1;--line:#3d444d;
--head:#151b23;--hover:#151b23;--error:#f85149;--warning:#d29922;--info:#4493f8;--none:#3fb950}}
*{box-sizing:border-box}
body{margin:0;padding:24px 32px 48px;background:var(--bg);color:var(--fg);line-height:1.45;font-size:14px;
font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,"Noto Sans",sans-serif}
code{font-family:ui-monospace,SFMono-Regular,"SF Mono",Menlo,Consolas,"Liberation Mono",monospace;font-size:12.5px;
overflow-wrap:anywhere}
h1{font-size:22px;margin:0 0 12px}h2{font-size:17px;margin:28px 0 10px}
.ns{overflow-wrap:anywhere}
.stats{display:flex;flex-wrap:wrap;gap:10px;list-style:none;margin:0;padding:0}
.stat{border:1px solid var(--line);border-radius:8px;padding:8px 14px;background:var(--head)}
.stat b{font-size:18px;margin-right:4px}
.stat.sev-error b{color:var(--error)}.stat.sev-warning b{color:var(--warning)}.stat.sev-info b{color:var(--info)}
.legend{display:flex;gap:16px;list-style:none;margin:0 0 8px;padding:0;color:var(--muted)}
.swatch{display:inline-block;width:12px;height:12px;border-radius:3px;margin-right:6px;vertical-align:-1px}
svg{max-width:100%;height:auto}
svg text{fill:var(--fg);font-size:12.5px;font-family:inherit}svg text.count{fill:var(--muted)}
rect.sev-error,.swatch.sev-error{fill:var(--error);background:var(--error)}
rect.sev-warning,.swatch.sev-warning{fill:var(--warning);background:var(--warning)}
rect.sev-info,.swatch.sev-info{fill:var(--info);background:var(--info)}
.controls{display:flex;flex-wrap:wrap;align-items:center;gap:16px;margin:0 0 12px}
.controls[hidden]{display:none}
.controls input,.controls select{font:inherit;padding:5px 8px;border:1px solid var(--line);border-radius:6px;
background:var(--bg);color:var(--fg);margin-left:6px}
.controls input{width:300px}#shown{color:var(--muted)}
table{border-collapse:separate;border-spacing:0;width:100%}
th,td{padding:8px 10px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
thead th{position:sticky;top:0;z-index:1;background:var(--head);border-bottom:2px solid var(--line);
white-space:nowrap;font-weight:600}
thead button{all:unset;cursor:pointer}thead button:focus-visible{outline:2px solid var(--info)}
th[aria-sort=ascending] .arrow::after{content:" \\25B2"}th[aria-sort=descending] .arrow::after{content:" \\25BC"}
tbody tr:hover{background:var(--hover)}
th.repo{font-weight:600;min-width:16em;max-width:320px;overflow-wrap:anywhere}
a{color:var(--info);text-decoration:none}a:hover{text-decoration:underline}
.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}.date{white-space:nowrap}
.badge{display:inline-block;border-radius:10px;padding:0 8px;font-size:12px;font-weight:600;color:#fff;
white-space:nowrap}
.badge.sev-error{background:var(--error)}.badge.sev-warning{background:var(--warning)}
.badge.sev-info{background:var(--info)}.badge.sev-none{background:var(--none)}
.findings{margin:0;padding:0;list-style:none}.findings li{margin:0 0 6px}
.findings .rule{color:var(--muted)}.fix{color:var(--muted)}.suggested code{color:var(--none)}
"""

SCRIPT = """
(function () {
  "use strict";
  var table = document.getElementById("models");
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var query = document.getElementById("q");
  var severity = document.getElementById("severity");
  var shown = document.getElementById("shown");
  var KEYS = ["repo", "downloads", "modified", "worst", "count"];
  var DESCENDING = {downloads: true, modified: true, count: true};
  var SEVERITIES = ["all", "error", "warning", "info", "none"];
  var state = {sort: "downloads", order: "desc", severity: "all", q: ""};

  rows.forEach(function (row) {
    row._search = (row.getAttribute("data-search") || "").toLowerCase();
    row._severities = (row.getAttribute("data-severities") || "").split(" ");
  });

  function defaultOrder(key) { return DESCENDING[key] ? "desc" : "asc"; }

  function readFragment() {
    var params = new URLSearchParams(window.location.hash.replace(/^#/, ""));
    var sort = params.get("sort");
    state.sort = KEYS.indexOf(sort) >= 0 ? sort : "downloads";
    var order = params.get("order");
    state.order = order === "asc" || order === "desc" ? order : defaultOrder(state.sort);
    var wanted = params.get("severity");
    state.severity = SEVERITIES.indexOf(wanted) >= 0 ? wanted : "all";
    state.q = params.get("q") || "";
  }

  function writeFragment() {
    var params = new URLSearchParams();
    if (state.sort !== "downloads" || state.order !== "desc") {
      params.set("sort", state.sort);
      params.set("order", state.order);
    }
    if (state.severity !== "all") { params.set("severity", state.severity); }
    if (state.q) { params.set("q", state.q); }
    var fragment = params.toString();
    var url = window.location.pathname + window.location.search + (fragment ? "#" + fragment : "");
    try { window.history.replaceState(null, "", url); } catch (error) { window.location.hash = fragment; }
  }

  function value(row, key) {
    if (key === "repo") { return (row.getAttribute("data-repo") || "").toLowerCase(); }
    if (key === "modified") { return row.getAttribute("data-modified") || ""; }
    if (key === "worst") { return Number(row.getAttribute("data-rank")); }
    return Number(row.getAttribute("data-" + key));
  }

  function compare(a, b) {
    var x = value(a, state.sort), y = value(b, state.sort);
    var result = x < y ? -1 : x > y ? 1 : 0;
    if (state.order === "desc") { result = -result; }
    if (result === 0) {
      var p = a.getAttribute("data-repo"), q = b.getAttribute("data-repo");
      result = p < q ? -1 : p > q ? 1 : 0;
    }
    return result;
  }

  function visible(row) {
    if (state.severity === "none" && row._severities[0] !== "none") { return false; }
    if (state.severity !== "all" && state.severity !== "none" && row._severities.indexOf(state.severity) < 0) {
      return false;
    }
    return !state.q || row._search.indexOf(state.q.toLowerCase()) >= 0;
  }

  function apply() {
    rows.slice().sort(compare).forEach(function (row) { body.appendChild(row); });
    var count = 0;
    rows.forEach(function (row) {
      row.hidden = !visible(row);
      if (!row.hidden) { count += 1; }
    });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (cell) {
      var key = cell.getAttribute("data-key");
      if (!key) { return; }
      if (key === state.sort) {
        cell.setAttribute("aria-sort", state.order === "asc" ? "ascending" : "descending");
      } else {
        cell.removeAttribute("aria-sort");
      }
    });
    if (query.value !== state.q) { query.value = state.q; }
    severity.value = state.severity;
    shown.textContent = count.toLocaleString("en") + " of " + rows.length.toLocaleString("en") + " models";
    document.body.setAttribute("data-view", [state.sort, state.order, state.severity].join(" "));
  }

  Array.prototype.forEach.call(table.tHead.querySelectorAll("button[data-sort]"), function (button) {
    button.addEventListener("click", function () {
      var key = button.getAttribute("data-sort");
      if (state.sort === key) {
        state.order = state.order === "asc" ? "desc" : "asc";
      } else {
        state.sort = key;
        state.order = defaultOrder(key);
      }
      apply();
      writeFragment();
    });
  });
  query.addEventListener("input", function () { state.q = query.value; apply(); writeFragment(); });
  severity.addEventListener("change", function () { state.severity = severity.value; apply(); writeFragment(); });
  document.getElementById("controls").addEventListener("submit", function (event) { event.preventDefault(); });
  window.addEventListener("hashchange", function () { readFragment(); apply(); });

  document.getElementById("controls").hidden = false;
  readFragment();
  apply();
})();
"""

"""`hfname-guard audit`: published models judged from the Hub's records, from a file or the Hub."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import jsonschema
import pytest
from guards import ROOT, hfname_guard
from hub_server import FakeHub

REPORT_SCHEMA = json.loads((ROOT / "schemas" / "report.schema.json").read_text(encoding="utf-8"))
FILES = [{"rfilename": name} for name in ("README.md", "config.json", "model.safetensors")]
RECORDS = [
    {"id": "acme/bert-base-ner", "downloads": 900, "lastModified": "2026-03-01T00:00:00.000Z",
     "config": {"model_type": "roberta", "architectures": ["RobertaForTokenClassification"]},
     "cardData": {"license": "mit", "pipeline_tag": "token-classification"}, "siblings": FILES,
     "safetensors": {"parameters": {"F32": 124_000_000}, "total": 124_000_000}},
    {"id": "acme/llama-7b-chat", "downloads": 5000, "config": {"model_type": "llama"},
     "cardData": {"license": "llama3.1", "pipeline_tag": "text-generation"}, "siblings": FILES,
     "safetensors": {"parameters": {"BF16": 1_100_000_000}, "total": 1_100_000_000}},
    {"id": "acme/=HYPERLINK(\"http://evil\")", "downloads": 1, "siblings": [{"rfilename": "README.md"}]},
    {"id": "acme/mistral-7b-instruct", "downloads": 70, "config": {"model_type": "mistral"},
     "cardData": {"license": "apache-2.0", "pipeline_tag": "text-generation"}, "siblings": FILES,
     "safetensors": {"parameters": {"BF16": 7_240_000_000}, "total": 7_240_000_000}},
]
GGUF_FILES = [{"rfilename": name} for name in ("README.md", "model-Q4_K_M.gguf", "model-Q8_0.gguf")]
GGUF_RECORDS = [  # the Hub reads each repository's GGUF files: `gguf` in list_models(expand=[...])
    {"id": "acme/llama-3-8b-instruct-gguf", "siblings": GGUF_FILES,
     "cardData": {"license": "llama3", "pipeline_tag": "text-generation"},
     "gguf": {"total": 1_235_814_400, "architecture": "qwen2", "context_length": 32768}},
    {"id": "acme/mistral-7b-instruct-gguf", "siblings": GGUF_FILES,
     "cardData": {"license": "apache-2.0", "pipeline_tag": "text-generation"},
     "gguf": {"total": 7_241_732_096, "architecture": "llama", "context_length": 32768}},
]


def write_records(tmp_path: Path, records: list[dict[str, object]]) -> str:
    path = tmp_path / "records.jsonl"
    path.write_text("".join(json.dumps(record) + "\n" for record in records), encoding="utf-8")
    return str(path)


def test_an_audit_from_records_judges_each_model_by_its_record(tmp_path: Path) -> None:
    source = write_records(tmp_path, RECORDS)
    completed = hfname_guard("audit", "--from", source, "--format", "json", cwd=tmp_path)
    assert completed.returncode == 0  # a list to review, not a gate
    report = json.loads(completed.stdout)
    jsonschema.validate(report, REPORT_SCHEMA)
    found = {(finding["repo_id"], finding["rule"]) for finding in report["findings"]}
    assert ("acme/bert-base-ner", "consistency/architecture") in found  # config.json from the record
    assert ("acme/llama-7b-chat", "consistency/size") in found  # the Hub's parameter total: 1.1b, not 7b
    assert ("acme/=HYPERLINK(\"http://evil\")", "card/missing") in found  # siblings: a README without metadata
    assert not any(repo_id == "acme/mistral-7b-instruct" for repo_id, _ in found)
    assert [target["repo_id"] for target in report["targets"]] == [record["id"] for record in RECORDS]


def test_an_audit_judges_gguf_repositories_by_the_hubs_reading_of_their_files(tmp_path: Path) -> None:
    completed = hfname_guard("audit", "--from", write_records(tmp_path, GGUF_RECORDS), "--format", "json",
                             cwd=tmp_path)
    report = json.loads(completed.stdout)
    found = {(finding["repo_id"], finding["rule"], finding["message"]) for finding in report["findings"]}
    assert found == {
        ("acme/llama-3-8b-instruct-gguf", "consistency/architecture",
         "the name says `llama` (llama); model-Q4_K_M.gguf says general.architecture `qwen2`"),
        ("acme/llama-3-8b-instruct-gguf", "consistency/size",
         "the name says `8b`; model-Q4_K_M.gguf holds 1,235,814,400 parameters (1.24B)"),
    }


def test_the_text_report_ranks_what_to_review_first(tmp_path: Path) -> None:
    completed = hfname_guard("audit", "--from", write_records(tmp_path, RECORDS), cwd=tmp_path)
    lines = completed.stdout.splitlines()
    assert lines[0] == "audit of the records given: 4 models, 4 errors, 0 warnings, 0 notes"
    review = lines[lines.index("the 3 models to review first (most serious, then most downloaded):") + 1:]
    assert [line.split()[0] for line in review if not line.startswith("    ")] == [
        "acme/llama-7b-chat", "acme/bert-base-ner", "acme/=HYPERLINK(\"http://evil\")"]
    assert "    suggested name: acme/roberta-base-ner" in review


def test_csv_has_a_row_per_finding_and_no_formula(tmp_path: Path) -> None:
    records = [*RECORDS, {"id": "=1+2", "downloads": 3}]  # a record's id is the Hub's, or the dump's author's
    completed = hfname_guard("audit", "--from", write_records(tmp_path, records), "--format", "csv", cwd=tmp_path)
    rows = list(csv.DictReader(io.StringIO(completed.stdout)))
    formula = [row for row in rows if row["repo_id"].endswith("=1+2")]
    assert formula and all(row["repo_id"] == "'=1+2" for row in formula)  # shown, never computed
    rows = [row for row in rows if row not in formula]
    assert len(rows) == 4
    evil = next(row for row in rows if "HYPERLINK" in row["repo_id"])
    assert evil["repo_id"] == "acme/=HYPERLINK(\"http://evil\")"  # starts with `a`: harmless
    assert all(not value.startswith(("=", "+", "-", "@")) for row in rows for value in row.values())
    bert = next(row for row in rows if row["repo_id"] == "acme/bert-base-ner")
    assert (bert["url"], bert["downloads"], bert["suggested_name"]) == (
        "https://huggingface.co/acme/bert-base-ner", "900", "acme/roberta-base-ner")


def test_fail_on_makes_it_a_gate(tmp_path: Path) -> None:
    completed = hfname_guard("audit", "--from", write_records(tmp_path, RECORDS), "--fail-on", "error", cwd=tmp_path)
    assert completed.returncode == 1


@pytest.mark.parametrize(("line", "message"), [
    ("{not json", "records.jsonl:2: not a JSON record"),
    ('["a list"]', "records.jsonl:2: expected a JSON object with the model's `id`"),
    ('{"downloads": 3}', "records.jsonl:2: expected a JSON object with the model's `id`"),
])
def test_a_bad_record_is_a_usage_error_naming_its_line(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "records.jsonl"
    path.write_text(json.dumps(RECORDS[0]) + "\n" + line + "\n", encoding="utf-8")
    completed = hfname_guard("audit", "--from", str(path), cwd=tmp_path)
    assert completed.returncode == 2
    assert message in completed.stderr


def test_namespaces_or_records_not_both(tmp_path: Path) -> None:
    completed = hfname_guard("audit", "acme", "--from", write_records(tmp_path, RECORDS), cwd=tmp_path)
    assert completed.returncode == 2 and "not both" in completed.stderr


def test_an_audit_of_a_namespace_on_the_hub(tmp_path: Path) -> None:
    with FakeHub() as hub:
        hub.max_per_page = 500
        for record in RECORDS:
            hub.models[str(record["id"])] = {key: value for key, value in record.items() if key != "id"}
        hub.add_models("acme", [f"gpt2-small-v{number}" for number in range(1200)],
                       config={"model_type": "gpt2"}, cardData={"license": "mit", "pipeline_tag": "text-generation"})
        environment = {"HF_ENDPOINT": hub.url, "HF_HOME": str(tmp_path / "hf-home"), "HF_HUB_DISABLE_TELEMETRY": "1",
                       "HF_TOKEN": "", "HF_HUB_OFFLINE": ""}
        completed = hfname_guard("audit", "acme", "--format", "json", cwd=tmp_path, env=environment)
        report = json.loads(completed.stdout)
        listings = [request for request in hub.calls("GET", "/api/models") if request.expand]
        assert len(listings) == 3  # 1,204 models, 500 a page
        assert {"config", "cardData", "safetensors", "siblings", "downloads"} <= set(listings[0].expand)
        assert len(hub.calls("GET", "/api/models/")) == 0  # no request per model: the listing says it all
    assert len(report["targets"]) == 1204
    assert ("acme/bert-base-ner", "consistency/architecture") in {
        (finding["repo_id"], finding["rule"]) for finding in report["findings"]}
    assert "hfname-guard audit: 1,000 models (" in completed.stderr  # progress, for a log


def _hub_environment(hub: FakeHub, tmp_path: Path) -> dict[str, str]:
    return {"HF_ENDPOINT": hub.url, "HF_HOME": str(tmp_path / "hf-home"), "HF_HUB_DISABLE_TELEMETRY": "1",
            "HF_TOKEN": "", "HF_HUB_OFFLINE": ""}


def test_cards_are_fetched_read_as_files_and_cached_for_the_next_run(tmp_path: Path) -> None:
    """--cards reads each README itself (findings get their line), eight at a time; --cache keeps
    the listing and the READMEs, so a second run asks the Hub for nothing but its own checks."""
    with FakeHub() as hub:
        names = [f"llama-7b-chat-v{number}" for number in range(30)]
        for name in names:
            hub.models[f"acme/{name}"] = {"sha": "a" * 40, "cardData": {"license": "mit"},
                                          "siblings": [{"rfilename": "README.md"}]}
            hub.uploads[f"acme/{name}"] = {"README.md": b"---\nlicense: mit\npipeline_tag: text-generation\n"
                                                         b"license_name: x\nlicense: apache2\n---\n# card\n"}
        args = ("audit", "acme", "--cards", "--cache", str(tmp_path / "cache"), "--format", "json")
        first = hfname_guard(*args, cwd=tmp_path, env=_hub_environment(hub, tmp_path))
        fetched = {request.path for request in hub.calls("GET", "/acme/") if request.path.endswith("/README.md")}
        assert fetched == {f"/acme/{name}/resolve/{'a' * 40}/README.md" for name in names}  # at the listed commit
        report = json.loads(first.stdout)
        license_findings = [finding for finding in report["findings"] if finding["rule"] == "card/license"]
        assert len(license_findings) == 30 and {finding["line"] for finding in license_findings} == {5}
        hub.requests.clear()
        second = hfname_guard(*args, cwd=tmp_path, env=_hub_environment(hub, tmp_path))
        assert json.loads(second.stdout)["findings"] == report["findings"]
        assert [request for request in hub.requests if request.expand or request.path.endswith("README.md")] == []


def test_an_interrupted_listing_is_listed_again(tmp_path: Path) -> None:
    cache = tmp_path / "cache" / "records"
    cache.mkdir(parents=True)
    (cache / "acme.jsonl.partial").write_text(json.dumps({"id": "acme/half-listed"}) + "\n", encoding="utf-8")
    with FakeHub() as hub:
        hub.models["acme/llama-7b"] = {"cardData": {"license": "mit", "pipeline_tag": "text-generation"}}
        completed = hfname_guard("audit", "acme", "--cache", str(tmp_path / "cache"), "--format", "json",
                                 cwd=tmp_path, env=_hub_environment(hub, tmp_path))
        assert [target["repo_id"] for target in json.loads(completed.stdout)["targets"]] == ["acme/llama-7b"]
    assert (cache / "acme.jsonl").is_file() and not (cache / "acme.jsonl.partial").exists()


def test_a_rate_limit_is_waited_out(tmp_path: Path) -> None:
    with FakeHub() as hub:
        hub.models["acme/llama-7b"] = {"sha": "b" * 40, "siblings": [{"rfilename": "README.md"}]}
        hub.uploads["acme/llama-7b"] = {"README.md": b"---\nlicense: mit\npipeline_tag: text-generation\n---\n"}
        hub.fail(429, "Too Many Requests", headers={"Retry-After": "1"}, times=2)
        completed = hfname_guard("audit", "acme", "--cards", "--format", "json", cwd=tmp_path,
                                 env=_hub_environment(hub, tmp_path))
        assert completed.returncode == 0, completed.stderr
        assert json.loads(completed.stdout)["findings"] == []  # the card was read: license and task are there
        waits = [later.received - earlier.received for earlier, later in zip(hub.requests, hub.requests[1:])]
        assert sum(wait >= 1.0 for wait in waits) >= 2


def test_models_are_judged_eight_at_once_and_each_answer_asked_once(tmp_path: Path) -> None:
    """The hub/* rules wait on the Hub, so an audit judges several models at once; a base model
    that many cards name is still looked up once, and the report keeps the listing's order."""
    with FakeHub() as hub:
        hub.delay = 0.05
        names = [f"llama-7b-chat-v{number}" for number in range(24)]
        for number, name in enumerate(names):
            hub.models[f"acme/{name}"] = {
                "config": {"model_type": "llama"}, "siblings": FILES,
                "cardData": {"license": "mit", "pipeline_tag": "text-generation",
                             "base_model": f"acme/gone-base-{number % 6}"}}
        completed = hfname_guard("audit", "acme", "--format", "json", cwd=tmp_path,
                                 env=_hub_environment(hub, tmp_path))
        assert completed.returncode == 0, completed.stderr
        base_lookups = [request.path for request in hub.calls("GET", "/api/models/acme/gone-base-")]
        assert sorted(base_lookups) == [f"/api/models/acme/gone-base-{number}" for number in range(6)]
        assert len(hub.calls("POST", "/api/validate-yaml")) == 6  # six distinct cards
        assert hub.most_in_flight > 1
    report = json.loads(completed.stdout)
    assert [target["repo_id"] for target in report["targets"]] == [f"acme/{name}" for name in names]
    missing = {finding["repo_id"] for finding in report["findings"] if finding["rule"] == "hub/base-model"}
    assert missing == {f"acme/{name}" for name in names}


def test_judging_several_models_at_once_gives_the_same_report() -> None:
    from hfname_guard.checker import check
    from hfname_guard.hub_records import HubRecord
    from hfname_guard.policy import Policies
    from hfname_guard.targets import Target

    records = [HubRecord(record) for record in RECORDS * 20]
    targets = [Target(record.repo_id, None, "Hub record", record=record) for record in records]
    one_at_a_time = check(targets, Policies(), keep_facts=True)
    assert one_at_a_time.findings and one_at_a_time.exceptions == ()
    assert check(targets, Policies(), keep_facts=True, workers=4) == one_at_a_time


TASK_WORDS = ("chat", "instruct", "code", "math", "summarization", "translation", "sql", "medical", "legal", "finance")


def _published(card: dict[str, object], **fields: object) -> tuple[dict[str, object], bytes]:
    """A listed model of a realistic namespace, and its README.md (the same metadata)."""
    metadata = {"license": "apache-2.0", "pipeline_tag": "text-generation", "language": ["en"], **card}
    readme = "---\n" + "".join(f"{key}: {json.dumps(value)}\n" for key, value in metadata.items()) + "---\n# Model\n"
    record = {"sha": "c" * 40, "config": {"model_type": "mistral"}, "cardData": metadata,
              "siblings": [*FILES], "safetensors": {"parameters": {"BF16": 7_240_000_000}, "total": 7_240_000_000},
              **fields}
    return record, readme.encode()


def realistic_namespace() -> tuple[dict[str, tuple[dict[str, object], bytes]], dict[str, set[str]]]:
    """260 models of `acme`: 200 good names, ten of each kind of violation, ten without a config,
    ten gated; and the rules each model must be flagged by (none for the good ones)."""
    models: dict[str, tuple[dict[str, object], bytes]] = {}
    expected: dict[str, set[str]] = {}
    for task in TASK_WORDS:
        for version in range(1, 21):
            models[f"acme/mistral-7b-{task}-v{version}"] = _published({})
    for number in range(10):
        violations = {
            f"acme/bert-base-ner-{number}": (_published(
                {"pipeline_tag": "token-classification"}, config={"model_type": "roberta"},
                safetensors={"parameters": {"F32": 124_000_000}, "total": 124_000_000}), {"consistency/architecture"}),
            f"acme/mistral-7b-chat-test-{number}": (_published({}), {"name/forbidden"}),
            f"acme/llama-7b-chat-{number}": (_published(
                {}, config={"model_type": "llama"}, safetensors={"parameters": {"BF16": 1_100_000_000},
                                                                  "total": 1_100_000_000}), {"consistency/size"}),
            f"acme/mistral-7b-legal-de-{number}": (_published({}), {"consistency/language"}),
            f"acme/mistral-7b-sql-apache-{number}": (_published({"license": "Apache 2.0"}),
                                                     {"card/license", "hub/card-validation"}),
        }
        for repo_id, (model, rules) in violations.items():
            models[repo_id] = model
            expected[repo_id] = rules
        record, readme = _published({})
        models[f"acme/mistral-7b-math-noconfig-{number}"] = (
            {key: value for key, value in record.items() if key != "config"}, readme)
        models[f"acme/mistral-7b-code-gated-{number}"] = _published({}, gated="manual")
    return models, expected


def _serve(hub: FakeHub, models: dict[str, tuple[dict[str, object], bytes]]) -> None:
    for repo_id, (record, readme) in models.items():
        hub.models[repo_id] = record
        hub.uploads[repo_id] = {"README.md": readme}


def _readme_fetches(hub: FakeHub) -> list[str]:
    return [request.path for request in hub.calls("GET", "/acme/") if request.path.endswith("/README.md")]


def test_a_realistic_namespace_across_pages_a_rate_limit_and_an_interruption(tmp_path: Path) -> None:
    """A namespace as organizations have them, listed in three pages with a 429 on the second:
    every kind of violation is found on its models and nowhere else; an audit interrupted with
    Ctrl-C stops cleanly, and the next run fetches only the READMEs the first did not keep."""
    models, expected = realistic_namespace()
    args = ["audit", "acme", "--cards", "--cache", str(tmp_path / "cache"), "--format", "json"]
    with FakeHub() as hub:
        hub.max_per_page = 100
        _serve(hub, models)
        hub.delay = 0.01
        environment = {**os.environ, **_hub_environment(hub, tmp_path), "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
        interrupted = subprocess.Popen([sys.executable, "-m", "hfname_guard", *args], cwd=tmp_path, env=environment,
                                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 60
        while len(_readme_fetches(hub)) < 40 and interrupted.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        interrupted.send_signal(signal.SIGINT)
        _, errors = interrupted.communicate(timeout=30)
        assert interrupted.returncode == 130 and "Traceback" not in errors
        kept = {path.parent.name for path in (tmp_path / "cache" / "cards").glob("*/*.md")}
        assert 40 <= len(kept) < len(models)
        assert not (tmp_path / "cache" / "records" / "acme.jsonl").exists()  # a listing cut short is not kept

        hub.requests.clear()
        hub.delay = 0
        hub.fail(429, "Too Many Requests", headers={"Retry-After": "1"},
                 when=lambda request: bool(request.expand) and "cursor" in request.query)
        completed = hfname_guard(*args, cwd=tmp_path, env=_hub_environment(hub, tmp_path))
        assert completed.returncode == 0, completed.stderr
        fetched = {path.split("/")[2] for path in _readme_fetches(hub)}
        assert not fetched & {name.replace("acme_", "", 1) for name in kept}  # what the cache kept is not fetched
        assert len(fetched) + len(kept) == len(models)
        pages = [request for request in hub.calls("GET", "/api/models") if request.expand]
        assert len(pages) == 4  # three pages, the second asked twice: its 429 waited out
    report = json.loads(completed.stdout)
    jsonschema.validate(report, REPORT_SCHEMA)
    assert [target["repo_id"] for target in report["targets"]] == list(models)
    flagged: dict[str, set[str]] = {}
    for finding in report["findings"]:
        if finding["severity"] == "error":
            flagged.setdefault(finding["repo_id"], set()).add(finding["rule"])
    assert flagged == expected

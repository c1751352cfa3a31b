"""Numbers where counts belong: integers past Python's digit limit, floats, NaN and Infinity, and
tensor shapes that disagree with their bytes are each an ``artifacts/corrupt`` problem that names
the file, the key and what was expected (at line and column where the reader knows it), never
an exception."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from guards import hfname_guard
from hypothesis import given, settings
from hypothesis import strategies as st

from hfname_guard.artifacts.adapter import read_adapter
from hfname_guard.artifacts.config import read_config
from hfname_guard.artifacts.problem import CORRUPT, ArtifactProblem
from hfname_guard.artifacts.safetensors import DTYPE_BITS, parse_header, read_weights

ROOT = Path(__file__).resolve().parents[2]
LIMIT = sys.get_int_max_str_digits()
HUGE = "7" * (LIMIT + 700)  # one integer too long for int(), as JSON text


def write_json(path: Path, text: str) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return str(path)


def only_problem(result: tuple[object, list[ArtifactProblem]]) -> ArtifactProblem:
    _, problems = result
    assert len(problems) == 1, problems
    assert problems[0].kind == CORRUPT
    return problems[0]


# ----- integers longer than Python reads ---------------------------------------------------------


TOO_LONG = (f"holds an integer of {LIMIT + 700:,} digits, more than Python's JSON reader accepts ({LIMIT:,}), "
            "so transformers cannot load it either; expected a number of ordinary size")


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        (f'{{"hidden_size": {HUGE}}}', 1, 17),
        (f'{{\n  "note": "{HUGE}",\n  "vocab_size": -{HUGE}\n}}', 3, 17),  # digits in a string are text
        (f'{{"a": [1.5, {HUGE}.5, 2e{HUGE}],\n "b": {HUGE}}}', 2, 7),  # floats have no digit limit
    ],
)
def test_an_integer_past_the_digit_limit_is_a_problem_at_its_line_and_column(
    tmp_path: Path, text: str, line: int, column: int
) -> None:
    path = write_json(tmp_path / "config.json", text)
    assert only_problem(read_config(str(tmp_path))) == ArtifactProblem(
        path, f"config.json {TOO_LONG}", CORRUPT, line=line, column=column
    )


def test_every_json_file_reads_a_long_integer_the_same_way(tmp_path: Path) -> None:
    write_json(tmp_path / "adapter" / "adapter_config.json", f'{{"r": {HUGE}}}')
    write_json(tmp_path / "index" / "model.safetensors.index.json", f'{{"metadata": {{"total_size": {HUGE}}}}}')
    assert only_problem(read_adapter(str(tmp_path / "adapter"))).message == f"adapter_config.json {TOO_LONG}"
    problem = only_problem(read_weights(str(tmp_path / "index")))
    assert problem.message == f"model.safetensors.index.json {TOO_LONG}"
    assert (problem.line, problem.column) == (1, 29)


def test_a_long_integer_in_a_safetensors_header_is_a_problem_at_its_offset() -> None:
    raw = f'{{"w": {{"dtype": "F32", "shape": [{HUGE}], "data_offsets": [0, 4]}}}}'.encode()
    header, message = parse_header(raw, 4)
    assert header is None
    assert message == (f"the header holds an integer of {LIMIT + 700:,} digits, more than Python's JSON reader "
                       f"accepts ({LIMIT:,}) at offset {8 + raw.index(b'7'):,}; expected a number of ordinary size")


# ----- floats, NaN, Infinity and huge integers where counts belong -------------------------------


@pytest.mark.parametrize(
    ("written", "shown", "expected"),
    [
        ("NaN", "NaN", "a non-negative integer"),
        ("Infinity", "Infinity", "a non-negative integer"),
        ("-Infinity", "-Infinity", "a non-negative integer"),
        ("1e999", "Infinity", "a non-negative integer"),  # a float too large is Infinity in Python
        ("768.0", "768.0", "a non-negative integer"),
        ("true", None, "a non-negative integer"),
        ("18446744073709551616", "18446744073709551616", "a non-negative integer that fits in 64 bits"),
        ("1" + "0" * 400, "an integer of 401 digits", "a non-negative integer that fits in 64 bits"),
    ],
)
def test_config_counts_must_be_integers_that_fit(tmp_path: Path, written: str, shown: str | None, expected: str) -> None:
    write_json(tmp_path / "config.json", f'{{"model_type": "bert", "hidden_size": {written}}}')
    facts, problems = read_config(str(tmp_path))
    assert facts is not None and facts.hidden_size is None and facts.model_type == "bert"
    value = "a boolean (true)" if shown is None else f"a number ({shown})"
    assert [problem.message for problem in problems] == [f"`hidden_size` is {value}; expected {expected}"]


def test_the_largest_64_bit_count_is_a_count(tmp_path: Path) -> None:
    write_json(tmp_path / "config.json", f'{{"vocab_size": {2**63 - 1}}}')
    facts, problems = read_config(str(tmp_path))
    assert problems == [] and facts is not None and facts.vocab_size == 2**63 - 1


@pytest.mark.parametrize(("written", "shown"), [("NaN", "NaN"), ("8.0", "8.0"), ("1e999", "Infinity"), ("-8", "-8")])
def test_an_adapter_rank_must_be_a_count(tmp_path: Path, written: str, shown: str) -> None:
    """``lora_alpha`` is no fact hfname-guard reads, so whatever it holds is no problem of its."""
    write_json(tmp_path / "adapter_config.json", f'{{"peft_type": "LORA", "r": {written}, "lora_alpha": NaN}}')
    facts, problems = read_adapter(str(tmp_path))
    assert facts is not None and facts.rank is None and facts.peft_type == "LORA"
    assert [problem.message for problem in problems] == [f"`r` is a number ({shown}); expected a non-negative integer"]


@pytest.mark.parametrize(
    ("metadata", "message"),
    [
        ('{"total_size": 1.5}', "`metadata.total_size` is a number (1.5); expected a non-negative integer"),
        ('{"total_size": NaN}', "`metadata.total_size` is a number (NaN); expected a non-negative integer"),
        ('{"total_size": -1}', "`metadata.total_size` is a number (-1); expected a non-negative integer"),
        ('{"total_size": true}', "`metadata.total_size` is a boolean (true); expected a non-negative integer"),
        ('{"total_size": "8"}', "`metadata.total_size` is a string ('8'); expected a non-negative integer"),
        ('{"total_size": 1' + "0" * 30 + "}",
         "`metadata.total_size` is a number (an integer of 31 digits); expected a non-negative integer that fits in 64 bits"),
        ('[1]', "has `metadata` that is an array; expected an object such as {\"total_size\": 16060522496}"),
    ],
)
def test_an_index_total_size_must_be_a_count(tmp_path: Path, metadata: str, message: str) -> None:
    index = write_json(tmp_path / "model.safetensors.index.json",
                       f'{{"metadata": {metadata}, "weight_map": {{"a": "model-1.safetensors"}}}}')
    problem = only_problem(read_weights(str(tmp_path)))
    assert problem.file == index
    assert problem.message.startswith("model.safetensors.index.json")
    assert problem.message.endswith(message)


# ----- tensor shapes against their bytes ---------------------------------------------------------


def header(dtype: object, shape: object, offsets: list[int]) -> bytes:
    return json.dumps({"w": {"dtype": dtype, "shape": shape, "data_offsets": offsets}}).encode()


@pytest.mark.parametrize(
    ("dtype", "shape", "offsets", "message"),
    [
        ("F32", [2, 3], [0, 20],
         "tensor 'w' has `shape` [2, 3] of F32, which takes 24 bytes, but `data_offsets` span 20 bytes; "
         "expected the two to agree"),
        ("BF16", [], [0, 4], "tensor 'w' has `shape` [] of BF16, which takes 2 bytes, but `data_offsets` span 4 bytes"),
        ("F4", [3], [0, 2], "tensor 'w' has `shape` [3] of F4, which takes 12 bits, but `data_offsets` span 2 bytes"),
        ("F32", [10**18] * 4, [0, 64],
         "tensor 'w' has `shape` [1000000000000000000, 1000000000000000000, 10000000000000..., "
         "more elements than its 64 bytes of `data_offsets` can hold"),
        ("F32", [2**64, 0], [0, 4], "tensor 'w' has `shape` [18446744073709551616, 0] of F32, which takes 0 bytes"),
        ("X9", [65], [0, 8], "tensor 'w' has `shape` [65], more elements than its 8 bytes of `data_offsets` can hold"),
        ("F32", [float("nan")], [0, 4], "tensor 'w' has `shape` [NaN]; expected an array of non-negative integers"),
        ("F32", [2.0], [0, 8], "tensor 'w' has `shape` [2.0]; expected an array of non-negative integers"),
        ("F32", [2], [0.0, 8], "tensor 'w' has `data_offsets` [0.0, 8]; expected [begin, end]"),
        ("F32", [True, 2], [0, 8], "tensor 'w' has `shape` [true, 2]; expected an array of non-negative integers"),
    ],
)
def test_a_shape_that_disagrees_with_its_bytes_is_corrupt(dtype: str, shape: list, offsets: list, message: str) -> None:
    parsed, problem = parse_header(header(dtype, shape, offsets), 64)
    assert parsed is None
    assert problem is not None and problem.startswith(message)


@pytest.mark.parametrize(
    ("dtype", "shape", "size"),
    [("F4", [4, 2], 4), ("F6_E2M3", [4], 3), ("C64", [2], 16), ("BOOL", [5], 5), ("X9", [7], 1), ("F32", [0, 10**30], 0)],
)
def test_sub_byte_complex_and_unknown_dtypes_that_fit_are_read(dtype: str, shape: list[int], size: int) -> None:
    parsed, problem = parse_header(header(dtype, shape, [0, size]), size)
    assert problem is None and parsed is not None
    assert parsed.tensors["w"] == (dtype, tuple(shape))


def test_a_shape_of_a_million_huge_dimensions_costs_little() -> None:
    raw = header("F32", [2**62] * 1_000_000, [0, 8])
    parsed, problem = parse_header(raw, 8)
    assert parsed is None and problem is not None and "more elements than its 8 bytes" in problem


# ----- never an exception ------------------------------------------------------------------------

json_numbers = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.floats(allow_nan=False, allow_infinity=False).map(repr),
    st.sampled_from(["NaN", "Infinity", "-Infinity", "1e999", "-0", "0.0", "true", "false", "null", '"12"',
                     "[]", "{}", HUGE, "-" + HUGE, HUGE + ".0", "1e" + HUGE]),
)
COUNT_KEYS = ("hidden_size", "d_model", "num_hidden_layers", "n_layer", "num_attention_heads", "vocab_size")


@settings(max_examples=150, deadline=None)
@given(values=st.dictionaries(st.sampled_from(COUNT_KEYS), json_numbers, max_size=4), rank=json_numbers,
       total=json_numbers)
def test_any_json_number_in_a_count_field_is_a_count_or_a_problem(
    tmp_path_factory: pytest.TempPathFactory, values: dict[str, str], rank: str, total: str
) -> None:
    folder = tmp_path_factory.mktemp("numbers")
    body = ", ".join(f'"{key}": {value}' for key, value in values.items())
    write_json(folder / "config.json", f'{{"model_type": "bert"{", " if body else ""}{body}}}')
    write_json(folder / "adapter_config.json", f'{{"r": {rank}}}')
    write_json(folder / "model.safetensors.index.json", f'{{"metadata": {{"total_size": {total}}}, "weight_map": {{"a": "gone.safetensors"}}}}')
    for facts, problems in (read_config(str(folder)), read_adapter(str(folder)), read_weights(str(folder))):
        assert all(problem.kind == CORRUPT and problem.message.isprintable() for problem in problems)
        counts = [getattr(facts, name, None) for name in ("hidden_size", "num_hidden_layers", "vocab_size", "rank")]
        assert all(count is None or (type(count) is int and 0 <= count < 2**63) for count in counts)


shape_numbers = st.one_of(st.integers(min_value=-5, max_value=2**70), st.floats(), st.booleans(), st.none())


@settings(max_examples=200, deadline=None)
@given(dtype=st.sampled_from([*DTYPE_BITS, "X9", ""]), shape=st.lists(shape_numbers, max_size=6),
       begin=st.integers(0, 64), length=st.integers(0, 64))
def test_any_shape_gives_a_header_whose_tensor_fits_or_a_reason(dtype: str, shape: list, begin: int, length: int) -> None:
    parsed, problem = parse_header(header(dtype, shape, [begin, begin + length]), 128)
    assert (parsed is None) != (problem is None)
    if parsed is not None:
        elements = 1
        for dimension in parsed.tensors["w"][1]:
            elements *= dimension
        assert elements <= 8 * length
        if dtype in DTYPE_BITS:
            assert elements * DTYPE_BITS[dtype] == 8 * length


# ----- the command line --------------------------------------------------------------------------


def test_the_command_reports_broken_numbers_as_findings(tmp_path: Path) -> None:
    folder = tmp_path / "bert-base-v1"
    write_json(folder / "config.json", f'{{"model_type": "bert",\n "hidden_size": {HUGE}}}')
    write_json(folder / "adapter_config.json", '{"peft_type": "LORA", "r": NaN}')
    raw = header("F32", [2, 3], [0, 20])
    (folder / "model.safetensors").write_bytes(len(raw).to_bytes(8, "little") + raw + b"\0" * 20)
    result = hfname_guard("check", str(folder), "--repo-id", "acme/bert-base-v1", "--format", "json", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    corrupt = {(Path(f["file"]).name, f["line"]): f["message"]
               for f in json.loads(result.stdout)["findings"] if f["rule"] == "artifacts/corrupt"}
    assert corrupt[("config.json", 2)].startswith(f"config.json holds an integer of {LIMIT + 700:,} digits")
    assert corrupt[("adapter_config.json", None)] == "`r` is a number (NaN); expected a non-negative integer"
    assert "which takes 24 bytes, but `data_offsets` span 20 bytes" in corrupt[("model.safetensors", None)]

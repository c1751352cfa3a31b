"""How long reading a 70B-sized GGUF file's facts takes, and how many of its bytes are read.

    python benchmarks/bench_gguf.py [--runs 20]

Method. The `gguf` package's own writer (the tests' dependency, maintained with llama.cpp) writes
the header of a Llama-3-70B-shaped file: the general.* metadata, a 128,256-token vocabulary with
its scores and types (arrays of strings and of numbers, as in real files), 280,147 merges, and the
infos of its 723 tensors (80 layers, Q4_K_M-sized). The file is then extended, sparse, to the
42.5 GB a real Q4_K_M of it takes, without writing a byte of data. Each run reads it with
``hfname_guard.artifacts.gguf.read_gguf`` in this process (cold in the sense that matters: the
reader allocates nothing the header does not hold), and the bytes read are counted with the
operating system's per-process I/O counters where it has them.

Yardstick. Reading the header's bytes alone, in one ``read`` of exactly that length, in the same
run: what any reader must at least do. Aim (issue 17): under 100 ms, whatever the file's size.
Exits 1 when the median is over it.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hfname_guard.artifacts.gguf import read_gguf  # noqa: E402

AIM_MS = 100.0
FILE_BYTES = 42_500_000_000
LAYERS = 80
HIDDEN, FEED_FORWARD, VOCABULARY, KV_HEADS_WIDTH = 8192, 28672, 128_256, 1024
MERGES = 280_147


def write_header(path: Path) -> int:
    """A Llama-3-70B-shaped GGUF header at ``path``, the file extended sparse; the header's length."""
    import gguf
    import numpy as np

    writer = gguf.GGUFWriter(str(path), arch="llama")
    writer.add_name("Llama 3.1 70B Instruct")
    writer.add_basename("Llama-3.1")
    writer.add_size_label("70B")
    writer.add_finetune("Instruct")
    writer.add_file_type(15)
    writer.add_block_count(LAYERS)
    writer.add_embedding_length(HIDDEN)
    writer.add_tokenizer_model("gpt2")
    writer.add_token_list([f"token{index}" for index in range(VOCABULARY)])
    writer.add_token_types([1] * VOCABULARY)
    writer.add_token_merges([f"t{index} o{index}" for index in range(MERGES)])
    f16 = np.dtype(np.float16)
    shapes = {"token_embd.weight": (VOCABULARY, HIDDEN), "output.weight": (VOCABULARY, HIDDEN),
              "output_norm.weight": (HIDDEN,)}
    for layer in range(LAYERS):
        block = f"blk.{layer}"
        shapes |= {
            f"{block}.attn_q.weight": (HIDDEN, HIDDEN), f"{block}.attn_k.weight": (KV_HEADS_WIDTH, HIDDEN),
            f"{block}.attn_v.weight": (KV_HEADS_WIDTH, HIDDEN), f"{block}.attn_output.weight": (HIDDEN, HIDDEN),
            f"{block}.ffn_gate.weight": (FEED_FORWARD, HIDDEN), f"{block}.ffn_up.weight": (FEED_FORWARD, HIDDEN),
            f"{block}.ffn_down.weight": (HIDDEN, FEED_FORWARD), f"{block}.attn_norm.weight": (HIDDEN,),
            f"{block}.ffn_norm.weight": (HIDDEN,),
        }
    for name, shape in shapes.items():
        count = 1
        for size in shape:
            count *= size
        writer.add_tensor_info(name, shape, f16, count * 2)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_ti_data_to_file()
    writer.close()
    header = path.stat().st_size
    os.truncate(path, FILE_BYTES)
    return header


def bytes_read() -> int | None:
    try:
        with open("/proc/self/io", encoding="ascii") as counters:
            return next(int(line.split()[1]) for line in counters if line.startswith("rchar:"))
    except (OSError, StopIteration):
        return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20, help="reads of each (default 20)")
    arguments = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-gguf-") as folder:
        path = Path(folder, "Llama-3.1-70B-Instruct-Q4_K_M.gguf")
        header = write_header(path)
        reads: list[float] = []
        raw: list[float] = []
        read_bytes: list[int] = []
        for _ in range(arguments.runs):
            before, start = bytes_read(), time.perf_counter()
            facts, problem = read_gguf(str(path))
            reads.append(time.perf_counter() - start)
            after = bytes_read()
            if before is not None and after is not None:
                read_bytes.append(after - before)
            if facts is None:
                print(f"read_gguf failed: {problem}", file=sys.stderr)
                return 1
            start = time.perf_counter()
            with open(path, "rb") as handle:
                handle.read(header)
            raw.append(time.perf_counter() - start)
    median, yardstick = statistics.median(reads) * 1000, statistics.median(raw) * 1000
    print(f"file {FILE_BYTES / 1e9:.1f} GB (sparse), header {header / 1e6:.1f} MB, {facts.tensors} tensors, "
          f"{facts.parameters / 1e9:.1f} B parameters, {facts.file_type}")
    if read_bytes:
        typical = statistics.median(read_bytes)
        print(f"bytes read per file: {typical / 1e6:.1f} MB ({typical / header:.2f} of the header)")
    print(f"read_gguf median {median:.1f} ms; reading the header's bytes alone {yardstick:.1f} ms "
          f"(ratio {median / yardstick:.1f}); aim: under {AIM_MS:.0f} ms: {'met' if median < AIM_MS else 'MISSED'}")
    return 0 if median < AIM_MS else 1


if __name__ == "__main__":
    raise SystemExit(main())

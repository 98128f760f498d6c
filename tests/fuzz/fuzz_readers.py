"""Coverage-guided fuzzing of the text readers and the whole pipeline on text input.

Not collected by pytest (no ``test_`` prefix): run it by hand, e.g. for five minutes::

    pip install atheris
    python tests/fuzz/fuzz_readers.py tests/fuzz/corpus -dict=tests/fuzz/tokens.dict \\
        -max_total_time=300 -timeout=10 -max_len=16384 -rss_limit_mb=2048

(``tests/fuzz/corpus`` may be an empty folder: the seed Markdown and HTML and a few small
documents are added to it first, so mutations start from real disclosures.)

Each input is fed, depending on its first byte, to the Markdown reader, the HTML reader,
or ``budget_extract.extract`` on a file named ``.md``/``.html``/``.txt`` (sniffing,
decoding, segmenting, tables, checks and every emitter).  Anything raised other than
``ExtractError`` — the tool's one documented error — is a finding, and so is an input
that takes longer than ``-timeout`` seconds.  Results are recorded in docs/robustness.md.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

import atheris

with atheris.instrument_imports():
    from budget_extract.api import extract, facts
    from budget_extract.emit.bundle import render_outputs
    from budget_extract.errors import ExtractError
    from budget_extract.readers.html import read_html
    from budget_extract.readers.markdown import read_markdown_text
    from budget_extract.readers.text import decode_text

HERE = Path(__file__).resolve().parent
FIXTURES = HERE.parent.parent / "fixtures"
TMP = tempfile.mkdtemp(prefix="fuzz-", dir="/dev/shm" if os.path.isdir("/dev/shm") else None)
SUFFIXES = [".md", ".html", ".txt"]


def one_input(data: bytes) -> None:
    """Run one input through the stage its first byte picks; only ExtractError may escape."""
    if not data:
        return
    mode, body = data[0] % 5, data[1:]
    try:
        if mode == 0:
            blocks, warnings = read_markdown_text(decode_text(body)[0])
            assert isinstance(blocks, list) and isinstance(warnings, list)
        elif mode == 1:
            blocks, warnings = read_html(decode_text(body)[0])
            for b in blocks:
                if b.grid is not None:
                    assert all(0 <= c.col < max(b.grid.n_cols, 1) for c in b.grid.cells)
        else:
            path = os.path.join(TMP, "input" + SUFFIXES[mode - 2])
            with open(path, "wb") as f:
                f.write(body)
            doc = extract(path)
            render_outputs(doc, xlsx=(data[0] & 0x80) != 0)
            facts(doc)
    except ExtractError:
        pass


def seed(corpus: str) -> None:
    """Put the seed disclosures and a few small, sharp documents into the corpus."""
    os.makedirs(corpus, exist_ok=True)
    for i, name in enumerate(["huaibei-hrss-info-center-2026-budget.md",
                              "huaibei-hrss-info-center-2026-budget.html"]):
        data = (FIXTURES / name).read_bytes()
        for mode in ((0, 2) if i == 0 else (1, 3)):
            Path(corpus, f"seed-{mode}-{name}").write_bytes(bytes([mode]) + data[:16000])
    small = (HERE / "small.md").read_bytes()
    for mode in range(5):
        Path(corpus, f"small-{mode}").write_bytes(bytes([mode]) + small)


def main() -> None:
    args = [a for a in sys.argv if not a.startswith("-")]
    if len(args) > 1:
        seed(args[1])
    try:
        atheris.Setup(sys.argv, one_input)
        atheris.Fuzz()
    finally:
        shutil.rmtree(TMP, ignore_errors=True)


if __name__ == "__main__":
    main()

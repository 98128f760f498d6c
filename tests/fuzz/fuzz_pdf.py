"""Coverage-guided fuzzing of the PDF reader (``readers.pdf.read``) on mutated small PDFs.

Not collected by pytest.  Run by hand (see docs/robustness.md)::

    python tests/fuzz/fuzz_pdf.py /tmp/fuzz-pdf -max_total_time=180 -timeout=20 \\
        -max_len=8192 -rss_limit_mb=3072

The corpus starts from the hand-written PDFs of ``tests/bad_inputs.py`` (uncompressed, so
mutations hit the syntax): the tiny budget, the same encrypted with an empty password, a
notice with a table.  Anything raised other than ``ExtractError`` is a finding, and so is
an input slower than ``-timeout`` or one that kills the process (PDFium runs in C).

``FUZZ_PDF_ENGINE=pdfplumber`` fuzzes the pdfplumber engine; the default is PDFium, the
reader's default (files it must not read still go to pdfplumber, as in use).

Most mutations of a whole file move its objects off the offsets its cross-reference table
gives, and such a file is not sound for PDFium (:mod:`budget_extract.readers.pdf.soundness`):
pdfplumber reads it.  ``FUZZ_PDF_INPUT=content`` fuzzes PDFium itself: each input is one
page's content stream, wrapped by the harness in a well-formed file (fonts /F1 and /F2,
a correct cross-reference table), so that every input reaches PDFium's content parser,
text page and page objects, and the reader's page model built from them.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

with atheris.instrument_imports():
    import bad_inputs as bi

    from budget_extract.errors import ExtractError
    from budget_extract.readers import pdf


ENGINE = os.environ.get("FUZZ_PDF_ENGINE", "pdfium")
CONTENT = os.environ.get("FUZZ_PDF_INPUT", "file") == "content"


def one_input(data: bytes) -> None:
    if CONTENT:
        data = bi.pdf_bytes([data])
    try:
        src = pdf.read(data, "input.pdf", engine=ENGINE)
        assert src.pages and src.blocks
    except ExtractError:
        pass


def seed(corpus: str) -> None:
    os.makedirs(corpus, exist_ok=True)
    if CONTENT:
        Path(corpus, "budget.content").write_bytes(bi.budget_page())
        Path(corpus, "notice.content").write_bytes(bi.notice_page())
        return
    Path(corpus, "budget.pdf").write_bytes(bi.pdf_bytes([bi.budget_page()]))
    Path(corpus, "encrypted.pdf").write_bytes(bi.pdf_bytes([bi.budget_page()],
                                                           user_password=""))
    Path(corpus, "notice.pdf").write_bytes(bi.pdf_bytes([bi.notice_page()]))


def main() -> None:
    args = [a for a in sys.argv if not a.startswith("-")]
    if len(args) > 1:
        seed(args[1])
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()

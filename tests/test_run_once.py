"""Each step of the pipeline side is done once, and what it found reaches every caller.

The input is read and hashed once per job (the batch's hash reused while the file is the
one it hashed), the review page draws the bytes that were parsed, the reader's warnings
are in ``Document.warnings`` for a script as in ``S.json``, and a later run's options
leave no file of an earlier run behind.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import threading
from pathlib import Path

import bad_inputs as bi
import pytest

import budget_extract
from budget_extract import api
from budget_extract.batch import BatchOptions, run_batch
from budget_extract.emit.bundle import write_rendered
from budget_extract.inputs import hash_input
from budget_extract.jobs import BatchJob, run_job

SEED_MD = bi.SEED_MD
SEED_PDF = bi.SEED_PDF
STEM = SEED_MD.stem


def _job(path: Path, sha256: str = "", xlsx: bool = False, **kw: object) -> BatchJob:
    return BatchJob(path=str(path), source_path=path.name, document=path.stem,
                    sha256=sha256, mode="extract", xlsx=xlsx, **kw)  # type: ignore[arg-type]


# ------------------------------------------------------------------ warnings, one list


def test_the_readers_warnings_are_the_documents_for_a_script(tmp_path):
    """The seed's Markdown saved as ``.pdf``: the reader says so, and a script calling
    ``budget_extract.extract`` sees it in ``doc.warnings``, as ``S.json`` lists it (once)."""
    named = tmp_path / "seed.pdf"
    named.write_bytes(SEED_MD.read_bytes())
    doc = budget_extract.extract(named)
    said = "the file is named .pdf but holds Markdown; it was read as Markdown"
    assert doc.warnings.count(said) == 1
    assert json.loads(api.to_json(doc))["warnings"] == doc.warnings
    assert api.records(doc)["documents"][0]["warnings"] == len(doc.warnings)


def test_hidden_text_dropped_is_in_the_documents_warnings(tmp_path):
    from test_hostile import hidden_text_pdf

    doc = budget_extract.extract(hidden_text_pdf(tmp_path), pdf_engine="pdfplumber")
    assert "hidden text not read: 1 character(s) invisible (rendering mode 3) on page 1 (a " \
           "viewer does not show them)" in doc.warnings


# ------------------------------------------------------------------ hashed once


def test_the_batchs_hash_is_reused_only_for_the_file_it_hashed(tmp_path):
    """A job carrying the batch's hash and the file's stamp does not hash the file again
    (a made-up hash shows it was taken as given); once the file is rewritten after the
    hashing, its stamp differs and the job hashes the bytes it read."""
    src = tmp_path / "seed.md"
    src.write_bytes(SEED_MD.read_bytes())
    real, stamp = hash_input(str(src))
    assert real == hashlib.sha256(SEED_MD.read_bytes()).hexdigest()
    given = "0" * 64
    res = run_job(_job(src, sha256=given, stamp=stamp))
    assert res.ok, res.error
    assert json.loads(res.files["seed.json"])["source"]["sha256"] == given

    src.write_bytes(SEED_MD.read_bytes() + b"\n")  # changed since it was hashed
    res = run_job(_job(src, sha256=given, stamp=stamp))
    assert json.loads(res.files["seed.json"])["source"]["sha256"] == \
        hashlib.sha256(SEED_MD.read_bytes() + b"\n").hexdigest()


def test_utf16_text_is_hashed_as_given(tmp_path):
    """UTF-16 is re-encoded once, for sniffing and reading; the hash is of the file."""
    path = tmp_path / "seed.md"
    data = SEED_MD.read_text(encoding="utf-8").encode("utf-16")
    path.write_bytes(data)
    doc = budget_extract.extract(path)
    assert doc.source.sha256 == hashlib.sha256(data).hexdigest()
    assert [t.kind for t in doc.tables] == [t.kind for t in budget_extract.extract(SEED_MD).tables]


# ------------------------------------------------------------------ the review page


def test_the_review_page_draws_the_bytes_that_were_parsed(tmp_path, monkeypatch):
    """The job reads the input once; the review page's images come from those bytes, not
    from opening the path again."""
    from budget_extract.emit import page_images

    seen: list[object] = []
    real = page_images.render_pages

    def spy(pdf, pages, **kw):
        seen.append(pdf)
        return real(pdf, pages, **kw)

    monkeypatch.setattr(page_images, "render_pages", spy)
    monkeypatch.setattr("budget_extract.emit.review_html.render_pages", spy)
    res = run_job(_job(SEED_PDF, review=True))
    assert res.ok, res.error
    assert seen == [SEED_PDF.read_bytes()]
    assert b"data:image/" in res.files[f"{SEED_PDF.stem}.html"]


def test_no_review_removes_an_earlier_review_page_but_keeps_the_workbook(tmp_path):
    """A document written as ``batch`` writes it (review page, workbook), then again as a
    plain ``extract --no-review`` writes it (neither): the old ``S.html`` (a view of the
    other extraction) does not stay beside the new ``S.json``; the workbook, which this
    run was not asked about (``extract`` writes none by default), is left as it was."""
    out = tmp_path / "out"
    write_rendered(str(out), run_job(_job(SEED_MD, review=True, xlsx=True)).files)
    workbook = (out / f"{STEM}.xlsx").read_bytes()
    assert (out / f"{STEM}.html").is_file() and workbook.startswith(b"PK")
    again = run_job(_job(SEED_MD, review=False)).files
    assert f"{STEM}.xlsx" not in again and f"{STEM}.html" not in again
    write_rendered(str(out), again)
    assert sorted(p.name for p in out.iterdir() if p.is_file()) == [
        f"{STEM}.facts.csv", f"{STEM}.json", f"{STEM}.xlsx"]
    assert (out / f"{STEM}.xlsx").read_bytes() == workbook


def test_write_outputs_writes_the_review_page_on_request(tmp_path, extracted):
    doc = extracted(SEED_PDF)  # the session's copy: writing without xlsx changes nothing
    out = tmp_path / "out"
    written = api.write_outputs(doc, str(out), review=True)
    page = out / f"{SEED_PDF.stem}.html"
    assert str(page) in written
    # the pages are drawn (read again from doc.source.path, checked as an input)
    assert b"data:image/" in page.read_bytes()
    api.write_outputs(doc, str(out), review=True, pdf=SEED_PDF.read_bytes())
    assert b"data:image/" in page.read_bytes()
    api.write_outputs(doc, str(out))  # asked for none now: the old page goes
    assert not page.exists() and (out / f"{SEED_PDF.stem}.json").is_file()


# ------------------------------------------------------------------ Dask, same checks


@pytest.mark.slow  # an in-process Dask cluster and two small batches: ~3 s
@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX")
def test_dask_refuses_a_fifo_with_the_local_line(tmp_path):
    """The Dask executor reads each input to send it as bytes: through the same checks, so
    a FIFO is refused (not opened: that would block) with the local executor's line."""
    distributed = pytest.importorskip("distributed")
    from budget_extract.executors import DaskExecutor, LocalExecutor

    fifo = tmp_path / "pipe.pdf"
    os.mkfifo(fifo)
    job = _job(fifo)
    (local,) = LocalExecutor(jobs=1).run([job])

    def unblock() -> None:  # should the FIFO be opened after all, fail instead of hanging
        with contextlib.suppress(OSError):  # ENXIO: nobody is reading it, as it should be
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))

    timer = threading.Timer(20, unblock)
    timer.start()
    (tmp_path / "seed.md").write_bytes(SEED_MD.read_bytes())
    cluster = distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                                       dashboard_address=None)
    try:
        got = list(DaskExecutor(cluster.scheduler_address).run([job, _job(SEED_MD)]))
        # a whole batch: the same report line from either executor
        batches = [run_batch(str(tmp_path), str(tmp_path / ".out-local"), BatchOptions()),
                   run_batch(str(tmp_path), str(tmp_path / ".out-dask"),
                             BatchOptions(executor="dask",
                                          scheduler=cluster.scheduler_address))]
    finally:
        timer.cancel()
        cluster.close()
    assert local.error == "is a named pipe (FIFO), not a regular file: not read"
    assert [(r.source_path, r.ok, r.error) for r in got] == [
        ("pipe.pdf", False, local.error), (SEED_MD.name, True, "")]
    for batch in batches:
        assert [(s.source_path, s.status, s.error) for s in batch.inputs] == [
            ("pipe.pdf", "failed", local.error), ("seed.md", "ok", "")]


# ------------------------------------------------------------------ PDFium gives up partway


@pytest.mark.slow  # OCR of one scanned page, twice (the fallback, and pdfplumber alone)
def test_pdfium_giving_up_partway_recognises_each_scanned_page_once(tmp_path, monkeypatch):
    """A scanned page, then the seed's 收入总表 and 支出总表 pages; PDFium fails to read
    the last page, so pdfplumber reads the file again.  The scanned page is recognised
    once (a pass recognises its scanned pages only once it has read the whole file, so
    PDFium's recognised none), and the result is pdfplumber's alone, with the same OCR
    report (page 1 read by OCR, listed once)."""
    from test_ocr import SEED_SCAN, _pages, needs_ocr

    if needs_ocr.args[0]:
        pytest.skip(needs_ocr.kwargs["reason"])
    from budget_extract.readers import read
    from budget_extract.readers.pdf import pdfium
    from budget_extract.readers.pdf.backend import EngineCannotRead
    from budget_extract.readers.pdf.ocr import OcrReader

    path = _pages(tmp_path, "mixed.pdf", [(SEED_SCAN, [4]), (SEED_PDF, [5, 6])])
    recognised: list[int] = []
    real_page = OcrReader.page

    def counted(self: OcrReader, number: int) -> object:
        recognised.append(number)
        return real_page(self, number)

    monkeypatch.setattr(OcrReader, "page", counted)
    alone = read(str(path), pdf_engine="pdfplumber")
    assert recognised == [1]

    real_objects = pdfium._page_objects
    met: list[int] = []

    def gives_up_on_page_3(raw: object, page: object, number: int) -> object:
        met.append(number)
        if number == 3:
            raise EngineCannotRead("PDFium cannot read the text of page 3")
        return real_objects(raw, page, number)

    monkeypatch.setattr(pdfium, "_page_objects", gives_up_on_page_3)
    recognised.clear()
    src = read(str(path))
    assert met == [1, 2, 3]  # PDFium's pass met the scanned page first
    assert recognised == [1]  # ... and it was recognised once for both passes
    assert src == alone
    assert src.ocr_pages == [1]
    assert sum(w.startswith("page 1 has no text layer and was read by OCR") for w in
               src.warnings) == 1
    assert any(b.grid is not None and b.page == 2 for b in src.blocks)  # 收入总表, read

"""Issue 6: broken, odd and hostile inputs, through the command line as a user runs it.

The corpus is built on the fly by :mod:`bad_inputs`.  Every bad file must give exactly one
line ``error: FILE: reason`` with a specific reason, exit code 1 and no traceback, and
the good files of the same run must still be written; hostile files must be stopped by a
limit the error names; outputs must be atomic, deterministic, confined to OUTDIR and safe
in a spreadsheet; a batch killed with SIGKILL mid-file must lose nothing it finished.
(Cases already covered elsewhere — ragged rows and encodings at reader level in
``test_readers.py``, zero/random/truncated/image-only/password at reader level in
``test_pdf_reader.py``, crash/hang/memory-hog workers in ``test_batch.py`` — are only run
here end to end, as part of the corpus.)
"""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import time
import zipfile
from pathlib import Path

import bad_inputs as bi
import pytest
from cli_process import cli, cli_argv, errors_of

from budget_extract.emit.csv_out import FACT_COLUMNS
from budget_extract.errors import ExtractError

SEED = bi.SEED_MD


def outputs(outdir: Path) -> dict[str, bytes]:
    """Every file under ``outdir`` except batch bookkeeping, by relative path."""
    return {p.relative_to(outdir).as_posix(): p.read_bytes() for p in sorted(outdir.rglob("*"))
            if p.is_file() and ".budget-extract" not in p.parts and p.name != "report.json"}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("corpus")
    return {name: case.build(folder) for name, case in bi.CASES.items()}


# --------------------------------------------------------------------------- the corpus


def test_corpus_through_extract(corpus, tmp_path):
    """All quick cases and the seed in one run: one specific error line per bad file, in
    order; every readable file written; exit code 1; no traceback."""
    names = list(corpus)
    args = [corpus[n] for n in names[:5]] + [SEED] + [corpus[n] for n in names[5:]]
    p = cli("extract", *args, "-o", tmp_path / "out")
    assert p.returncode == 1
    assert "Traceback" not in p.stderr
    bad = [n for n in names if bi.CASES[n].error]
    errors = errors_of(p.stderr)
    assert len(errors) == len(bad), p.stderr
    for name, line in zip(bad, errors, strict=True):
        assert line.startswith(f"error: {corpus[name]}: "), line
        for word in bi.CASES[name].error or ():
            assert word in line, (name, line)
    stems = [p.stem for p in args]
    for path in [SEED] + [corpus[n] for n in names if not bi.CASES[n].error]:
        # two inputs with one stem (utf16.md, utf16.html) each keep their own: stem.ext
        stem = path.name if stems.count(path.stem) > 1 else path.stem
        doc = json.loads((tmp_path / "out" / f"{stem}.json").read_text(encoding="utf-8"))
        assert doc["tables"], path.name
        assert (tmp_path / "out" / f"{stem}.facts.csv").is_file()
    assert not [q for q in (tmp_path / "out").rglob("*") if ".part" in q.name]


def test_corpus_through_batch(corpus, tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for path in corpus.values():
        (src / path.name).write_bytes(path.read_bytes())
    (src / "seed.md").write_bytes(SEED.read_bytes())
    p = cli("batch", src, "-o", tmp_path / "out", "-j", "2", "--no-xlsx")
    assert p.returncode == 1
    assert "Traceback" not in p.stderr
    errors = errors_of(p.stderr)
    bad = {corpus[n].name: bi.CASES[n].error for n in corpus if bi.CASES[n].error}
    assert len(errors) == len(bad), p.stderr
    for name, words in bad.items():
        (line,) = [ln for ln in errors if ln.startswith(f"error: {src / name}: ")]
        assert all(w in line for w in words or ()), line
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    status = {i["source_path"]: i["status"] for i in report["inputs"]}
    assert {k for k, v in status.items() if v == "failed"} == set(bad)
    docs = {r["document"] for r in csv.DictReader(io.StringIO(
        (tmp_path / "out" / "facts.csv").read_text(encoding="utf-8")))}
    assert {"seed", "ragged", "nested", "encrypted-empty"} <= docs
    assert len(docs) == len(status) - len(bad)


# --------------------------------------------------------------------------- specifics


def test_damaged_xref_is_rebuilt_and_reads_like_the_original(corpus, extracted):
    from budget_extract.api import extract, facts

    good, bad = extracted(bi.SEED_PDF), extract(corpus["damaged-xref"])
    assert [t.title for t in bad.tables] == [t.title for t in good.tables]
    assert [(f.table_no, f.row_label, f.column, f.value) for f in facts(bad)] == [
        (f.table_no, f.row_label, f.column, f.value) for f in facts(good)]
    assert "rebuilt copy" in bad.source.warnings[0]


def test_lost_objects_fail_as_damaged_even_after_rebuilding(corpus):
    from budget_extract.readers import read

    with pytest.raises(ExtractError, match="damaged"):
        read(str(corpus["damaged-xref-lost"]))


def test_repairs_are_reported_in_the_json(corpus, tmp_path):
    p = cli("extract", corpus["ragged"], corpus["nested"], "-o", tmp_path)
    assert p.returncode == 0, p.stderr
    ragged = json.loads((tmp_path / "ragged.json").read_text(encoding="utf-8"))
    assert any("padded" in w for w in ragged["warnings"])
    assert any("dropped" in w for w in ragged["warnings"])
    nested = json.loads((tmp_path / "nested.json").read_text(encoding="utf-8"))
    assert any("nested more than 2,048 levels" in w for w in nested["warnings"])


def test_text_encodings_read_alike(corpus):
    """UTF-8 with BOM, GBK with CRLF, GB18030 HTML, XHTML declaring GBK, UTF-16 with a BOM
    (Windows "Unicode"): the same table."""
    from budget_extract import extract

    expected = [b.grid.text_rows() for b in extract(corpus["bom-md"]).source.blocks if b.grid]
    for name in ("gbk-crlf-md", "gb18030-html", "xhtml-gbk", "utf16-html", "utf16-md"):
        grids = [b.grid.text_rows() for b in extract(corpus[name]).source.blocks if b.grid]
        assert grids == expected, name


def test_wrong_extensions_are_read_by_their_bytes(tmp_path):
    from budget_extract import extract

    files = bi.wrong_extension(tmp_path)
    p = cli("extract", *(path for path, _ in files.values()), "-o", tmp_path / "out")
    assert p.returncode == 0, p.stderr
    for name, (path, fmt) in files.items():
        doc = extract(path)
        assert doc.source.format == fmt, name
        assert [t.kind for t in doc.tables] == ["income_summary"], name
        assert f"named {path.suffix} but holds" in doc.source.warnings[0], name


def test_passwords(corpus, tmp_path):
    """Empty user password: opens as usual, with or without --password; a real one:
    --password opens it, a wrong one says so."""
    enc, empty = corpus["encrypted"], corpus["encrypted-empty"]
    p = cli("extract", enc, empty, SEED, "-o", tmp_path, "--password", "s3cret")
    assert p.returncode == 0, p.stderr
    assert (tmp_path / "encrypted.json").is_file() and (tmp_path / "encrypted-empty.json").is_file()
    p = cli("extract", enc, "-o", tmp_path, "--password", "nope")
    assert p.returncode == 1
    assert errors_of(p.stderr) == [f"error: {enc}: the PDF is password-protected and the given "
                                   "password is wrong; pass the right one with --password"]


def test_library_warnings_stay_off_stderr(tmp_path):
    """pdfminer logs what it survives; the user sees only the tool's own lines."""
    data = bi.pdf_bytes([bi.budget_page()])
    box = b"/FontBBox [-25 -254 1000 880] "
    odd = tmp_path / "no-fontbbox.pdf"
    odd.write_bytes(data.replace(box, b" " * len(box)))
    p = cli("extract", odd, "-o", tmp_path / "out")
    assert p.returncode == 0, p.stderr
    assert p.stderr.splitlines() == [f"{odd}: 1 tables, 6 facts, 5 checks (0 failed) -> "
                                     f"{tmp_path / 'out' / 'no-fontbbox'}.json"]


def test_non_budget_document_says_what_it_lacks(corpus):
    from budget_extract import extract

    with pytest.raises(ExtractError) as e:
        extract(corpus["not-budget"])
    assert "not a budget disclosure" in e.value.reason and "预算 or 决算" in e.value.reason


# --------------------------------------------------------------------------- hostile PDFs


def test_compression_bomb_is_refused_quickly(tmp_path):
    bomb = bi.compression_bomb_pdf(tmp_path)  # 4 MB on disk, 4 GB inflated
    t0 = time.monotonic()
    p = cli("extract", bomb, SEED, "-o", tmp_path / "out")
    assert time.monotonic() - t0 < 30
    assert p.returncode == 1 and "Traceback" not in p.stderr
    (line,) = errors_of(p.stderr)
    assert line.startswith(f"error: {bomb}: page 1: ")
    assert "past the 256 MB limit" in line and "compression bomb" in line
    assert (tmp_path / "out" / f"{SEED.stem}.json").is_file()


def test_stream_with_a_bad_checksum_is_still_read(tmp_path):
    """The bounded decoders keep pdfminer's leniency: a Flate stream whose checksum is
    wrong (some producers write it so) or whose end is cut still gives its text."""
    import zlib

    from budget_extract import extract

    z = zlib.compress(bi.budget_page())
    for name, data in (("bad-adler.pdf", z[:-1] + bytes([z[-1] ^ 1])), ("cut.pdf", z[:-3])):
        path = tmp_path / name
        path.write_bytes(bi.pdf_bytes([bi.RawStream(data)]))
        assert [t.kind for t in extract(path).tables] == ["income_summary"], name


def test_chained_filters_cannot_multiply_past_the_limit(tmp_path):
    from budget_extract.readers import read

    t0 = time.monotonic()
    with pytest.raises(ExtractError, match="inflates past the 256 MB limit"):
        read(str(bi.chained_bomb_pdf(tmp_path)))
    assert time.monotonic() - t0 < 20


def test_object_flood_stops_at_the_per_page_limit(tmp_path, monkeypatch):
    from budget_extract.readers import read
    from budget_extract.readers.pdf import guards

    monkeypatch.setattr(guards, "MAX_PAGE_OBJECTS", 2_000)
    flood = bi.tiny_objects_pdf(tmp_path, n=5_000)
    with pytest.raises(ExtractError, match=r"page 1: more than 2,000 objects on one page"):
        read(str(flood))
    assert read(str(bi.budget_pdf(tmp_path))).pages == 1  # a real page is far below


@pytest.mark.slow  # see the README's tests section
def test_object_flood_hits_the_named_time_and_memory_limits(tmp_path):
    flood = bi.tiny_objects_pdf(tmp_path, n=300_000)
    t0 = time.monotonic()
    p = cli("extract", flood, SEED, "-o", tmp_path / "out", "--timeout", "1",
            "--pdf-engine", "pdfplumber")
    assert time.monotonic() - t0 < 20
    assert p.returncode == 1 and "Traceback" not in p.stderr
    assert errors_of(p.stderr) == [f"error: {flood}: exceeded the 1 s time limit and was "
                                   "stopped (raise --timeout if the file is genuinely large)"]
    # PDFium counts the page's objects before reading its text: the object limit, well
    # inside a time limit that leaves room for a loaded machine's start-up
    p = cli("extract", flood, "-o", tmp_path / "pdfium", "--timeout", "15")
    assert p.returncode == 1 and "Traceback" not in p.stderr
    assert errors_of(p.stderr) == [f"error: {flood}: page 1: more than 100,000 objects on "
                                   "one page (the per-page limit; real pages hold a few "
                                   "thousand): the file is broken or hostile"]
    assert (tmp_path / "out" / f"{SEED.stem}.json").is_file()
    hog = bi.tiny_objects_pdf(tmp_path, "hog.pdf", n=30_000)  # ~150 MB of layout objects
    # in pdfminer's objects, that is: PDFium reads the page in a few MB (issue 12)
    p = cli("extract", hog, "-o", tmp_path / "out", "--memory-limit", "250")
    assert p.returncode == 0, p.stderr
    hog = bi.tiny_objects_pdf(tmp_path, "hog2.pdf", n=60_000)  # ~300 MB in pdfminer
    p = cli("extract", hog, "-o", tmp_path / "out", "--memory-limit", "250",
            "--pdf-engine", "pdfplumber")
    assert p.returncode == 1 and "Traceback" not in p.stderr
    assert errors_of(p.stderr) == [f"error: {hog}: exceeded the 250 MB memory limit (raise "
                                   "--memory-limit if the file is genuinely large)"]


@pytest.mark.slow  # see the README's tests section
@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="needs Linux /proc")
def test_peak_memory_is_flat_as_pages_grow(tmp_path):
    """A 2,000-page file costs the worker no more memory than a 200-page one."""
    from batch_workers import peak_memory

    from budget_extract.executors import LocalExecutor
    from budget_extract.jobs import BatchJob

    jobs = [BatchJob(path=str(bi.many_pages_pdf(tmp_path, f"{n}.pdf", pages=n)),
                     source_path=f"{n}.pdf", document=str(n), sha256="", xlsx=False)
            for n in (200, 2000)]
    ex = LocalExecutor(jobs=1, timeout=120, memory_mb=4096, worker=peak_memory)
    results = {r.document: r for r in ex.run(jobs)}
    assert all(r.ok for r in results.values()), [r.error for r in results.values()]
    assert json.loads(results["2000"].files["2000.json"])["source"]["pages"] == 2000
    small, big = (int(results[d].debug) // 1024 for d in ("200", "2000"))
    print(f"peak RSS: 200 pages {small} MB, 2,000 pages {big} MB")
    assert big < 400, f"peak {big} MB"
    assert big - small < 40, f"200 pages: {small} MB, 2,000 pages: {big} MB"


# --------------------------------------------------------------------------- outputs


def test_names_cannot_escape_the_output_folder(tmp_path):
    src = tmp_path / "in" / "deeper"
    src.mkdir(parents=True)
    paths = []
    for name in bi.ESCAPING_NAMES:
        (src / name).write_text(bi.TINY_MD, encoding="utf-8")
        paths.append(src / name)
    long_name = "某" * 83 + ".md"  # 253 bytes: a valid name whose outputs would not be
    (src / long_name).write_text(bi.TINY_MD, encoding="utf-8")
    out = tmp_path / "out"
    p = cli("extract", *paths, "../deeper/" + long_name, "../../in/./deeper/../deeper/...md",
            "-o", out, cwd=src)
    assert p.returncode == 0, p.stderr
    written = [q for q in tmp_path.rglob("*") if q.is_file() and "in" not in
               q.relative_to(tmp_path).parts[:1]]
    assert written and all(q.is_relative_to(out) for q in written)
    names = sorted(q.name for q in out.glob("*.json"))
    assert all(not n.startswith(".") and "\n" not in n and "\\" not in n and ":" not in n
               for n in names), names
    assert "某" * 80 + ".json" in names  # 240 bytes of stem
    assert "con_.json" in names  # a device name on Windows
    p = cli("batch", tmp_path / "in", "-o", tmp_path / "bout", "--no-xlsx")
    assert p.returncode == 0, p.stderr
    batch_written = [q for q in tmp_path.rglob("*") if q.is_file()
                     and q.relative_to(tmp_path).parts[0] not in ("in", "out")]
    assert all(q.is_relative_to(tmp_path / "bout") for q in batch_written)


def test_outputs_are_byte_identical_across_runs(corpus, tmp_path):
    inputs = [corpus["encrypted-empty"], corpus["gb18030-html"], SEED]
    for run in ("a", "b"):
        p = cli("extract", *inputs, "-o", tmp_path / run, "--xlsx")
        assert p.returncode == 0, p.stderr
    a, b = outputs(tmp_path / "a"), outputs(tmp_path / "b")
    assert a.keys() == b.keys() and len(a) > 8
    assert [k for k in a if a[k] != b[k]] == []


def test_formula_text_is_inert_in_csv_and_xlsx(tmp_path):
    md = bi.TINY_MD.replace("| 某单位 |", "| =HYPERLINK(\"http://x\",\"y\") |").replace(
        "| 其他收入 |", "| @SUM(A1) |")
    src = tmp_path / "formula.md"
    src.write_text(md + "\n| +1+1 | -2+3 | -1,234.50 | 7 |\n", encoding="utf-8")
    p = cli("extract", src, "-o", tmp_path / "out", "--xlsx")
    assert p.returncode == 0, p.stderr
    out = tmp_path / "out"
    facts = list(csv.DictReader(io.StringIO((out / "formula.facts.csv").read_text("utf-8"))))
    labels = {f["row_label"] for f in facts}
    assert "'=HYPERLINK(\"http://x\",\"y\")" in labels
    assert all(f["column"] != "@SUM(A1)" for f in facts)
    assert any(f["column"] == "'@SUM(A1)" for f in facts)
    assert {f["value"] for f in facts} >= {"120.00", "100.00"}
    for wide in (out / "formula").glob("*.csv"):
        for row in csv.reader(io.StringIO(wide.read_text("utf-8"))):
            assert not any(c[:1] in ("=", "+", "@") for c in row), row
            assert all(c[:1] != "-" or c.replace(",", "").lstrip("-").replace(".", "").isdigit()
                       for c in row), row
    with zipfile.ZipFile(out / "formula.xlsx") as z:
        sheets = [z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/")]
    assert sheets and not any(b"<f>" in s for s in sheets)
    assert any(b"=HYPERLINK" in s for s in sheets)  # kept, as text


# --------------------------------------------------------------------------- kill safety


def _session_processes(sid: int) -> list[int]:
    pids = []
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/stat", encoding="ascii", errors="replace") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[3]) == sid and fields[0] != "Z":  # fields: state ppid pgrp session
                pids.append(int(d))
    return pids


@pytest.mark.slow  # see the README's tests section
@pytest.mark.skipif(not os.path.exists("/proc/self/stat"), reason="needs Linux /proc")
def test_sigkill_mid_file_loses_nothing_finished(tmp_path):
    """SIGKILL the batch (the parent alone, as the OOM killer would) while a worker is
    reading a PDF: the workers die with it, every finished document is complete, the only
    leftovers are the tool's own temporary names, and the next run removes them and ends
    with the same bytes as a run that was never interrupted."""
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.md").write_bytes(SEED.read_bytes())
    for name in ("b.pdf", "c.pdf"):
        (src / name).write_bytes((bi.FIXTURES / "上海市普陀区商务委员会2025年部门预算.pdf")
                                 .read_bytes())
    (src / "d.html").write_bytes(bi.SEED_HTML.read_bytes())
    (src / "e.pdf").write_bytes(b"")
    ref = tmp_path / "ref"
    assert cli("batch", src, "-o", ref, "-j", "2").returncode == 1  # e.pdf

    out = tmp_path / "out"
    proc = subprocess.Popen(cli_argv("batch", src, "-o", out, "-j", "1"), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    journal = out / ".budget-extract" / "state.jsonl"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if journal.exists() and journal.read_text(encoding="utf-8").count("\n") >= 1:
            break
        time.sleep(0.01)
    time.sleep(0.2)  # into b.pdf
    assert proc.poll() is None, "the batch ended before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(10)
    deadline = time.monotonic() + 15  # the forkserver and the worker follow it
    while _session_processes(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _session_processes(proc.pid) == []

    done = outputs(out)
    expected = outputs(ref)
    finished = [k[:-5] for k in done if k.endswith(".json") and "/" not in k]
    assert "a" in finished and "c" not in finished
    for stem in finished:  # S.json is written last: its presence means all is there
        mine = {k: v for k, v in expected.items() if k == f"{stem}.json" or
                k.startswith((f"{stem}.", f"{stem}/"))}
        assert {k: done.get(k) for k in mine} == mine
        json.loads(done[f"{stem}.json"])
        header = done[f"{stem}.facts.csv"].decode("utf-8").split("\r\n", 1)[0]
        assert header == ",".join(FACT_COLUMNS)
    assert set(done) <= set(expected)
    for k in done:  # nothing half-written under a final name (the datasets come last)
        assert done[k] == expected[k], k
    leftovers = [q for q in out.rglob("*") if q.is_file() and ".part" in q.name]
    assert all(q.name.startswith(".tmp-") for q in leftovers), leftovers
    (out / ".tmp-killed.part").write_bytes(b"half")  # as if killed between write and rename
    (out / ".budget-extract" / ".tmp-x.sqlite.part-journal").write_bytes(b"half")

    p = cli("batch", src, "-o", out, "-j", "2")
    assert p.returncode == 1, p.stderr
    assert not [q for q in out.rglob("*") if ".part" in q.name]
    assert outputs(out) == expected


# --------------------------------------------------------------------------- fuzz findings
# Inputs the fuzzer (tests/fuzz/fuzz_readers.py, docs/robustness.md) found, kept as tests.


@pytest.mark.parametrize("text", [
    '<html>\n<head>\n<meta char\n',  # lxml asserts "too many bodies" on such a fragment
    '# 标题\n\n<html lang="zh-CN">\n<head>\n<meta char二、其他收入 | 20.00 | | |\n',
])
def test_fuzz_findings_markdown(text):
    from budget_extract.readers.markdown import read_markdown_text

    blocks, warnings = read_markdown_text(text)
    assert isinstance(blocks, list) and isinstance(warnings, list)

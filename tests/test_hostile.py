"""Issue 14: hostile inputs and unlucky faults, through the command line as a user runs it.

Each test builds its hostile input here (nothing is stored), runs ``budget-extract`` and
asserts the exit code, the first words of the message, that the run's other files are
written, and the exact values read.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import bad_inputs as bi
import pytest
import seed_facts
from cli_process import cli

REPO = Path(__file__).resolve().parent.parent
SEED = bi.SEED_MD

# The modules an attacker would plant: the first imports of multiprocessing's forkserver
# and resource tracker, and modules the tool imports lazily (PDF, SQLite, XLSX).
PLANTED = ["selectors", "socket", "struct", "threading", "signal", "multiprocessing",
           "sqlite3", "zipfile", "hashlib", "tempfile", "csv", "decimal", "pickle",
           "subprocess", "ctypes", "resource", "secrets", "random", "base64", "zlib"]


def console_script(tmp: Path, *, force_py310: bool = False) -> Path:
    """A launcher like the installed ``budget-extract`` (a script in another folder, so
    Python puts that folder, not the working directory, first on the path).
    ``force_py310`` takes the Python 3.10 route (no ``PYTHONSAFEPATH``)."""
    tmp.mkdir(parents=True, exist_ok=True)
    script = tmp / "budget-extract"
    force = "import budget_extract.isolation as i; i.SAFE_PATH_ENV = False\n" if force_py310 else ""
    script.write_text(f"import sys\n{force}from budget_extract.cli import main\n"
                      "if __name__ == '__main__':\n    sys.exit(main())\n", encoding="utf-8")
    return script


def run(script: Path, *args: object, cwd: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [str(REPO), *filter(None, [os.environ.get("PYTHONPATH")])]))
    return subprocess.run([sys.executable, str(script), *map(str, args)], capture_output=True,
                          text=True, cwd=cwd, env=env, timeout=300)


def plant(folder: Path, marker_dir: Path) -> None:
    for name in PLANTED:
        (folder / f"{name}.py").write_text(
            f"open({str(marker_dir / name)!r}, 'w').write('ran')\n", encoding="utf-8")


@pytest.mark.slow  # starts a forkserver per run
@pytest.mark.parametrize("force_py310", [False, True], ids=["safepath", "py310-route"])
def test_no_code_is_imported_from_the_input_folder(tmp_path, force_py310):
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    markers = tmp_path / "markers"
    markers.mkdir()
    plant(downloads, markers)
    (downloads / "seed.md").write_bytes(SEED.read_bytes())
    script = console_script(tmp_path / "bin", force_py310=force_py310)

    p = run(script, "extract", "seed.md", "-o", tmp_path / "x", cwd=downloads)
    assert p.returncode == 0, p.stderr
    assert "Traceback" not in p.stderr
    assert sorted(os.listdir(markers)) == []
    doc = json.loads((tmp_path / "x" / "seed.json").read_text(encoding="utf-8"))
    assert len(doc["tables"]) == seed_facts.TABLES

    p = run(script, "batch", ".", "-o", tmp_path / "b", "-j", "2", cwd=downloads)
    assert p.returncode == 0, p.stderr
    assert sorted(os.listdir(markers)) == []
    assert (tmp_path / "b" / "budget.sqlite").is_file()
    assert (tmp_path / "b" / "seed.xlsx").is_file()
    report = json.loads((tmp_path / "b" / "report.json").read_text(encoding="utf-8"))
    assert [i["status"] for i in report["inputs"]] == ["ok"]

    p = run(script, "check", "seed.md", cwd=downloads)
    assert p.returncode == 3, p.stderr  # the seed Markdown's failed checks (README)
    assert p.stdout.startswith("seed.md: ")
    assert f"{seed_facts.FAILS} fail" in p.stdout.splitlines()[0]
    assert sorted(os.listdir(markers)) == []


def test_the_dask_worker_command_keeps_the_cwd_off_the_path(tmp_path):
    """``python -m`` would put the working directory first; the worker's command does not."""
    from budget_extract.isolation import python_command

    markers = tmp_path / "markers"
    markers.mkdir()
    plant(tmp_path, markers)
    (tmp_path / "probe.py").write_text("import sys; print('probe ran', sys.argv[1:])\n",
                                       encoding="utf-8")
    cmd = python_command("probe")
    p = subprocess.run([*cmd, "x"], capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert p.returncode == 1 and "No module named probe" in p.stderr  # not found in cwd
    p = subprocess.run([*python_command("json.tool"), "--help"], capture_output=True, text=True,
                       cwd=tmp_path, timeout=60)
    assert p.returncode == 0 and p.stdout.startswith("usage: python -m json.tool")
    assert sorted(os.listdir(markers)) == []


# --------------------------------------------------------------------------- nothing dropped


def facts_of(outdir: Path, stem: str) -> list[dict[str, str]]:
    import csv

    with open(outdir / f"{stem}.facts.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def value(facts: list[dict[str, str]], table_no: str, label: str, column_part: str = "") -> set:
    return {f["value"] for f in facts if f["table_no"] == table_no and f["row_label"] == label
            and column_part in f["column"]}


SEED_TEXT = SEED.read_text(encoding="utf-8")
TOTALS_ROW = "| 一、一般公共预算收入     | 358.58 | 一、一般公共服务支出      |        |"


def test_markdown_nested_past_the_parser_limit_loses_nothing(tmp_path):
    """Ten ``- `` on a line is 20 levels of nesting: markdown-it stopped there and skipped
    the rest of the file (the whole 收支总表).  Now those lines are read without their
    markers, with a warning, and every table after them is extracted."""
    anchor = "单位公开表1\n"
    assert SEED_TEXT.count(anchor) == 1
    text = SEED_TEXT.replace(anchor, "- - - - - - - - - - 注意\n\n" + anchor, 1)
    (tmp_path / "nested.md").write_text(text, encoding="utf-8")
    (tmp_path / "seed.md").write_text(SEED_TEXT, encoding="utf-8")
    p = cli("extract", tmp_path / "nested.md", tmp_path / "seed.md", "-o", tmp_path / "out")
    assert p.returncode == 0, p.stderr
    doc = json.loads((tmp_path / "out" / "nested.json").read_text(encoding="utf-8"))
    seed = json.loads((tmp_path / "out" / "seed.json").read_text(encoding="utf-8"))
    assert len(doc["tables"]) == len(seed["tables"]) == seed_facts.TABLES
    assert any(w.startswith("lines ") and "nested deeper than the parser's limit" in w
               for w in doc["warnings"]), doc["warnings"]
    facts = facts_of(tmp_path / "out", "nested")
    assert value(facts, "1", "一、一般公共预算收入") == {"358.58"}


@pytest.mark.parametrize("printed, read", [
    ("358\u200b.58", "358.58"),          # zero-width space inside
    ("\u200e358.58", "358.58"),          # LRM before
    ("358.\ufeff58", "358.58"),          # a BOM inside
    ("35\u00ad8.58", "358.58"),          # soft hyphen
    ("1\u00a0358.58", "1358.58"),        # NBSP as thousands separator
    ("1\u202f358.58", "1358.58"),        # narrow no-break space
    ("１３５８．５８", "1358.58"),        # full-width digits
    ("（358.58）", "-358.58"),           # accounting negative, full-width brackets
    ("358.58-", "-358.58"),              # trailing minus
])
def test_amount_formats_are_read(tmp_path, printed, read):
    assert SEED_TEXT.count(TOTALS_ROW) == 1
    text = SEED_TEXT.replace(TOTALS_ROW, TOTALS_ROW.replace("358.58", printed))
    (tmp_path / "s.md").write_text(text, encoding="utf-8")
    p = cli("extract", tmp_path / "s.md", "-o", tmp_path / "out")
    assert p.returncode == 0, p.stderr
    facts = facts_of(tmp_path / "out", "s")
    assert value(facts, "1", "一、一般公共预算收入") == {read}
    doc = json.loads((tmp_path / "out" / "s.json").read_text(encoding="utf-8"))
    assert not [w for w in doc["warnings"] if "not read" in w]


@pytest.mark.parametrize("printed, why", [
    ("3.5858E+02", "exponent notation"),
    ("3,58.58", "not a well-formed number"),
])
def test_unreadable_amounts_are_reported(tmp_path, printed, why):
    text = SEED_TEXT.replace(TOTALS_ROW, TOTALS_ROW.replace("358.58", printed))
    (tmp_path / "s.md").write_text(text, encoding="utf-8")
    p = cli("extract", tmp_path / "s.md", "-o", tmp_path / "out")
    assert p.returncode == 0, p.stderr
    facts = facts_of(tmp_path / "out", "s")
    assert value(facts, "1", "一、一般公共预算收入") == set()
    assert value(facts, "1", "五、其他收入安排") == {"3.1"}  # the rest of the table is read
    doc = json.loads((tmp_path / "out" / "s.json").read_text(encoding="utf-8"))
    (w,) = [w for w in doc["warnings"] if "not read" in w]
    assert w.startswith("table 1 (") and f"“{printed}” ({why}" in w
    assert "一、一般公共预算收入" in w


# --------------------------------------------------------------------------- outputs never collide


def test_extract_gives_inputs_with_one_stem_their_own_outputs(tmp_path):
    """The README's ``extract docs/*.md docs/*.html`` with one stem in three folders: one
    x.json for all three, tables mixed — now x.md, x.md-2, x.html, as batch names them."""
    for sub in "ab":
        (tmp_path / sub).mkdir()
        (tmp_path / sub / "x.md").write_bytes(SEED.read_bytes())
    (tmp_path / "c").mkdir()
    short = SEED_TEXT.split("单位公开表2\n")[0]  # the 收支总表 only
    (tmp_path / "a" / "x.md").write_text(short, encoding="utf-8")
    (tmp_path / "c" / "x.html").write_bytes(bi.SEED_HTML.read_bytes())
    out = tmp_path / "out"
    p = cli("extract", tmp_path / "a/x.md", tmp_path / "b/x.md", tmp_path / "c/x.html",
            "-o", out)
    assert p.returncode == 0, p.stderr
    assert sorted(q.name for q in out.glob("*.json")) == ["x.html.json", "x.md-2.json",
                                                           "x.md.json"]
    a = json.loads((out / "x.md.json").read_text(encoding="utf-8"))
    b = json.loads((out / "x.md-2.json").read_text(encoding="utf-8"))
    assert a["source"]["path"].endswith("a/x.md") and len(a["tables"]) == 1
    assert b["source"]["path"].endswith("b/x.md") and len(b["tables"]) == seed_facts.TABLES
    assert len(list((out / "x.md").glob("*.csv"))) == 1
    assert len(list((out / "x.md-2").glob("*.csv"))) == seed_facts.TABLES
    assert value(facts_of(out, "x.html"), "1", "一、一般公共预算收入") == {"358.58"}
    # the same file named twice is one document
    p = cli("extract", tmp_path / "b/x.md", tmp_path / "b/../b/x.md", "-o", tmp_path / "o2")
    assert p.returncode == 0 and [q.name for q in (tmp_path / "o2").glob("*.json")] == ["x.json"]


def test_batch_names_cannot_clash_with_the_datasets_or_each_other(tmp_path):
    """``facts.csv.md`` made a folder where the dataset's facts.csv goes (every rerun
    failed); ``预算.xlsx.html`` a folder where ``预算.md``'s workbook goes."""
    src = tmp_path / "in"
    src.mkdir()
    for name in ["facts.csv.md", "budget.sqlite.md", "预算.md", "report.md"]:
        (src / name).write_bytes(SEED.read_bytes())
    (src / "预算.xlsx.html").write_bytes(bi.SEED_HTML.read_bytes())
    out = tmp_path / "out"
    for _ in range(2):  # and again: a rerun ends the same
        p = cli("batch", src, "-o", out, "-j", "2")
        assert p.returncode == 0, p.stderr
        report = json.loads((out / "report.json").read_text(encoding="utf-8"))
        assert {i["source_path"]: i["document"] for i in report["inputs"]} == {
            "budget.sqlite.md": "budget.sqlite.md", "facts.csv.md": "facts.csv.md",
            "report.md": "report.md", "预算.md": "预算", "预算.xlsx.html": "预算.xlsx.html"}
        assert (out / "facts.csv").is_file() and (out / "budget.sqlite").is_file()
        assert (out / "预算.xlsx").is_file() and (out / "预算.xlsx.html.xlsx").is_file()
        assert not list(out.rglob("*.part"))
    import csv as _csv
    with open(out / "facts.csv", encoding="utf-8", newline="") as f:
        docs = {r["document"] for r in _csv.DictReader(f)}
    assert docs == {"budget.sqlite.md", "facts.csv.md", "report.md", "预算", "预算.xlsx.html"}


def test_stale_table_files_are_removed_when_a_document_is_rewritten(tmp_path):
    (tmp_path / "s.md").write_bytes(SEED.read_bytes())
    out = tmp_path / "out"
    assert cli("extract", tmp_path / "s.md", "-o", out).returncode == 0
    assert len(list((out / "s").glob("*.csv"))) == seed_facts.TABLES
    (out / "s" / "notes.txt").write_text("mine", encoding="utf-8")
    (tmp_path / "s.md").write_text(SEED_TEXT.split("单位公开表2\n")[0], encoding="utf-8")
    p = cli("extract", tmp_path / "s.md", "-o", out)
    assert p.returncode == 0, p.stderr
    assert [q.name for q in (out / "s").glob("*.csv")] == ["01-income_expenditure_summary.csv"]
    assert (out / "s" / "notes.txt").read_text(encoding="utf-8") == "mine"  # not ours: kept


# --------------------------------------------------------------------------- only regular files


def special_files(folder: Path) -> dict[str, str]:
    """Hostile non-files with supported names, and the first words of their refusal."""
    import socket

    os.mkfifo(folder / "pipe.pdf")
    os.symlink("/dev/zero", folder / "zero.pdf")
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(folder / "sock.md"))
    sock.close()
    with open(folder / "huge.pdf", "wb") as f:  # sparse: no disk used
        f.truncate(1 << 40)
    return {"pipe.pdf": "is a named pipe (FIFO), not a regular file",
            "zero.pdf": "is a device, not a regular file",
            "sock.md": "is a socket, not a regular file",
            "huge.pdf": "is 1,048,576 MB, over the 1,024 MB limit for one input"}


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX")
def test_fifos_devices_sockets_and_huge_files_are_refused_unread(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    expected = special_files(src)
    (src / "seed.md").write_bytes(SEED.read_bytes())
    names = sorted(expected)
    p = cli("extract", *[src / n for n in names], src / "seed.md", "-o", tmp_path / "x")
    assert p.returncode == 1
    errors = [ln for ln in p.stderr.splitlines() if ln.startswith("error: ")]
    assert len(errors) == len(names), p.stderr
    for line, n in zip(errors, names, strict=True):
        assert line.startswith(f"error: {src / n}: {expected[n]}"), line
        assert line.endswith(": not read"), line
    assert value(facts_of(tmp_path / "x", "seed"), "1", "一、一般公共预算收入") == {"358.58"}

    p = cli("batch", src, "-o", tmp_path / "b", "--no-xlsx")
    assert p.returncode == 1
    report = json.loads((tmp_path / "b" / "report.json").read_text(encoding="utf-8"))
    got = {i["source_path"]: (i["status"], i.get("error", "")) for i in report["inputs"]}
    assert got["seed.md"] == ("ok", "")
    for n in names:
        assert got[n][0] == "failed" and got[n][1].startswith(expected[n]), got[n]
    assert (tmp_path / "b" / "facts.csv").is_file()

    p = cli("check", src / "pipe.pdf")
    assert p.returncode == 1
    assert p.stderr.startswith(f"error: {src / 'pipe.pdf'}: is a named pipe (FIFO)")


# --------------------------------------------------------------------------- what a viewer shows


def hidden_text_pdf(folder: Path) -> Path:
    """The tiny 收入总表 (合计/某单位: 120.00 = 100.00 + 20.00), with digits a viewer does not
    show right after four amounts, a second copy of the table with other numbers drawn
    left of the page, and white text on a black box (shown: it stays)."""
    h = 842

    def at(x: float, top: float, text: str, state: str) -> bytes:
        # q/Q: the rendering mode and scaling are graphics state, they outlive ET
        return f"q BT {state} /F1 10 Tf {x} {h - top - 10} Td ({text}) Tj ET Q\n".encode()

    after = 254 + 30.58  # x where "100.00" (Helvetica 10 pt) ends in its cell
    hostile = (at(after, 165, "7", "3 Tr")                        # invisible
               + b"q 1 g\n" + at(after, 185, "7", "") + b"Q\n"     # white on white
               + at(424 + 25.02, 165, "9", "").replace(b"/F1 10 Tf", b"/F1 0 Tf")  # size 0
               + at(424 + 25.02, 185, "9", "0 Tz")                 # scaling 0
               + b"q 0 g 50 790 250 20 re f 1 g\n" + at(60, 37, "SHOWN WHITE ON BLACK", "")
               + b"Q\n")
    rows = [["项目", "合计", "一般公共预算拨款收入", "其他收入"],
            ["合计", "999.00", "900.00", "99.00"], ["某单位", "999.00", "900.00", "99.00"]]
    outside = bi.ruled_table(rows, [-650, -550, -450, -280, -155], 140)
    page = bi.budget_page()
    return bi._write(folder, "hidden.pdf", bi.pdf_bytes([[outside, page, hostile]]))


def test_text_a_viewer_does_not_show_is_not_read(tmp_path):
    pdf = hidden_text_pdf(tmp_path)
    (tmp_path / "seed.md").write_bytes(SEED.read_bytes())
    # PDFium (the default engine) reads the same values; its text page leaves out glyphs
    # at size 0 or scaling 0 itself, so only pdfplumber can count all five reasons
    p = cli("extract", pdf, "-o", tmp_path / "pdfium")
    assert p.returncode == 0, p.stderr
    assert {(f["row_label"], f["column"]): f["value"]
            for f in facts_of(tmp_path / "pdfium", "hidden")} == {
        (r, c): v for r in ("合计", "某单位") for c, v in
        [("合计", "120.00"), ("一般公共预算拨款收入", "100.00"), ("其他收入", "20.00")]}
    p = cli("extract", pdf, tmp_path / "seed.md", "-o", tmp_path / "out",
            "--pdf-engine", "pdfplumber")
    assert p.returncode == 0, p.stderr
    facts = facts_of(tmp_path / "out", "hidden")
    got = {(f["row_label"], f["column"]): f["value"] for f in facts}
    assert got == {(r, c): v for r in ("合计", "某单位") for c, v in
                   [("合计", "120.00"), ("一般公共预算拨款收入", "100.00"), ("其他收入", "20.00")]}
    doc = json.loads((tmp_path / "out" / "hidden.json").read_text(encoding="utf-8"))
    assert len(doc["tables"]) == 1
    hidden = sorted(w for w in doc["warnings"] if w.startswith("hidden text not read"))
    assert hidden == [
        "hidden text not read: 1 character(s) at font size 0 on page 1 (a viewer does not "
        "show them)",
        "hidden text not read: 1 character(s) at horizontal scaling 0 on page 1 (a viewer "
        "does not show them)",
        "hidden text not read: 1 character(s) invisible (rendering mode 3) on page 1 (a "
        "viewer does not show them)",
        "hidden text not read: 1 character(s) white on a white page on page 1 (a viewer does "
        "not show them)",
        # 项目合计一般公共预算拨款收入其他收入 18, 合计999.00900.0099.00 19, 某单位… 20
        "hidden text not read: 57 character(s) outside the page's visible area on page 1 (a "
        "viewer does not show them)",
    ]
    assert (tmp_path / "out" / "seed.json").is_file()
    from budget_extract.readers.pdf import read

    for engine in ("pdfium", "pdfplumber"):
        src = read(pdf.read_bytes(), str(pdf), engine=engine)
        assert "SHOWN WHITE ON BLACK" in [b.text for b in src.blocks], engine


HTML_TEXT = bi.SEED_HTML.read_text(encoding="utf-8")
HTML_ROW = "<tr><td>一、一般公共预算收入</td><td>358.58</td><td>一、一般公共服务支出</td><td></td></tr>"
HTML_OTHER = "<tr><td>五、其他收入安排</td><td>3.1</td>"


@pytest.mark.parametrize("printed, extra_css", [
    ('35<span style="display:none">9</span>8.58', ""),
    ('35<span style="visibility: hidden">9</span>8.58', ""),
    ('35<span hidden>9</span>8.58', ""),
    ('35<span class="x">9</span>8.58', "<style>p{color:red} span.x, .y { display : none }</style>"),
    ('35<font style="font-size:0px">9</font>8.58', ""),
])
def test_html_hidden_elements_are_not_read(tmp_path, printed, extra_css):
    assert HTML_TEXT.count(HTML_ROW) == 1 and "</head>" in HTML_TEXT
    text = HTML_TEXT.replace(HTML_ROW, HTML_ROW.replace("358.58", printed))
    text = text.replace("</head>", extra_css + "</head>")
    (tmp_path / "h.html").write_text(text, encoding="utf-8")
    p = cli("extract", tmp_path / "h.html", "-o", tmp_path / "out")
    assert p.returncode == 0, p.stderr
    assert value(facts_of(tmp_path / "out", "h"), "1", "一、一般公共预算收入") == {"358.58"}
    doc = json.loads((tmp_path / "out" / "h.json").read_text(encoding="utf-8"))
    assert "hidden text not read: 1 character(s) in elements a browser does not show " \
           "(display:none, visibility:hidden, font-size:0, hidden)" in doc["warnings"]


def test_html_footnote_markers_are_kept_apart_from_amounts(tmp_path):
    assert HTML_TEXT.count(HTML_OTHER) == 1
    text = HTML_TEXT.replace(HTML_ROW, HTML_ROW.replace("358.58", "358.58<sup>1</sup>"))
    text = text.replace(HTML_OTHER, HTML_OTHER.replace("3.1", "3.1<sub>注</sub>"))
    (tmp_path / "h.html").write_text(text, encoding="utf-8")
    p = cli("extract", tmp_path / "h.html", "-o", tmp_path / "out")
    assert p.returncode == 0, p.stderr
    facts = facts_of(tmp_path / "out", "h")
    assert value(facts, "1", "一、一般公共预算收入") == {"358.58"}
    assert value(facts, "1", "五、其他收入安排") == {"3.1"}
    doc = json.loads((tmp_path / "out" / "h.json").read_text(encoding="utf-8"))
    assert "2 amount(s) printed with a footnote marker (<sup>/<sub>) read without it: " \
           "358.58 with marker 1 …" in doc["warnings"]


# --------------------------------------------------------------------------- names printed safely


def test_names_cannot_forge_lines_or_drive_the_terminal(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    forged = src / "x\nerror: forged.md"
    forged.write_bytes(b"")
    ansi = src / "\x1b[2Jclear.md"
    ansi.write_bytes(SEED.read_bytes())
    raw = os.path.join(os.fsencode(src), b"bad\xff.md")  # not UTF-8
    with open(raw, "wb"):
        pass
    good = os.path.join(os.fsencode(src), b"ok\xfe.md")
    with open(good, "wb") as f:
        f.write(SEED.read_bytes())
    p = cli("extract", forged, ansi, os.fsdecode(raw), os.fsdecode(good), "-o", tmp_path / "out")
    assert p.returncode == 1
    assert "\x1b" not in p.stderr and "Traceback" not in p.stderr
    lines = p.stderr.splitlines()
    assert [ln for ln in lines if ln.startswith("error: ")] == [
        f"error: {src}/x\\nerror: forged.md: the file is empty (0 bytes of content)",
        f"error: {src}/bad\\xff.md: the file is empty (0 bytes of content)"]
    assert any(ln.startswith(f"{src}/\\x1b[2Jclear.md: {seed_facts.TABLES} tables")
               for ln in lines), lines
    assert value(facts_of(tmp_path / "out", "_[2Jclear"), "1", "一、一般公共预算收入") == {"358.58"}
    doc = json.loads((tmp_path / "out" / "ok\ufffd.json").read_text(encoding="utf-8"))
    assert doc["source"]["path"] == f"{src}/ok\\xfe.md"

    p = cli("batch", src, "-o", tmp_path / "b", "--no-xlsx")
    assert p.returncode == 1
    assert "\x1b" not in p.stderr and "Traceback" not in p.stderr
    errors = [ln for ln in p.stderr.splitlines() if ln.startswith("error: ")]
    assert errors == [f"error: {src}/bad\\xff.md: the file is empty (0 bytes of content)",
                      f"error: {src}/x\\nerror: forged.md: the file is empty (0 bytes of content)"]
    report = json.loads((tmp_path / "b" / "report.json").read_text(encoding="utf-8"))
    assert {i["source_path"]: i["status"] for i in report["inputs"]}["ok\\xfe.md"] == "ok"


# --------------------------------------------------------------------------- faults


@pytest.mark.slow  # a 16,500-column table takes seconds to read
def test_a_table_wider_than_a_worksheet_is_left_out_of_the_workbook_only(tmp_path):
    n = 16_500
    wide = ("\n\n### 宽表\n\n单位：万元\n\n| 项目 | " + " | ".join(f"列{i}" for i in range(n))
            + " |\n|" + "---|" * (n + 1) + "\n| 合计 | "
            + " | ".join(f"{i}.00" for i in range(n)) + " |\n")
    (tmp_path / "w.md").write_text(SEED_TEXT.split("单位公开表2\n")[0] + wide, encoding="utf-8")
    p = cli("extract", tmp_path / "w.md", "-o", tmp_path / "out", "--xlsx")
    assert p.returncode == 0, p.stderr
    doc = json.loads((tmp_path / "out" / "w.json").read_text(encoding="utf-8"))
    assert len(doc["tables"]) == 2
    (w,) = [w for w in doc["warnings"] if "worksheet" in w]
    assert w.startswith("table 2 (宽表): 16,501 columns, more than a worksheet holds (16,384): "
                        "left out of the workbook")
    from openpyxl import load_workbook

    wb = load_workbook(tmp_path / "out" / "w.xlsx")
    assert len(wb.sheetnames) == 3  # 目录, table 1, 核对
    assert wb["目录"].cell(7, 6).value == "（16,501列，超出工作表上限，见CSV）"
    facts = facts_of(tmp_path / "out", "w")
    assert {f["value"] for f in facts if f["column"] == "列16499"} == {"16499.00"}
    assert value(facts, "1", "一、一般公共预算收入") == {"358.58"}


def cli_limited(limit: int, *args: object, env: dict | None = None) -> subprocess.CompletedProcess:
    return cli(*args, env=env, file_size_limit=limit)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="RLIMIT_FSIZE")
def test_no_room_for_the_datasets_ends_in_one_line_and_a_rerun_finishes(tmp_path):
    """The documents' files fit under the limit (about 520 KB each), budget.sqlite (1 MB
    for two) does not: the raw sqlite3.OperationalError and no report.json, before."""
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.md").write_bytes(SEED.read_bytes())
    (src / "b.html").write_bytes(bi.SEED_HTML.read_bytes())
    out = tmp_path / "out"
    p = cli_limited(800_000, "batch", src, "-o", out, "-q")
    assert p.returncode == 1
    assert "Traceback" not in p.stderr
    assert p.stderr.startswith(f"error: {out}: the combined datasets (facts.csv, budget.sqlite "
                               "…) could not be written in ")
    assert len(p.stderr.splitlines()) == 1
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["datasets_error"] == p.stderr.split(": ", 2)[2].strip()
    assert [i["status"] for i in report["inputs"]] == ["ok", "ok"]
    assert (out / "a.json").is_file() and (out / "b.json").is_file()
    assert not (out / "budget.sqlite").exists() and not (out / "facts.csv").exists()
    assert not [q for q in out.rglob("*") if ".part" in q.name or q.name.startswith(".tmp-")]

    p = cli("batch", src, "-o", out, "-q")  # with room: ends like an uninterrupted run
    assert p.returncode == 0, p.stderr
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert "datasets_error" not in report and report["summary"]["reused"] == 2
    import sqlite3

    with sqlite3.connect(out / "budget.sqlite") as db:
        assert db.execute("select count(distinct document) from facts").fetchone() == (2,)
    p = cli("batch", src, "-o", tmp_path / "clean", "-q")
    assert p.returncode == 0
    assert (out / "facts.csv").read_bytes() == (tmp_path / "clean" / "facts.csv").read_bytes()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="RLIMIT_FSIZE")
def test_no_room_for_temporary_files_is_named_and_leaves_none(tmp_path):
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    (tmp_path / "s.md").write_bytes(SEED.read_bytes())
    env = dict(os.environ, TMPDIR=str(tmp))
    p = cli_limited(100_000, "extract", tmp_path / "s.md", "-o", tmp_path / "out", "--xlsx",
                    env=env)
    assert p.returncode == 1
    assert p.stderr == (f"error: {tmp_path / 's.md'}: no room to write temporary files in {tmp} "
                        "(File too large; a file-size limit (ulimit -f) is set): free space "
                        "there or set TMPDIR to another folder\n")
    assert os.listdir(tmp) == []  # openpyxl's worksheet files went with the job's folder


# --------------------------------------------------------------------------- own messages


def test_fonts_without_a_unicode_mapping_get_their_own_message(tmp_path):
    """The tiny 收入总表 whose CJK font has Identity-H encoding and no ToUnicode table:
    pdfminer reads glyph numbers, ``(cid:25910)``; it was called "not a budget"."""
    data = bi.pdf_bytes([bi.budget_page()])
    for old, new in [(b"/Encoding /UniGB-UCS2-H", b"/Encoding /Identity-H  "),
                     (b"/Registry (Adobe) /Ordering (GB1) /Supplement 2",
                      b"/Registry (XY) /Ordering (Z) /Supplement 0     ")]:
        assert len(old) == len(new) and data.count(old) == 1
        data = data.replace(old, new)  # same length: the xref offsets stay right
    (tmp_path / "cid.pdf").write_bytes(data)
    (tmp_path / "seed.md").write_bytes(SEED.read_bytes())
    # PDFium (the default engine) decodes such glyphs through the embedded font itself,
    # as a PDFium-based viewer does: the table is read
    p = cli("extract", tmp_path / "cid.pdf", "-o", tmp_path / "pdfium")
    assert p.returncode == 0, p.stderr
    assert {f["value"] for f in facts_of(tmp_path / "pdfium", "cid")} == {
        "120.00", "100.00", "20.00"}
    p = cli("extract", tmp_path / "cid.pdf", tmp_path / "seed.md", "-o", tmp_path / "out",
            "--pdf-engine", "pdfplumber")
    assert p.returncode == 1
    (line,) = [ln for ln in p.stderr.splitlines() if ln.startswith("error: ")]
    # 某单位2026年单位预算 12 (its digits in the CJK font too), 收入总表 4, 单位：万元 5,
    # the header 18, 合计 2, 某单位 3: 44 of 78 (the amounts' 34 digits and dots decode)
    assert line == (f"error: {tmp_path / 'cid.pdf'}: the PDF's text cannot be decoded: 44 of "
                    "its 78 characters are glyph numbers with no Unicode mapping (fonts "
                    "without a ToUnicode table); copying text from a viewer gives the same "
                    "garbage — OCR the file or ask the publisher for another export")
    assert (tmp_path / "out" / "seed.json").is_file()


def test_a_table_printed_sideways_gets_its_own_message(tmp_path):
    """The tiny 收入总表 turned 90° on a square page that is not marked as rotated."""
    page = b"q 0 1 -1 0 842 0 cm\n" + bi.budget_page() + b"Q\n"
    (tmp_path / "side.pdf").write_bytes(bi.pdf_bytes([page], size=(842, 842)))
    p = cli("extract", tmp_path / "side.pdf", "-o", tmp_path / "out")
    assert p.returncode == 1
    assert p.stderr == (f"error: {tmp_path / 'side.pdf'}: no budget table found: the text runs "
                        "sideways on page 1 (tables printed turned on the page, the page not "
                        "marked as rotated): rotate those pages and extract again\n")


def incremental_update(base: bytes, new_content: bytes, *, break_startxref: bool) -> bytes:
    """``base`` (one page, content stream object 7) with an incremental update replacing
    that stream; ``break_startxref`` points the last ``startxref`` 7 bytes too far."""
    import re

    prev = int(re.search(rb"startxref\n(\d+)\n%%EOF\n$", base).group(1))
    size = int(re.search(rb"/Size (\d+)", base).group(1))
    out = bytearray(base)
    offset = len(out)
    out += (b"7 0 obj\n<< /Length %d >>\nstream\n" % len(new_content) + new_content
            + b"\nendstream\nendobj\n")
    xref = len(out)
    out += (b"xref\n7 1\n%010d 00000 n \ntrailer\n<< /Size %d /Root 1 0 R /Prev %d >>\n"
            b"startxref\n%d\n%%%%EOF\n" % (offset, size, prev, xref + (7 if break_startxref
                                                                       else 0)))
    return bytes(out)


@pytest.mark.parametrize("broken", [False, True], ids=["intact", "broken-startxref"])
def test_the_last_revision_is_read_as_a_viewer_shows_it(tmp_path, broken):
    """The update corrects 100.00 → 101.00 and 20.00 → 19.00; with a broken startxref
    pdfminer fell back to the first revision and read the old amounts, silently."""
    page = bi.budget_page()
    data = incremental_update(bi.pdf_bytes([page]), page.replace(b"(100.00)", b"(101.00)")
                              .replace(b"(20.00)", b"(19.00)"), break_startxref=broken)
    (tmp_path / "upd.pdf").write_bytes(data)
    p = cli("extract", tmp_path / "upd.pdf", "-o", tmp_path / "out")
    assert p.returncode == 0, p.stderr
    got = {(f["row_label"], f["column"]): f["value"] for f in facts_of(tmp_path / "out", "upd")}
    assert got == {(r, c): v for r in ("合计", "某单位") for c, v in
                   [("合计", "120.00"), ("一般公共预算拨款收入", "101.00"), ("其他收入", "19.00")]}
    doc = json.loads((tmp_path / "out" / "upd.json").read_text(encoding="utf-8"))
    rebuilt = [w for w in doc["warnings"] if "broken startxref" in w]
    assert rebuilt == (["the PDF's last update is not where its end says (a broken "
                        "startxref); it was read from a rebuilt copy, as a viewer shows it — "
                        "check the result against the file"] if broken else [])


# --------------------------------------------------------------------------- cheaper limits


def test_a_40000_dot_leader_in_the_toc_costs_one_pass(tmp_path):
    """A 目录 line of 40,000 dots not ending the line ran the leader regex quadratically
    (over 100 s; only the 300 s limit stopped it)."""
    anchor = "1. 主要职责\n"
    assert SEED_TEXT.count(anchor) == 1
    text = SEED_TEXT.replace(anchor, "1. 主要职责" + "." * 40_000 + "x\n", 1)
    (tmp_path / "leader.md").write_text(text, encoding="utf-8")
    import time

    t0 = time.monotonic()
    p = cli("extract", tmp_path / "leader.md", "-o", tmp_path / "out", "--timeout", "60")
    assert p.returncode == 0, p.stderr
    assert time.monotonic() - t0 < 30
    assert value(facts_of(tmp_path / "out", "leader"), "1", "一、一般公共预算收入") == {"358.58"}


def test_the_leader_pattern_is_unchanged_in_what_it_matches():
    import random
    import re

    from budget_extract.segment import LEADER

    before = re.compile(r"\s*[…\.·．]{3,}\s*\d*\s*$")  # the quadratic original
    rng = random.Random(14)
    for _ in range(20_000):
        s = "".join(rng.choice(". …·．1a 目") for _ in range(rng.randint(0, 14)))
        assert LEADER.sub("", s) == before.sub("", s), repr(s)


def test_a_span_bomb_is_capped_before_it_expands(tmp_path):
    """1,800 cells of colspan=1000 rowspan=1000 (65 KB) expanded to billions of grid
    positions: 77 s and the 4 GB memory cap, before.  Spans past 200,000 positions in
    all are read as single cells; the seed's own tables beside it are read as printed."""
    cells = "<td colspan=1000 rowspan=1000>x</td>" * 30
    bomb = "<table>" + ("<tr>" + cells + "</tr>") * 60 + "</table>"
    assert HTML_TEXT.count("</body>") == 1
    (tmp_path / "b.html").write_text(HTML_TEXT.replace("</body>", bomb + "</body>"),
                                     encoding="utf-8")
    import time

    t0 = time.monotonic()
    p = cli("extract", tmp_path / "b.html", "-o", tmp_path / "out", "--memory-limit", "1024")
    assert p.returncode == 0, p.stderr
    assert time.monotonic() - t0 < 60
    doc = json.loads((tmp_path / "out" / "b.json").read_text(encoding="utf-8"))
    assert "a table's cell spans cover more than 200,000 grid positions (a real table covers " \
           "a few thousand): the rest of its spans were read as single cells" in doc["warnings"]
    assert value(facts_of(tmp_path / "out", "b"), "1", "一、一般公共预算收入") == {"358.58"}


def test_text_outside_the_crop_box_is_not_read(tmp_path):
    """A viewer shows the CropBox: a copy of the table with other amounts drawn in the
    part of the MediaBox it cuts away is not read."""
    rows = [["项目", "合计", "一般公共预算拨款收入", "其他收入"],
            ["合计", "999.00", "900.00", "99.00"], ["某单位", "999.00", "900.00", "99.00"]]
    hidden = bi.ruled_table(rows, [50, 150, 250, 420, 545], 700)  # tops 700-760: y 82-142
    page = bi.budget_page()  # its table: tops 140-200
    data = bi.pdf_bytes([[hidden, page]], crop=(0, 300, 595, 842))
    (tmp_path / "crop.pdf").write_bytes(data)
    p = cli("extract", tmp_path / "crop.pdf", "-o", tmp_path / "out")
    assert p.returncode == 0, p.stderr
    got = {(f["row_label"], f["column"]): f["value"] for f in facts_of(tmp_path / "out", "crop")}
    assert got == {(r, c): v for r in ("合计", "某单位") for c, v in
                   [("合计", "120.00"), ("一般公共预算拨款收入", "100.00"), ("其他收入", "20.00")]}
    doc = json.loads((tmp_path / "out" / "crop.json").read_text(encoding="utf-8"))
    assert len(doc["tables"]) == 1
    # 项目合计一般公共预算拨款收入其他收入 18, 合计999.00900.0099.00 19, 某单位… 20
    assert ("hidden text not read: 57 character(s) outside the page's visible area on "
            "page 1 (a viewer does not show them)") in doc["warnings"]


def test_invisible_text_over_a_scanned_image_is_read() -> None:
    """A searchable scan prints its OCR text layer invisibly (rendering mode 3) over the page
    image: that layer is what the image shows, and is read; the same text over white paper
    is hidden and dropped."""
    from budget_extract.readers.pdf.page_model import Char, PageObjects
    from budget_extract.readers.pdf.visible import drop_hidden

    def page(image: bool) -> PageObjects:
        chars = [Char(t, 100 + 6 * i, 100, 106 + 6 * i, 110, 10, render_mode=3)
                 for i, t in enumerate("100.00")]
        return PageObjects(number=1, width=595, height=842, rotation=0, chars=chars,
                           segments=[], image_count=1 if image else 0,
                           backgrounds=[(0, 0, 595, 842)] if image else [])

    scanned = page(True)
    assert drop_hidden(scanned) == {} and "".join(c.text for c in scanned.chars) == "100.00"
    plain = page(False)
    assert drop_hidden(plain) == {"invisible": 6} and plain.chars == []


def test_batch_jobs_are_lowered_so_their_memory_caps_fit_the_machine(tmp_path):
    """The memory cap is per file: ``-j 64`` could take 64 caps, more than the machine
    has, and the kernel's out-of-memory killer (not the limit) would end the run.  The
    batch reads as many files at once as caps fit, says so, and writes every file."""
    from budget_extract.memory_budget import machine_memory_mb

    total = machine_memory_mb()
    assert total > 0
    cap = total // 2 + 1  # two caps do not fit: one file at a time
    src = tmp_path / "in"
    src.mkdir()
    for name in ["a.md", "b.md", "c.md"]:
        (src / name).write_bytes(SEED.read_bytes())
    p = cli("batch", src, "-o", tmp_path / "out", "-j", "64", "--memory-limit", str(cap))
    assert p.returncode == 0, p.stderr
    assert p.stderr.startswith(f"note: 64 files at once with the {cap:,} MB memory limit per "
                               f"file could take {64 * cap:,} MB, more than the {total:,} MB "
                               "this machine has: reading 1 at once"), p.stderr
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert sorted((i["source_path"], i["status"]) for i in report["inputs"]) == [
        ("a.md", "ok"), ("b.md", "ok"), ("c.md", "ok")]
    for stem in "abc":
        assert value(facts_of(tmp_path / "out", stem), "1", "一、一般公共预算收入") == {"358.58"}


def test_the_memory_budget_rule():
    from budget_extract.memory_budget import jobs_within_memory

    assert jobs_within_memory(8, 4096, 24_000) == (5, (
        "8 files at once with the 4,096 MB memory limit per file could take 32,768 MB, more "
        "than the 24,000 MB this machine has: reading 5 at once (lower --memory-limit to "
        "read more at once)"))
    assert jobs_within_memory(2, 4096, 24_000) == (2, None)  # fits: unchanged
    assert jobs_within_memory(4, 4096, 16_384) == (4, None)  # exactly fits
    assert jobs_within_memory(4, 8192, 4096)[0] == 1  # one file is the per-file limit's case
    assert jobs_within_memory(64, 0, 4096) == (64, None)  # no cap
    assert jobs_within_memory(64, 4096, 0) == (64, None)  # memory unknown


BUDGET_PAGE_FACTS = {(r, c): v for r in ("合计", "某单位") for c, v in
                     [("合计", "120.00"), ("一般公共预算拨款收入", "100.00"), ("其他收入", "20.00")]}


@pytest.mark.slow  # two runs of the command line
def test_a_cmap_bomb_stops_at_the_map_cap(tmp_path):
    """A ToUnicode CMap of 2 KB whose ranges cover 670 million 4-byte codes: pdfminer
    expanded them into a dict (20 s, then the 4 GB memory cap).  pdfplumber stops at
    1,048,576 codes; PDFium (the default) keeps ranges unexpanded and reads the page."""
    _plumber_refuses_pdfium_reads(tmp_path, bi.cmap_bomb_pdf(tmp_path),
                                  "page 1: a font's character map (CMap) maps more than "
                                  "1,048,576 codes")


def _plumber_refuses_pdfium_reads(tmp_path, bad, reason: str) -> None:
    """``bad`` beside the seed: pdfplumber refuses it within 30 s with ``reason`` and the
    seed is still written; PDFium (the default) reads the budget page ``bad`` carries."""
    import time

    (tmp_path / "seed.md").write_bytes(SEED.read_bytes())
    t0 = time.monotonic()
    p = cli("extract", bad, tmp_path / "seed.md", "-o", tmp_path / "out",
            "--pdf-engine", "pdfplumber")
    assert time.monotonic() - t0 < 30
    assert p.returncode == 1, p.stderr
    assert p.stderr.startswith(f"error: {bad}: {reason}"), p.stderr
    assert value(facts_of(tmp_path / "out", "seed"), "1", "一、一般公共预算收入") == {"358.58"}
    p = cli("extract", bad, "-o", tmp_path / "out2")
    assert p.returncode == 0, p.stderr
    got = {(f["row_label"], f["column"]): f["value"]
           for f in facts_of(tmp_path / "out2", bad.stem)}
    assert got == BUDGET_PAGE_FACTS


@pytest.mark.slow  # two runs of the command line
def test_a_form_fanout_goes_to_the_engine_that_counts_its_objects(tmp_path):
    """Twelve forms, each drawing the next ten times (5 KB): PDFium expanded all 10^11
    drawings when it loaded the page and aborted (11 s, 4 GB, SIGABRT).  The file goes to
    pdfplumber, which meets the per-page object limit; a small fan-out stays with PDFium."""
    import time

    from budget_extract.readers.pdf.fanout import form_fanout_exceeds

    bomb = bi.form_fanout_pdf(tmp_path)
    small = bi.form_fanout_pdf(tmp_path, "small.pdf", depth=3, fan=10)  # 100 drawings
    assert form_fanout_exceeds(bomb.read_bytes())
    assert not form_fanout_exceeds(small.read_bytes())
    t0 = time.monotonic()
    p = cli("extract", bomb, small, "-o", tmp_path / "out")
    assert time.monotonic() - t0 < 60
    assert p.returncode == 1, p.stderr
    assert p.stderr.startswith(f"error: {bomb}: page 1: more than 100,000 objects on one page"), \
        p.stderr
    got = {(f["row_label"], f["column"]): f["value"] for f in facts_of(tmp_path / "out", "small")}
    assert got == BUDGET_PAGE_FACTS


@pytest.mark.slow  # two runs of the command line
def test_a_page_of_no_op_operators_stops_at_the_content_cap(tmp_path):
    """48 MB of ``q Q`` on one page paint nothing, so the object limit never counted
    them: pdfminer ran for minutes (200 MB: past the 300 s limit).  pdfplumber now
    refuses a page whose content decodes past 32 MB; PDFium reads it in seconds."""
    _plumber_refuses_pdfium_reads(tmp_path, bi.noop_stream_pdf(tmp_path, megabytes=48),
                                  "page 1: its content streams decode to 48 MB, over the "
                                  "32 MB limit for one page")


def test_a_fanout_whose_forms_cannot_be_counted_is_not_given_to_pdfium(tmp_path):
    """Forms drawing forms through a filter the check does not decode (LZW here) could
    hide any fan-out: such a file goes to pdfplumber; a lone LZW form drawing no form
    does not."""
    from budget_extract.readers.pdf.fanout import form_fanout_exceeds

    data = bi.form_fanout_pdf(tmp_path, depth=3, fan=2).read_bytes()
    assert not form_fanout_exceeds(data)
    hidden = data.replace(b"/Subtype /Form /BBox", b"/Subtype /Form /Filter /LZWDecode /BBox")
    assert form_fanout_exceeds(hidden)
    leaf_only = data.replace(b"/Subtype /Form /BBox [0 0 595 842] /Resources << /Font",
                             b"/Subtype /Form /Filter /LZWDecode /BBox [0 0 595 842] "
                             b"/Resources << /Font")
    assert leaf_only != data and not form_fanout_exceeds(leaf_only)


@pytest.mark.slow  # two runs of the command line, each a few seconds
@pytest.mark.parametrize("engine", ["pdfium", "pdfplumber"])
def test_a_slow_page_is_skipped_and_the_rest_is_read(tmp_path, engine):
    """A page of 90,000 one-point characters is under every cap but took 6 s (PDFium) or
    13 s (pdfplumber), and only the per-file limit stopped slower ones, losing the whole
    document.  Over the per-page budget (0.3 s here) it is skipped with a warning naming
    it, and the next page's table is read."""
    slow = bi.slow_page_pdf(tmp_path)
    p = cli("extract", slow, "-o", tmp_path / "out", "--pdf-engine", engine,
            "--page-timeout", "0.3")  # page 1 takes 2.6 s (PDFium) or 7 s of CPU here
    assert p.returncode == 0, p.stderr
    got = {(f["row_label"], f["column"]): (f["value"], f["page"])
           for f in facts_of(tmp_path / "out", "slow-page")}
    assert got == {k: (v, "2") for k, v in BUDGET_PAGE_FACTS.items()}
    warnings = json.loads((tmp_path / "out" / "slow-page.json").read_text("utf-8"))["warnings"]
    assert [w for w in warnings if "skipped" in w] == [
        "page 1 was skipped: reading it took more than the 0.3 s limit for one page (real "
        "pages take under a second: the page is broken or hostile; raise --page-timeout if "
        "it is genuinely dense)"]


def test_the_operator_budget_counts_forms_drawn_many_times(tmp_path, monkeypatch):
    """pdfminer interprets a form each time it is drawn: 40 drawings of a form of 1,000
    no-op operators are 40,000 operators on the page.  Over the operator budget (20,000
    here) the page is skipped with a warning, the next page read; under it (50,000) the
    page is read."""
    from budget_extract.readers import pdf
    from budget_extract.readers.pdf import pagebudget

    form = bi._stream(b"1 w\n" * 1000, b"/Type /XObject /Subtype /Form /BBox [0 0 595 842] ")
    data = bi._with_resources([b"q " + b"/X0 Do " * 40 + b"Q\n", bi.budget_page()],
                              lambda n: [form], lambda n: b"/XObject << /X0 %d 0 R >>" % n)
    monkeypatch.setattr(pagebudget, "MAX_PAGE_OPERATORS", 20_000)
    src = pdf.read(data, "forms.pdf", engine="pdfplumber")
    assert src.warnings == [
        "page 1 was skipped: its content has more than 20,000 operators, the limit for one "
        "page (real pages hold under 10,000): the page is broken or hostile"]
    cells = [c.text for b in src.blocks if b.grid for c in b.grid.cells]
    assert cells[:8] == ["项目", "合计", "一般公共预算拨款收入", "其他收入", "合计", "120.00",
                         "100.00", "20.00"]
    assert {b.page for b in src.blocks} == {2}
    monkeypatch.setattr(pagebudget, "MAX_PAGE_OPERATORS", 50_000)
    assert pdf.read(data, "forms.pdf", engine="pdfplumber").warnings == []


def test_a_document_whose_every_page_is_over_budget_says_so(tmp_path, monkeypatch):
    """Nothing read because every page went over its budget is an error naming them, not
    "no text layer"."""
    from budget_extract.errors import ExtractError
    from budget_extract.readers import pdf
    from budget_extract.readers.pdf import pagebudget

    monkeypatch.setattr(pagebudget, "MAX_PAGE_OPERATORS", 1_000)  # checked every 4,096
    with pytest.raises(ExtractError) as err:
        pdf.read(bi.pdf_bytes([[bi.budget_page(), b"q Q\n" * 2_100]]), "one.pdf",
                 engine="pdfplumber")
    assert err.value.reason == (
        "nothing was read: page 1 was skipped: its content has more than 1,000 operators, the "
        "limit for one page (real pages hold under 10,000): the page is broken or hostile")


@pytest.mark.slow  # one scanned page recognised by OCR (about 4 s of CPU)
def test_a_scanned_page_is_recognised_whatever_the_page_budget(tmp_path, monkeypatch):
    """Recognising a page without text takes seconds of CPU by nature (4.3 s for the
    seed's scanned 收支总表) and has its own limits (``readers/pdf/ocr/page.py``), so the
    text-layer page budget does not cut it short.  Before, a recognised page over the
    budget escaped as ``PageOverBudget``: the whole file an internal error."""
    from test_ocr import SEED_SCAN, _pages, needs_ocr

    if needs_ocr.args[0]:
        pytest.skip(needs_ocr.kwargs["reason"])
    import budget_extract
    from budget_extract.api import facts
    from budget_extract.readers.pdf import pagebudget

    monkeypatch.setattr(pagebudget, "_seconds", 0.01)  # --page-timeout 0.01
    doc = budget_extract.extract(_pages(tmp_path, "scan.pdf", [(SEED_SCAN, [4])]))
    assert doc.source.ocr_pages == [1]
    assert not [w for w in doc.warnings if "skipped" in w]
    got = {(f.row_label, f.column): f.value for f in facts(doc)}
    # read off the page by hand (the seed's 单位公开表1)
    assert got[("一、一般公共预算收入", "收入/预算数")] == "358.58"
    assert got[("八、社会保障和就业支出", "支出/预算数")] == "339.22"
    assert got[("支出总计", "支出/预算数")] == "361.68"


def test_many_small_cmaps_cannot_add_up(tmp_path):
    """40 fonts, each with a 65,536-code ToUnicode map (each one under the per-map cap):
    2,621,440 codes in all stop at the document's cap, in pdfplumber; PDFium (which keeps
    ranges unexpanded) reads the page; 30 such fonts (1,966,080 codes) are under the cap."""
    from budget_extract.errors import ExtractError
    from budget_extract.readers import pdf

    many = bi.many_cmaps_pdf(tmp_path).read_bytes()
    with pytest.raises(ExtractError) as err:
        pdf.read(many, "many.pdf", engine="pdfplumber")
    assert err.value.reason == (
        "page 1: the fonts' character maps (CMaps) map more than 2,097,152 codes in all "
        "(real documents map a few thousand): the file is broken or hostile")
    cells = [c.text for b in pdf.read(many, "many.pdf").blocks if b.grid for c in b.grid.cells]
    assert cells[4:8] == ["合计", "120.00", "100.00", "20.00"]
    fewer = bi.many_cmaps_pdf(tmp_path, "fewer.pdf", fonts=30).read_bytes()
    cells = [c.text for b in pdf.read(fewer, "fewer.pdf", engine="pdfplumber").blocks
             if b.grid for c in b.grid.cells]
    assert cells[4:8] == ["合计", "120.00", "100.00", "20.00"]


@pytest.mark.slow  # one run of the command line, pdfplumber meeting the object limit
def test_a_form_fanout_hidden_in_object_streams_is_caught(tmp_path):
    """The twelve-form fan-out with every form's /Resources packed in a compressed object
    stream (PDF 1.5): the raw bytes show no form drawing another, so the check passed it
    and PDFium aborted (SIGABRT after 30 s).  Object streams are inflated and followed:
    the file goes to pdfplumber, which stops at the object limit; a small fan-out packed
    the same way stays with PDFium and is read."""
    from budget_extract.readers.pdf import fanout

    bomb = bi.form_fanout_objstm_pdf(tmp_path)
    small = bi.form_fanout_objstm_pdf(tmp_path, "small.pdf", depth=3, fan=10)
    assert fanout.form_fanout_exceeds(bomb.read_bytes())
    assert not fanout.form_fanout_exceeds(small.read_bytes())
    p = cli("extract", bomb, small, "-o", tmp_path / "out")
    assert p.returncode == 1, p.stderr
    assert p.stderr.startswith(f"error: {bomb}: page 1: more than 100,000 objects on one page"), \
        p.stderr
    got = {(f["row_label"], f["column"]): f["value"] for f in facts_of(tmp_path / "out", "small")}
    assert got == BUDGET_PAGE_FACTS


def test_object_streams_the_fanout_check_cannot_read_leave_the_file_to_pdfplumber(
        tmp_path, monkeypatch):
    """An object stream past the inflate bound, or in a filter the check does not decode,
    may hide any fan-out: the file is not given to PDFium."""
    from budget_extract.readers.pdf import fanout

    data = bi.form_fanout_objstm_pdf(tmp_path, "small.pdf", depth=3, fan=10).read_bytes()
    assert not fanout.form_fanout_exceeds(data)
    monkeypatch.setattr(fanout, "MAX_OBJSTM_TOTAL", 40)
    assert fanout.form_fanout_exceeds(data)
    monkeypatch.undo()
    lzw = data.replace(b"/ObjStm /N 3 /First", b"/ObjStm /N 3 /Filter /LZWDecode /First")
    lzw = lzw.replace(b"/Filter /FlateDecode /Length", b"/Length")
    assert lzw != data and fanout.form_fanout_exceeds(lzw)


DASH_ROWS = [["项目", "合计", "一般公共预算拨款收入", "其他收入", "事业收入"],
             ["合计", "100.00", "100.00", "-", "0.00"],
             ["某单位", "100.00", "100.00", "—", "0.00"],
             ["另一单位", "－", "－", "－", "－"]]


def dash_inputs(folder: Path) -> list[Path]:
    """The same 收入总表, with ``-``, ``—`` and ``－`` printed for zero, as PDF, Markdown
    and HTML."""
    pdf = folder / "dash.pdf"
    pdf.write_bytes(bi.pdf_bytes([
        bi.cjk_text(150, 60, "某单位2026年单位预算", size=16) + bi.cjk_text(50, 100, "收入总表")
        + bi.cjk_text(450, 120, "单位：万元")
        + bi.ruled_table(DASH_ROWS, [50, 130, 210, 380, 460, 545], 140)]))
    head = "# 某单位2026年单位预算\n\n收入总表\n\n单位：万元\n\n"
    md = folder / "dash.md"
    md.write_text(head + "\n".join("| " + " | ".join(r) + " |" for r in DASH_ROWS[:1])
                  + "\n|---|---|---|---|---|\n"
                  + "\n".join("| " + " | ".join(r) + " |" for r in DASH_ROWS[1:]) + "\n",
                  encoding="utf-8")
    html = folder / "dash.html"
    html.write_text("<html><body><h1>某单位2026年单位预算</h1><p>收入总表</p><p>单位：万元</p>"
                    "<table>" + "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>"
                                        for r in DASH_ROWS) + "</table></body></html>",
                    encoding="utf-8")
    return [pdf, md, html]


def test_dashes_for_zero_are_blank_and_reported_in_every_format(tmp_path):
    """The contract reads a dash as a blank: no fact (a fact is a numeric cell), zero in
    the checks.  It was passed over silently, and a column of dashes was taken for a text
    column, which split the table in two panels (其他收入 became the stub of a second one:
    事业收入's facts had the row label “-”); now a column of dashes is an amount column
    left empty, and each table says how many cells print one, in PDF, Markdown and HTML
    alike."""
    inputs = dash_inputs(tmp_path)
    p = cli("extract", *inputs, "-o", tmp_path / "out")
    assert p.returncode == 0, p.stderr
    for stem in ("dash.pdf", "dash.md", "dash.html"):
        got = {(f["row_label"], f["column"]): f["value"] for f in facts_of(tmp_path / "out", stem)}
        assert got == {("合计", "合计"): "100.00", ("合计", "一般公共预算拨款收入"): "100.00",
                       ("合计", "事业收入"): "0.00", ("某单位", "合计"): "100.00",
                       ("某单位", "一般公共预算拨款收入"): "100.00",
                       ("某单位", "事业收入"): "0.00"}, stem
        doc = json.loads((tmp_path / "out" / f"{stem}.json").read_text(encoding="utf-8"))
        assert [w for w in doc["warnings"] if "dash" in w] == [
            "table 1 (某单位2026年单位预算收入总表): 6 amount cell(s) print a dash or slash "
            "instead of a number "
            "(“-” ×1, “—” ×1, “－” ×4; first: row 1 “合计”, column 其他收入): read as blank, "
            "no fact (a blank counts as zero in the checks)"], stem
        assert all(c["status"] in ("pass", "skip") for c in doc["checks"]), stem

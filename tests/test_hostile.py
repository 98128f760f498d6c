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
    assert len(doc["tables"]) == 19

    p = run(script, "batch", ".", "-o", tmp_path / "b", "-j", "2", cwd=downloads)
    assert p.returncode == 0, p.stderr
    assert sorted(os.listdir(markers)) == []
    assert (tmp_path / "b" / "budget.sqlite").is_file()
    assert (tmp_path / "b" / "seed.xlsx").is_file()
    report = json.loads((tmp_path / "b" / "report.json").read_text(encoding="utf-8"))
    assert [i["status"] for i in report["inputs"]] == ["ok"]

    p = run(script, "check", "seed.md", cwd=downloads)
    assert p.returncode == 0, p.stderr
    assert p.stdout.startswith("seed.md: 240 checks")
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


def cli(*args: object, cwd: object = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "budget_extract.cli", *map(str, args)],
                          capture_output=True, text=True, cwd=cwd, timeout=300)


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
    assert len(doc["tables"]) == len(seed["tables"]) == 19
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
    assert b["source"]["path"].endswith("b/x.md") and len(b["tables"]) == 19
    assert len(list((out / "x.md").glob("*.csv"))) == 1
    assert len(list((out / "x.md-2").glob("*.csv"))) == 19
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
    assert len(list((out / "s").glob("*.csv"))) == 19
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
    p = cli("extract", pdf, tmp_path / "seed.md", "-o", tmp_path / "out")
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

    src = read(pdf.read_bytes(), str(pdf))
    assert "SHOWN WHITE ON BLACK" in [b.text for b in src.blocks]


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

"""Issue 14.6: writes that fail for want of room end in one line and a consistent state.

A full disk is simulated without root: in-process, by writing through ``/dev/full`` (every
write there fails with ENOSPC) or by capping SQLite's page count (a real ``database or
disk is full``); end to end, by running the command line under a file-size limit
(``RLIMIT_FSIZE``, ``SIGXFSZ`` ignored as Python does), which fails writes with EFBIG —
and SQLite's with an uninformative ``disk I/O error``.  Each case asserts the message
names the file and the cause, no temporary file is left, what was there before is
untouched, and a rerun with room gives the same bytes as an uninterrupted run.
"""

from __future__ import annotations

import errno
import json
import os
import resource
import shutil
import sqlite3
import subprocess
from pathlib import Path

import bad_inputs as bi
import pytest
from cli_process import cli
from cli_process import errors_of as _errors

from budget_extract.emit import combined, faults, files
from budget_extract.emit.combined import DATASET_FILES, DatasetWriter
from budget_extract.emit.faults import WriteFailed, write_failed
from budget_extract.jobs import BatchJob, run_job

HAVE_DEV_FULL = os.path.exists("/dev/full")


def _full_fd_tmp(real_make_tmp):  # noqa: ANN001, ANN202 - a make_tmp replacement
    """``make_tmp`` whose temporary file exists (to be renamed or removed) but whose open
    descriptor writes to ``/dev/full``: the write fails as on a full disk."""
    def make_tmp(folder: str, suffix: str = ".part") -> tuple[int, str]:
        fd, path = real_make_tmp(folder, suffix)
        os.close(fd)
        return os.open("/dev/full", os.O_WRONLY), path
    return make_tmp


def _temporaries(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.name.startswith(".tmp-")]


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and ".budget-extract" not in p.parts and p.name != "report.json"}


@pytest.fixture(scope="module")
def seed_records() -> dict:
    res = run_job(BatchJob(path=str(bi.SEED_MD), source_path="seed.md", sha256="0" * 64,
                           document="seed", mode="batch"))
    assert res.ok, res.error
    return res.records


# ------------------------------------------------------------------ the cause, in words


def test_a_full_disk_is_named_with_the_file_and_what_is_free(tmp_path):
    e = write_failed(str(tmp_path / "facts.csv"), OSError(errno.ENOSPC, "No space left"))
    assert isinstance(e, WriteFailed) and isinstance(e, OSError)
    assert e.errno == errno.ENOSPC
    assert e.filename == str(tmp_path / "facts.csv")
    assert e.strerror.startswith("no space left on the device, ")
    assert e.strerror.endswith(" free; free some space and run again")
    assert str(e).startswith(f"cannot write {tmp_path / 'facts.csv'} (no space left")
    other = PermissionError(errno.EACCES, "Permission denied")
    assert write_failed("x", other) is other  # not a want of room: left as it is


def test_sqlite_full_and_io_errors_are_told_apart(tmp_path, monkeypatch):
    conn = sqlite3.connect(tmp_path / "db.sqlite")
    conn.execute("CREATE TABLE t (x TEXT)")
    conn.execute("PRAGMA max_page_count = 3")
    with pytest.raises(sqlite3.OperationalError) as full:
        conn.executemany("INSERT INTO t VALUES (?)", [("x" * 1000,)] * 100)
    conn.close()
    e = write_failed(str(tmp_path / "budget.sqlite"), full.value)
    assert (e.errno, e.filename) == (errno.ENOSPC, str(tmp_path / "budget.sqlite"))
    assert e.strerror.startswith("no space left on the device")

    io_error = sqlite3.OperationalError("disk I/O error")
    monkeypatch.setattr(faults, "file_size_limit", lambda: 123_456)
    e = write_failed(str(tmp_path / "budget.sqlite"), io_error)
    assert e.errno == errno.EFBIG
    assert e.strerror == ("file too large: a file-size limit of 123,456 bytes is set "
                          "(ulimit -f); raise it and run again")
    monkeypatch.setattr(faults, "file_size_limit", lambda: None)
    monkeypatch.setattr(faults, "free_bytes", lambda path: 10 << 30)
    e = write_failed(str(tmp_path / "budget.sqlite"), io_error)  # plenty of room: I/O
    assert (e.errno, e.strerror) == (errno.EIO, "SQLite: disk I/O error")


# ------------------------------------------------------------------ in-process, /dev/full


@pytest.mark.skipif(not HAVE_DEV_FULL, reason="needs /dev/full")
def test_a_file_written_on_a_full_disk_keeps_the_old_one(tmp_path, monkeypatch):
    target = tmp_path / "x.json"
    target.write_bytes(b"old")
    monkeypatch.setattr(files, "make_tmp", _full_fd_tmp(files.make_tmp))
    with pytest.raises(WriteFailed) as e:
        files.write_bytes(str(target), b"new" * 10_000)
    assert e.value.errno == errno.ENOSPC and e.value.filename == str(target)
    assert target.read_bytes() == b"old"
    assert _temporaries(tmp_path) == []


def _plant_previous_datasets(out: Path) -> dict[str, bytes]:
    out.mkdir(exist_ok=True)
    for name in DATASET_FILES:
        (out / name).write_bytes(f"previous {name}\n".encode())
    return _snapshot(out)


@pytest.mark.skipif(not HAVE_DEV_FULL, reason="needs /dev/full")
def test_datasets_stopped_by_a_full_disk_at_the_last_file_leave_the_previous_ones(
        tmp_path, monkeypatch, seed_records):
    out = tmp_path / "out"
    before = _plant_previous_datasets(out)
    real = combined.make_tmp

    def make_tmp(folder: str, suffix: str = ".part") -> tuple[int, str]:
        # the CSVs and the database find room; metadata.json, written last, does not
        return (_full_fd_tmp(real) if suffix == ".json.part" else real)(folder, suffix)

    monkeypatch.setattr(combined, "make_tmp", make_tmp)
    writer = DatasetWriter(str(out))
    writer.add(seed_records)
    with pytest.raises(WriteFailed) as e:
        writer.commit([])
    assert e.value.filename == str(out / "metadata.json")
    assert e.value.strerror.startswith("no space left on the device")
    assert _snapshot(out) == before  # not one dataset file swapped in
    assert _temporaries(out) == []


def test_datasets_stopped_by_a_full_database_leave_the_previous_ones(
        tmp_path, monkeypatch, seed_records):
    out = tmp_path / "out"
    before = _plant_previous_datasets(out)
    real = combined.create_schema

    def tiny_disk(conn: sqlite3.Connection) -> None:
        real(conn)
        conn.execute("PRAGMA max_page_count = 40")  # 160 KB: the seed's rows need more

    monkeypatch.setattr(combined, "create_schema", tiny_disk)
    writer = DatasetWriter(str(out))
    with pytest.raises(WriteFailed) as e:
        writer.add(seed_records)
    assert e.value.filename == str(out / "budget.sqlite")
    assert e.value.errno == errno.ENOSPC
    assert _snapshot(out) == before
    assert _temporaries(out) == []


# ------------------------------------------------------------ end to end, RLIMIT_FSIZE


def _cli_limited(limit: int | None, *args: object) -> subprocess.CompletedProcess:
    return cli(*args, file_size_limit=limit)


@pytest.mark.slow
def test_extract_under_a_file_size_limit_names_the_file_and_the_limit(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    seed = src / "seed.md"
    shutil.copy(bi.SEED_MD, seed)
    (src / "tiny.md").write_text(bi.TINY_MD, encoding="utf-8")
    ref = tmp_path / "ref"
    p = _cli_limited(None, "extract", seed, src / "tiny.md", "-o", ref)
    assert p.returncode == 0, p.stderr
    expected = _snapshot(ref)
    # a limit every file fits under but the seed's S.json (written last, the mark of a
    # complete document)
    limit = max(len(v) for k, v in expected.items() if k != "seed.json") + 1
    assert len(expected["seed.json"]) > limit

    out = tmp_path / "out"
    p = _cli_limited(limit, "extract", seed, src / "tiny.md", "-o", out)
    assert p.returncode == 1, p.stderr
    assert "Traceback" not in p.stderr
    assert _errors(p.stderr) == [
        f"error: {seed}: cannot write {out / 'seed.json'} (file too large: a file-size "
        f"limit of {limit:,} bytes is set (ulimit -f); raise it and run again)"]
    got = _snapshot(out)
    assert "seed.json" not in got  # the document is marked incomplete …
    assert {k: v for k, v in got.items() if k.startswith("tiny")} == \
        {k: v for k, v in expected.items() if k.startswith("tiny")}  # … the other complete
    assert all(got[k] == expected[k] for k in got)  # nothing half-written
    assert _temporaries(out) == []

    p = _cli_limited(None, "extract", seed, src / "tiny.md", "-o", out)
    assert p.returncode == 0, p.stderr
    assert _snapshot(out) == expected


@pytest.mark.slow
def test_batch_datasets_under_a_file_size_limit_then_a_rerun_with_room(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(bi.SEED_MD, src / "seed.md")
    ref = tmp_path / "ref"  # the uninterrupted run, both documents
    shutil.copy(bi.SEED_HTML, src / "seed2.html")
    p = _cli_limited(None, "batch", src, "-o", ref, "-j", "1", "-q")
    assert p.returncode == 0, p.stderr
    expected = _snapshot(ref)
    state_sizes = [q.stat().st_size for q in (ref / ".budget-extract").rglob("*") if q.is_file()]
    limit = max([len(v) for k, v in expected.items() if k != "budget.sqlite"]
                + state_sizes) + 1
    assert len(expected["budget.sqlite"]) > limit  # only the database needs more

    out = tmp_path / "out"  # the datasets of the first document only …
    (src / "seed2.html").rename(tmp_path / "seed2.html")
    p = _cli_limited(None, "batch", src, "-o", out, "-j", "1", "-q")
    assert p.returncode == 0, p.stderr
    previous = {k: v for k, v in _snapshot(out).items() if k in DATASET_FILES}
    assert set(previous) == set(DATASET_FILES)

    (tmp_path / "seed2.html").rename(src / "seed2.html")  # … then a second, without room
    p = _cli_limited(limit, "batch", src, "-o", out, "-j", "1", "-q")
    assert p.returncode == 1, p.stderr
    assert "Traceback" not in p.stderr
    [line] = _errors(p.stderr)
    assert line.startswith(f"error: {out}: ")
    assert f"{out / 'budget.sqlite'} (file too large: a file-size limit of {limit:,} " \
           "bytes is set (ulimit -f); raise it and run again" in line
    got = _snapshot(out)
    assert {k: v for k, v in got.items() if k in DATASET_FILES} == previous
    for k, v in got.items():  # the second document's own files are complete
        if k not in DATASET_FILES:
            assert v == expected[k], k
    assert got["seed2.json"] == expected["seed2.json"]
    assert _temporaries(out) == []

    p = _cli_limited(None, "batch", src, "-o", out, "-j", "1", "-q")
    assert p.returncode == 0, p.stderr
    assert _snapshot(out) == expected  # as if nothing had happened
    assert _temporaries(out) == []


@pytest.mark.slow
def test_batch_document_under_a_file_size_limit_is_failed_by_name_and_reported(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(bi.SEED_MD, src / "seed.md")
    ref = tmp_path / "ref"
    p = _cli_limited(None, "batch", src, "-o", ref, "-j", "1", "-q", "--no-xlsx")
    assert p.returncode == 0, p.stderr
    expected = _snapshot(ref)
    # no workbook: openpyxl's own temporary files would meet the limit first
    limit = 300_000  # the seed's S.json does not fit, its other files and an empty
    assert len(expected["seed.json"]) > limit  # dataset do
    assert all(len(v) < limit for k, v in expected.items()
               if k.startswith("seed") and k != "seed.json")

    out = tmp_path / "out"
    p = _cli_limited(limit, "batch", src, "-o", out, "-j", "1", "-q", "--no-xlsx")
    assert p.returncode == 1, p.stderr
    assert "Traceback" not in p.stderr
    reason = (f"cannot write {out / 'seed.json'} (file too large: a file-size limit of "
              f"{limit:,} bytes is set (ulimit -f); raise it and run again)")
    assert _errors(p.stderr) == [f"error: {src / 'seed.md'}: {reason}"]
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert [(i["status"], i["error"]) for i in report["inputs"]] == [("failed", reason)]
    assert not (out / "seed.json").exists()
    assert (out / "budget.sqlite").is_file()  # the datasets, empty, are written
    assert _temporaries(out) == []

    p = _cli_limited(None, "batch", src, "-o", out, "-j", "1", "-q", "--retry-failed",
                     "--no-xlsx")
    assert p.returncode == 0, p.stderr
    assert _snapshot(out) == expected


def test_a_journal_line_without_room_is_cut_off_not_left_torn(tmp_path):
    """Under a file-size limit the line is written in part, then EFBIG: the part is
    removed, so the next line appended once there is room is read back whole."""
    from budget_extract.batch import State

    state = State(str(tmp_path))
    state.append({"source_path": "a.md", "status": "ok"})
    size = os.path.getsize(state.path)
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (size + 10, hard))  # SIGXFSZ: Python ignores
    try:
        with pytest.raises(WriteFailed) as e:
            state.append({"source_path": "b.md", "status": "ok", "error": "x" * 100})
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
    assert (e.value.errno, e.value.filename) == (errno.EFBIG, state.path)
    assert e.value.strerror.startswith(f"file too large: a file-size limit of {size + 10:,} ")
    assert os.path.getsize(state.path) == size
    assert "b.md" not in state.records
    state.append({"source_path": "c.md", "status": "ok"})
    assert sorted(State(str(tmp_path)).records) == ["a.md", "c.md"]

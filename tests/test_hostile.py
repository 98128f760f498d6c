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

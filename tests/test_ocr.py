"""OCR of scanned pages (readers/pdf/ocr): the seed as a scan, a degraded real scan.

The fixtures (fixtures/scan/, built by fixtures/build/make_scan_fixtures.py) have no text
layer at all.  Expected values are read off the page images by hand: the seed's 收支总表
(scan page 5, 单位公开表1), the 收支总表 of 上海市普陀区商务委员会 (degraded page 1:
grey paper, skewed by about 0.8°, noise, JPEG), and the 收入总表 and 三公 table of
北京市司法局 (degraded pages 1 and 3: the same degradation of light grey hairline rulings).

Recognition costs 2–4 CPU-seconds a page, so each test reads one or two pages, cut out of
the fixtures with PDFium, and the recognised Source is shared by the tests that only read
it.  Tests that need the ``ocr`` extra are skipped only when it is not installed (the
``test`` extra installs it, so CI runs them).
"""

from __future__ import annotations

import copy
import json
import socket
from decimal import Decimal
from pathlib import Path

import pytest

import budget_extract
from budget_extract import api
from budget_extract.errors import ExtractError
from budget_extract.pipeline import build_document
from budget_extract.readers import read
from budget_extract.readers.pdf.ocr import ocr_available
from budget_extract.readers.pdf.ocr.cleanup import clean_cell, clean_label, clean_number

FIXTURES = Path(__file__).parent.parent / "fixtures"
SEED_SCAN = FIXTURES / "scan" / "huaibei-hrss-info-center-2026-budget-scan.pdf"
DEGRADED = FIXTURES / "scan" / "shanghai-commerce-2025-degraded-scan.pdf"
BEIJING = FIXTURES / "scan" / "beijing-justice-2026-degraded-scan.pdf"
SHANGWU = FIXTURES / "上海市普陀区商务委员会2025年部门预算.pdf"

needs_ocr = pytest.mark.skipif(not ocr_available(),
                               reason="the ocr extra is not installed (pip install '.[ocr]')")


def _pages(folder: Path, name: str, parts: list[tuple[Path, list[int]]]) -> Path:
    """A PDF of the given 0-based pages of the given files, in order."""
    import pypdfium2 as pdfium

    new = pdfium.PdfDocument.new()
    for path, pages in parts:
        new.import_pages(pdfium.PdfDocument(str(path)), pages)
    out = folder / name
    new.save(str(out))
    return out


def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any connection attempt fails the test: OCR must run offline."""
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("OCR tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def _value(doc: budget_extract.Document, table_no: str, label: str, column: str) -> Decimal:
    hits = [f.value for f in api.facts(doc)
            if f.table_no == table_no and f.row_label == label and f.column == column]
    assert len(hits) == 1, (label, column, hits)
    return Decimal(hits[0])


# --------------------------------------------------------------------- no extra needed


def test_clean_number_fixes_what_the_recogniser_confuses():
    assert clean_number("O") == "0"  # a placeholder 0 read as the letter O
    assert clean_number("1O3.2O") == "103.20"
    assert clean_number("371, 514, 655.00") == "371,514,655.00"
    assert clean_number("l7,200，000.00") == "17,200,000.00"
    assert clean_number("25.908.655988") == "25,908.655988"  # thousands commas read as points
    assert clean_number("1.234") == "1.234"
    assert clean_number("IT运维") is None
    assert clean_number("—") is None


def test_clean_label_fixes_enumeration_marks():
    assert clean_label("二十丶住房保障支出") == "二十、住房保障支出"
    assert clean_label("2十、住房保障支出") == "二十、住房保障支出"
    assert clean_label("1、项目名称") == "1、项目名称"  # Arabic enumeration as printed
    assert clean_cell("IT运维服务") == "IT运维服务"
    assert clean_cell("3.1") == "3.1"


def test_low_confidence_cells_are_listed_with_page_and_box():
    from budget_extract.readers.pdf.ocr.engine import TextLine
    from budget_extract.readers.pdf.ocr.pages import MAX_LISTED, OcrPages

    pages = OcrPages(b"", None, "scan.pdf")
    pages.read = [1, 2, 3]
    pages.low = [(2, TextLine(100.0, 200.5, 140.25, 212.0, "3O8.5", 0.61))] * (MAX_LISTED + 2)
    out = pages.warnings(lambda p: "pages 1-3 have")
    assert out[0].startswith("pages 1-3 have no text layer and were read by OCR")
    assert out[1] == ("page 2: OCR read “3O8.5” with confidence 0.61 at [100.0, 200.5, 140.2, "
                      "212.0]; check it against the page")
    assert out[-1] == "… and 2 more table cells read by OCR with low confidence"
    assert len(out) == 1 + MAX_LISTED + 1


def test_scanned_file_without_the_extra_names_it(monkeypatch):
    monkeypatch.setattr("budget_extract.readers.pdf.ocr.pages.ocr_available", lambda: False)
    with pytest.raises(ExtractError, match=r"pages 1-4 have no text layer.*pip install "
                                           r"'budget_extract\[ocr\]'") as ei:
        read(str(DEGRADED))
    assert ei.value.path == str(DEGRADED)


# --------------------------------------------------------------------- with the extra


@pytest.fixture(scope="module")
def seed_page(tmp_path_factory):
    """The seed scan's 单位公开表1 (收支总表) page, read by OCR once for this module."""
    if not ocr_available():
        pytest.skip("the ocr extra is not installed")
    folder = tmp_path_factory.mktemp("ocr")
    with pytest.MonkeyPatch.context() as mp:
        _no_network(mp)
        return read(str(_pages(folder, "seed-p5.pdf", [(SEED_SCAN, [4])])))


@needs_ocr
@pytest.mark.slow
def test_seed_scan_table_read_by_ocr(seed_page):
    doc = build_document("seed-p5", copy.deepcopy(seed_page))
    (t,) = doc.tables
    assert (t.table_no, t.kind.value) == ("1", "income_expenditure_summary")
    assert t.title == "淮北市人力资源和社会保障局信息中心2026年收支总表"
    assert t.unit == "万元"
    # read off the page by hand
    assert _value(doc, "1", "一、一般公共预算收入", "收入/预算数") == Decimal("358.58")
    assert _value(doc, "1", "本年收入小计", "收入/预算数") == Decimal("361.68")
    assert _value(doc, "1", "八、社会保障和就业支出", "支出/预算数") == Decimal("339.22")
    assert _value(doc, "1", "二十、住房保障支出", "支出/预算数") == Decimal("15.67")
    assert _value(doc, "1", "支出总计", "支出/预算数") == Decimal("361.68")
    table_checks = [c for c in doc.checks if c.id.startswith("income_expenditure_summary")]
    assert table_checks and all(c.status == "pass" for c in table_checks)
    assert seed_page.ocr_pages == [1]
    assert any("read by OCR" in w for w in seed_page.warnings)


@needs_ocr
@pytest.mark.slow
def test_ocr_facts_keep_page_box_and_confidence(seed_page):
    doc = build_document("seed-p5", copy.deepcopy(seed_page))
    (row,) = [r for r in doc.tables[0].rows if r.label == "二十、住房保障支出"]
    cell = row.cells["支出/预算数"]
    assert cell.page == 1 and cell.bbox is not None
    x0, top, x1, bottom = cell.bbox
    assert 0 < x0 < x1 < 595 and 0 < top < bottom < 842  # inside the A4 page, in points
    assert cell.confidence is not None and 0.8 <= cell.confidence <= 1.0
    row_json = next(r for r in json.loads(api.to_json(doc))["tables"][0]["rows"]
                    if r["label"] == "二十、住房保障支出")
    assert row_json["ocr_confidence"]["支出/预算数"] == pytest.approx(cell.confidence, abs=1e-3)
    assert row_json["bbox"]["支出/预算数"] == pytest.approx(list(cell.bbox), abs=0.01)


@needs_ocr
@pytest.mark.slow
def test_a_misread_figure_is_reported_with_its_table(seed_page):
    src = copy.deepcopy(seed_page)
    grid = next(b.grid for b in src.blocks if b.grid is not None)
    (cell,) = [c for c in grid.cells if c.text == "339.22"]
    cell.text = "389.22"  # what a misread 3 for 8 would give
    doc = build_document("seed-p5", src)
    failed = [c for c in doc.checks if c.status == "fail"]
    # the 支出 items no longer add up to 本年支出小计 (361.68 on the page); the
    # 收入总计 = 支出总计 balance still holds, as both totals were read right
    assert "income_expenditure_summary.items.本年支出小计.支出/预算数" in [c.id for c in failed]
    (items,) = [c for c in failed if c.id.endswith("本年支出小计.支出/预算数")]
    assert items.expected == "361.68" and items.actual == "411.68"
    assert {r.get("page") for r in items.refs} == {1}
    assert not any(c.id.startswith("income_expenditure_summary.balance") for c in failed)
    (w,) = [w for w in doc.warnings if "read by OCR and" in w]
    assert w.startswith("table 1 (淮北市人力资源和社会保障局信息中心2026年收支总表)")
    assert "compare the table with page 1 of the scan" in w


@needs_ocr
@pytest.mark.slow
def test_scanned_page_inside_a_digital_file(tmp_path, monkeypatch):
    """A degraded, skewed scan of a real 收支总表 between text pages: it is straightened,
    read, and goes through the same table code as the text pages."""
    _no_network(monkeypatch)
    mixed = _pages(tmp_path, "mixed.pdf", [(SHANGWU, [0]), (DEGRADED, [0]), (SHANGWU, [20])])
    doc = budget_extract.extract(mixed)
    assert doc.source.ocr_pages == [2]
    assert any(w.startswith("page 2 has no text layer and was read by OCR")
               for w in doc.source.warnings)
    t = next(t for t in doc.tables if t.kind.value == "income_expenditure_summary")
    assert t.pages == [2] and t.unit == "元"
    assert _value(doc, t.table_no, "一、财政拨款收入", "本年收入/预算数") == Decimal("371514655.00")
    assert _value(doc, t.table_no, "一、一般公共服务支出", "本年支出/预算数") == Decimal("21601733.00")
    assert _value(doc, t.table_no, "五、资源勘探工业信息等支出",
                  "本年支出/预算数") == Decimal("293810000.00")
    assert _value(doc, t.table_no, "七、住房保障支出", "本年支出/预算数") == Decimal("2849034.00")
    assert _value(doc, t.table_no, "收入总计", "本年收入/预算数") == Decimal("371514655.00")
    assert any(t.kind.value == "three_public_expenditure" for t in doc.tables)  # text page


@needs_ocr
def test_a_page_past_the_time_limit_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr("budget_extract.readers.pdf.ocr.page.MAX_PAGE_SECONDS", 0.0)
    one = _pages(tmp_path, "one.pdf", [(DEGRADED, [3])])
    with pytest.raises(ExtractError, match=r"page 1: OCR took longer than the 0 s per-page "
                                           "limit") as ei:
        read(str(one))
    assert ei.value.path == str(one)


@needs_ocr
def test_a_broken_ocr_install_is_one_line(monkeypatch):
    """Installed but not loadable (the GUI OpenCV on a machine without libGL): a reason
    naming the extra, not a traceback."""
    import sys

    monkeypatch.setitem(sys.modules, "cv2", None)  # `import cv2` raises ImportError
    # the packages are there (find_spec would find them), they just fail to load
    monkeypatch.setattr("budget_extract.readers.pdf.ocr.pages.ocr_available", lambda: True)
    with pytest.raises(ExtractError, match=r"page 1 needs OCR, but the OCR extra cannot be "
                                           r"loaded .*pip install 'budget_extract\[ocr\]'"):
        read(str(DEGRADED))


@pytest.fixture(scope="module")
def beijing(tmp_path_factory):
    """The degraded 北京 scan's 收入总表 and 三公 pages as a two-page file, and its
    Source read by OCR page after page (once for this module)."""
    if not ocr_available():
        pytest.skip("the ocr extra is not installed")
    folder = tmp_path_factory.mktemp("ocr-bj")
    path = _pages(folder, "bj.pdf", [(BEIJING, [0, 2])])
    with pytest.MonkeyPatch.context() as mp:
        _no_network(mp)
        return path, read(str(path))


@needs_ocr
@pytest.mark.slow
def test_faint_grey_rulings_on_a_degraded_scan(beijing):
    """北京's rulings are light grey hairlines; on the degraded scan they are barely darker
    than the paper and figures touch them.  Every cell must still be its own: a lost
    ruling merges two figures into one cell (the 收入总表's data row lost four)."""
    _path, src = beijing
    doc = build_document("bj", copy.deepcopy(src))
    kinds = {t.kind.value: t for t in doc.tables}
    income = kinds["income_summary"]
    assert (income.pages, income.unit) == ([1], "万元")
    (row,) = [r for r in income.rows if r.cells]
    # read off 北京市司法局2026年度部门预算报表.pdf p. 3 by hand
    assert {k: c.text for k, c in row.cells.items() if c.text} == {
        "合计": "29,956.265460", "本年收入/小计": "29,577.000638",
        "本年收入/一般公共预算资金": "29,569.515638", "本年收入/其他收入": "7.485000",
        "上年结转结余/小计": "379.264822", "上年结转结余/一般公共预算资金": "274.683056",
        "上年结转结余/单位资金": "104.581766"}
    three = kinds["three_public_expenditure"]
    assert three.pages == [2]
    values = sorted(Decimal(f.value) for f in api.facts(doc) if f.table_no == three.table_no)
    # p. 18: total, 出国, 接待, 公务用车 小计, 购置, 运行维护
    assert values == sorted(Decimal(v) for v in ("102.109787", "48.237000", "2.813064",
                                                  "51.059723", "15.420000", "35.639723"))
    assert not [c.id for c in doc.checks if c.status == "fail"]


@needs_ocr
@pytest.mark.slow
def test_pages_recognised_in_parallel_give_the_same_output(beijing, tmp_path, monkeypatch):
    """With two OCR processes the two pages go to two forked processes (not this one),
    and the document is the same as read page after page."""
    import os

    from budget_extract.readers.pdf.ocr import OcrReader
    from budget_extract.readers.pdf.ocr.pages import use_workers

    path, serial = beijing
    pids = tmp_path / "pids"
    page = OcrReader.page

    def page_noting_pid(self, number):  # runs in the OCR processes (they are forks)
        with open(pids, "a", encoding="ascii") as f:
            f.write(f"{os.getpid()}\n")
        return page(self, number)

    monkeypatch.setattr(OcrReader, "page", page_noting_pid)
    _no_network(monkeypatch)
    use_workers(2)
    try:
        parallel = read(str(path))
    finally:
        use_workers(1)
    seen = pids.read_text(encoding="ascii").split()
    assert len(seen) == 2 and len(set(seen)) == 2 and str(os.getpid()) not in seen
    assert parallel.ocr_pages == serial.ocr_pages == [1, 2]
    assert parallel.warnings == serial.warnings
    assert api.to_json(build_document("bj", parallel)) == api.to_json(
        build_document("bj", copy.deepcopy(serial)))


def report_ocr_workers(job):
    """A batch worker for the test below: says what share of -j the job was given."""
    from budget_extract.jobs import failure

    return failure(job, f"ocr_workers={job.ocr_workers}")


@pytest.mark.parametrize(("jobs", "files", "share"), [(4, 1, 4), (4, 2, 2), (4, 3, 1),
                                                       (2, 5, 1), (1, 1, 1)])
def test_a_batch_shares_its_workers_with_scanned_pages(jobs, files, share):
    """Files and OCR processes together never exceed -j (the memory budget is -j caps)."""
    from budget_extract.executors import LocalExecutor
    from budget_extract.jobs import BatchJob

    ex = LocalExecutor(jobs=jobs, timeout=60, memory_mb=0, worker=report_ocr_workers)
    batch = [BatchJob(path=str(DEGRADED), source_path=f"f{i}.pdf", document=f"f{i}",
                      sha256="") for i in range(files)]
    assert [r.error for r in ex.run(batch)] == [f"ocr_workers={share}"] * files


@needs_ocr
@pytest.mark.slow
@pytest.mark.parametrize(("pil_angle", "way"), [(-90, "counter-clockwise"), (90, "clockwise")])
def test_a_page_scanned_sideways_is_read_upright(tmp_path, monkeypatch, pil_angle, way):
    """The degraded 上海 收支总表 scanned turned a quarter turn either way: its rulings are
    still straight, but its text runs down the page.  It is turned upright (the right way
    up, not upside down) and read, and the warnings say how it was turned."""
    import pypdfium2 as pdfium

    page = pdfium.PdfDocument(str(DEGRADED))[0]
    image = page.render(scale=150 / 72, grayscale=True).to_pil().convert("L")
    sideways = tmp_path / "sideways.pdf"
    image.rotate(pil_angle, expand=True).save(sideways, resolution=150)  # PIL: + is ccw
    _no_network(monkeypatch)
    doc = budget_extract.extract(sideways)
    (t,) = doc.tables
    assert t.kind.value == "income_expenditure_summary" and t.unit == "元"
    assert _value(doc, t.table_no, "一、财政拨款收入", "本年收入/预算数") == Decimal("371514655.00")
    assert _value(doc, t.table_no, "七、住房保障支出", "本年支出/预算数") == Decimal("2849034.00")
    assert _value(doc, t.table_no, "收入总计", "本年收入/预算数") == Decimal("371514655.00")
    assert not [c.id for c in doc.checks if c.status == "fail"]
    assert f"page 1 was scanned sideways and was read turned 90° {way}: the boxes of its " \
           "values are on the page so turned (its width and height swapped), not on the " \
           "PDF page as stored" in doc.source.warnings


@needs_ocr
@pytest.mark.slow
def test_scanned_pages_are_not_held_to_the_text_page_budget(tmp_path, monkeypatch):
    """The per-page CPU budget of text pages (``--page-timeout``) is not charged with
    recognition, which runs after the text layer is read and has its own limit."""
    from budget_extract.readers.pdf.pagebudget import set_page_seconds

    one = _pages(tmp_path, "one.pdf", [(DEGRADED, [3])])
    set_page_seconds(0.01)
    try:
        src = read(str(one))
    finally:
        set_page_seconds(None)
    assert src.ocr_pages == [1]
    assert not [w for w in src.warnings if "skipped" in w]
    assert any(b.grid is not None for b in src.blocks)

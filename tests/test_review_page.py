"""The review page ``S.html`` (docs/review.md), opened in a real headless browser.

The pages are made by the per-file job that ``extract`` and ``batch`` run (``run_job``), so
the wiring is what is tested, and opened in Debian's ``chromium`` driven by Playwright
(``.ci/run`` installs chromium; without it here the browser tests skip and say so).
Expected values are read off the seed PDF's pages (收入总表 on page 6, 支出总表 on page 7).
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import lxml.html
import pytest
import seed_facts
from cli_process import cli

from budget_extract.facts import table_facts
from budget_extract.jobs import BatchJob, run_job

ROOT = Path(__file__).resolve().parent.parent
SEED_PDF = ROOT / "fixtures" / "huaibei-hrss-info-center-2026-budget.pdf"
SEED_MD = ROOT / "fixtures" / "huaibei-hrss-info-center-2026-budget.md"
CHROMIUM = shutil.which("chromium") or (
    "/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None)
BROWSER_ARGS = ["--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run"]


def review_page(src: Path, out: Path, *, text: str | None = None) -> Path:
    """Run the job ``extract`` runs on ``src`` (or on ``text`` saved under its name) and
    write its review page; the page's path."""
    if text is not None:
        out.mkdir(parents=True, exist_ok=True)
        copy = out / src.name
        copy.write_text(text, encoding="utf-8")
        src = copy
    res = run_job(BatchJob(path=str(src), source_path=src.name, sha256="",
                           document=src.stem, mode="extract"))
    assert res.ok, res.error
    page = out / f"{src.stem}.{src.suffix[1:]}.html"
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_bytes(res.files[f"{src.stem}.html"])
    return page


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("review")
    return {"pdf": review_page(SEED_PDF, out), "md": review_page(SEED_MD, out)}


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if CHROMIUM is None:
        pytest.skip("chromium is not installed (apt-get install chromium; .ci/run does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        yield b
        b.close()


def open_page(browser: Any, path: Path) -> tuple[Any, list[str]]:
    """The page loaded, and every console error or uncaught exception it raised."""
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: None if r.url.startswith(("file:", "data:"))
            else errors.append(f"network request: {r.url}"))
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    return page, errors


# --------------------------------------------------------------------------- the file itself


def test_pdf_review_page_is_self_contained(pages: dict[str, Path]) -> None:
    html = pages["pdf"].read_text(encoding="utf-8")
    tree = lxml.html.fromstring(html)
    # no reference to anything outside the file
    for el in tree.iter():
        for attr in ("src", "href"):
            v = el.get(attr)
            assert v is None or v.startswith(("#", "data:")), (el.tag, v)
    assert "http://" not in html.replace("http-equiv", "") and "https://" not in html
    # one inlined image per page holding a table: the seed prints its tables on pages
    # 5–16 (表1–表12) and 20–28 (the 绩效目标 forms and the list)
    images = {int(n) for n in re.findall(r"\.pg(\d+)\{background-image:url\("
                                                       r"data:image/png;base64,", html)}
    assert images == set(range(5, 17)) | {20, 21, 22, 26, 27, 28}
    assert len(html.encode()) < 1_500_000


def test_merged_header_as_printed(pages: dict[str, Path]) -> None:
    """收入总表 (page 6): 本年收入 over 11 columns, 单位资金 over 6, 上年结转结余 over 6."""
    tree = lxml.html.fromstring(pages["pdf"].read_text(encoding="utf-8"))
    head = tree.xpath("//section[@id='t1']//table[@class='ext']/thead/tr")
    cells = [[(th.text_content(), int(th.get("colspan", 1)), int(th.get("rowspan", 1)))
              for th in tr.findall("th")] for tr in head]
    assert cells[0] == [("部门（单位）名称", 1, 3), ("合计", 1, 3), ("本年收入", 11, 1),
                        ("上年结转结余", 6, 1)]
    assert cells[1][:6] == [("小计", 1, 2), ("一般公共预算", 1, 2), ("政府性基金预算", 1, 2),
                            ("国有资本经营预算", 1, 2), ("财政专户管理资金", 1, 2),
                            ("单位资金", 6, 1)]
    assert [c[0] for c in cells[2]] == ["小计", "事业收入", "事业单位经营收入", "上级补助收入",
                                        "附属单位上缴收入", "其他收入"]
    # the full header path on hover
    assert head[2].findall("th")[5].get("title") == "本年收入/单位资金/其他收入"


def test_markdown_page_has_tables_without_images(pages: dict[str, Path]) -> None:
    html = pages["md"].read_text(encoding="utf-8")
    assert "data:image" not in html and 'class="cellbox"' not in html
    tree = lxml.html.fromstring(html)
    assert len(tree.xpath("//section[@class='tbl']")) == seed_facts.TABLES
    # the sample's conversion shifts the 收入总表 header: its six failed checks are listed
    assert len(tree.xpath("//section[@id='checks']//li[contains(@class, 'fail')]")) == seed_facts.FAILS


@pytest.mark.slow
def test_no_review_option(tmp_path: Path) -> None:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    r = cli("extract", SEED_MD, "-o", tmp_path, "--no-review", "-q", env=env)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / f"{SEED_MD.stem}.json").is_file()
    assert not (tmp_path / f"{SEED_MD.stem}.html").exists()


# --------------------------------------------------------------------------- in a browser


def test_pdf_page_in_browser(browser: Any, pages: dict[str, Path], extracted: Any) -> None:
    doc = extracted(SEED_PDF)
    page, errors = open_page(browser, pages["pdf"])
    sections = page.locator("section.tbl")
    assert sections.count() == len(doc.tables) == seed_facts.TABLES
    drawn = page.evaluate("() => [...document.querySelectorAll('section.tbl')].map("
                          "s => s.querySelectorAll('.cellbox').length)")
    assert drawn == [len(table_facts(doc.stem, t)) for t in doc.tables]
    # 收支总表 (page 5): eleven amounts printed, 358.58 … 361.68
    assert sections.nth(0).locator(".cellbox").count() == 11
    # boxes are drawn where the page is: inside the page image, with a size
    box = sections.nth(0).locator(".cellbox").first.bounding_box()
    img = sections.nth(0).locator(".page").first.bounding_box()
    assert box and img and box["width"] > 5 and box["height"] > 5
    assert img["x"] <= box["x"] and box["x"] + box["width"] <= img["x"] + img["width"]
    assert errors == []
    page.close()


def test_clicking_a_check_highlights_its_cells_on_the_page(browser: Any,
                                                           pages: dict[str, Path]) -> None:
    """支出总表 (page 7): 21011 行政事业单位医疗 5.08 against 3.59 + 1.5 (within rounding)."""
    page, errors = open_page(browser, pages["pdf"])
    section = page.locator("section#t2")
    check = section.locator("li.check", has_text="expenditure_summary.code_tree.21011.合计")
    check.click()
    hl_cells = sorted(section.locator("td.hl").all_inner_texts())
    assert hl_cells == ["1.5", "3.59", "5.08"]
    assert section.locator(".cellbox.hl").count() == 3
    assert page.locator(".hl").count() == 6  # nothing else lit
    # a check of another table clears them
    page.locator("section#t4 li.check").first.click()
    assert section.locator(".hl").count() == 0
    assert errors == []
    page.close()


def test_clicking_a_failing_check_in_markdown(browser: Any, pages: dict[str, Path]) -> None:
    """The sample Markdown's 收入总表 header is shifted by its conversion: 单位资金's 3.1 sits
    under 单位资金/小计 with nothing under its four parts, so the first check fails.  Clicking
    it lights the 3.1 and the four blanks it was compared with, all in 表2."""
    page, errors = open_page(browser, pages["md"])
    failing = page.locator("#checks li.check.fail")
    assert failing.count() == seed_facts.FAILS
    failing.first.click()
    assert "sel" in (failing.first.get_attribute("class") or "")
    lit = page.locator("td.hl")
    # 3.1 ≠ 事业收入 (blank) + 事业单位经营收入 (blank) + 上级补助收入 (blank) + 附属单位上缴收入 (blank)
    assert sorted(lit.all_inner_texts()) == ["", "", "", "", "3.1"]
    assert page.locator("td.hl", has_text="3.1").get_attribute("title") == \
        "本年收入/单位资金/小计 · 淮北市人力资源和社会保障局 万元"
    assert set(lit.evaluate_all("els => els.map(el => el.closest('section').id)")) == {"t1"}
    assert errors == []
    page.close()


def test_cell_text_cannot_inject_html(browser: Any, tmp_path: Path) -> None:
    """A document is untrusted: markup in a cell, a title or a heading stays text."""
    # entities: the Markdown reader drops raw tags, and decodes these into the cell's text
    hostile = ("&lt;img src=x onerror=\"document.title='pwned'\"&gt;"
               "&lt;script&gt;window.pwned=1&lt;/script&gt;")
    text = SEED_MD.read_text(encoding="utf-8").replace("社会保障和就业支出", hostile)
    text = text.replace("2026年收入总表", "2026年收入总表&quot;&gt;&lt;b id=evil&gt;")
    path = review_page(SEED_MD, tmp_path, text=text)
    page, errors = open_page(browser, path)
    assert page.locator("img").count() == 0 and page.locator("#evil").count() == 0
    assert page.evaluate("() => window.pwned") is None
    assert page.title().startswith("Review:") and "pwned" not in page.title()
    assert page.locator("td", has_text="<img src=x").count() >= 1  # shown as printed
    assert errors == []
    page.close()


def test_boxes_sit_on_the_printed_amounts(extracted: Any) -> None:
    """The page image and the boxes agree: on the seed's page 9 (一般公共预算支出表) the box
    of 合计/合计 (358.58) holds dark text pixels, and the same box moved one cell down, over
    教育支出's 1.71, holds text too, while the empty 公用经费 cell of 教育支出 is blank."""
    import base64
    import io

    from PIL import Image

    from budget_extract.emit.page_images import render_pages

    doc = extracted(SEED_PDF)
    img = render_pages(SEED_PDF, [9])[9]
    assert img.width == pytest.approx(595.3, abs=0.5) and img.height == pytest.approx(841.9, abs=0.5)
    png = Image.open(io.BytesIO(base64.b64decode(img.data_uri.split(",", 1)[1])))
    assert png.size == (794, 1123) and png.mode == "P"
    t = next(t for t in doc.tables if t.kind == "general_budget_expenditure")
    by_value = {(r.label, k): c for r in t.rows for k, c in r.cells.items()}

    def dark_pixels(bbox: tuple[float, float, float, float]) -> int:
        left, top, width, height = img.percent_box(bbox)
        w, h = png.size
        box = (round(left * w / 100) + 2, round(top * h / 100) + 2,
               round((left + width) * w / 100) - 2, round((top + height) * h / 100) - 2)
        gray = png.convert("L").crop(box)
        return sum(gray.histogram()[:128])

    total = by_value[("合计", "合计")]
    assert total.text == "358.58" and total.page == 9 and total.bbox is not None
    assert dark_pixels(total.bbox) > 20
    assert by_value[("教育支出", "合计")].text == "1.71"
    assert dark_pixels(by_value[("教育支出", "合计")].bbox) > 10
    x0, _, x1, _ = by_value[("合计", "基本支出/公用经费")].bbox  # 7.2 printed above
    _, top, _, bottom = by_value[("教育支出", "合计")].bbox
    assert dark_pixels((x0, top, x1, bottom)) == 0  # 教育支出 has no 公用经费


@pytest.mark.slow
def test_batch_writes_review_pages_and_no_review_skips_them(tmp_path: Path) -> None:
    """``batch`` writes S.html beside each document's files, with page images for a PDF
    (a box for each of the seed's facts); with ``--no-review`` it writes none."""
    from budget_extract.batch import BatchOptions, run_batch

    src = tmp_path / "in"
    (src / "sub").mkdir(parents=True)
    shutil.copy(SEED_PDF, src / "sub" / SEED_PDF.name)
    shutil.copy(SEED_MD, src / "seed.md")
    out = tmp_path / "out"
    run_batch(str(src), str(out), BatchOptions(jobs=1, xlsx=False))
    pdf_page = (out / "sub" / f"{SEED_PDF.stem}.html").read_text(encoding="utf-8")
    assert pdf_page.count('class="cellbox"') == seed_facts.FACTS and "data:image/png" in pdf_page
    assert "<h1>淮北市人力资源和社会保障局信息中心2026年度单位预算</h1>" in pdf_page
    assert (out / "seed.html").is_file()
    plain = tmp_path / "plain"
    run_batch(str(src), str(plain), BatchOptions(jobs=1, xlsx=False, review=False))
    assert (plain / "seed.json").is_file() and not list(plain.rglob("*.html"))

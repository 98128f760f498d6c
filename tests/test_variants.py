"""Layout variants of the seed (fixtures/build/make_variants.py) give the seed's facts.

Each variant prints the seed's twelve tables as another real template would (公开NN表 /
预算NN表 / 表一 / in-grid captions or none, the 目录 numbering them, the title inside the
grid, beside the caption or the unit, the unit line inside the grid, a 栏次 row centred or
right-aligned, a 行次 column in the 收支总表 panels, the 收支总表 in 3–4 panels, 类/款/项
code columns with or without leading zeros, codes right-aligned or centred, header text
stacked one character a line, tables crossing pages with the header repeated, partly
repeated or absent, a row split by the page's end, empty tables saying 本表无数据 or
printing their header alone, no rulings, 元 with thousands separators, six decimals).  The content is the
seed's, so the expected facts are the seed's own, known by construction
(tests/variant_facts.py lists the only differences allowed).

The PDFs are rendered once per session into a temporary folder (WeasyPrint, the
``fixtures`` extra, and a CJK font are needed; without them the tests are skipped).  By
default a handful of combined variants run, which together use every feature; set
``BUDGET_VARIANTS=all`` to run every variant of the generator's list (each feature alone
too), or ``BUDGET_VARIANTS='unit+lanci,yuan'`` for chosen ones.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from variant_facts import SEED_PDF, diff, expected, keyed, make_variants

# together these use every feature of the generator
COMBINED = [
    "yuan+codes=split+pages=repeat+captions=biao+codealign=center+panels=4",
    "unit+pages=absent+captions=inside+hangci+empty=text",
    "captions=gongkai+lanci+codes=nozero+pages=partial+vertical",
    "captions=yusuan+unruled+lanci=right+decimals=6+empty=text",
    "captions=none+codes=split+unit+title=inside+panels=3",
    "captions=bare+title=unit+empty=blank+vertical",
]


def chosen() -> list[str]:
    wanted = os.environ.get("BUDGET_VARIANTS", "")
    if wanted == "all":
        return make_variants.VARIANTS + [v for v in COMBINED if v not in make_variants.VARIANTS]
    return [v for v in wanted.split(",") if v] or COMBINED


def test_combined_variants_use_every_feature():
    used = {key for name in COMBINED for key, _ in make_variants.parse(name)}
    assert used == set(make_variants.FEATURES)


@pytest.fixture(scope="session")
def variant_pdf(tmp_path_factory):
    """``variant_pdf(name)``: the variant rendered to PDF, once per session."""
    pytest.importorskip("weasyprint")
    try:
        font = make_variants.cjk_font()
    except (RuntimeError, OSError) as e:
        pytest.skip(str(e))
    folder = tmp_path_factory.mktemp("variants")
    made: dict[str, Path] = {}

    def get(name: str) -> Path:
        if name not in made:
            made[name] = make_variants.render(name, folder / make_variants.file_name(name),
                                              font)
        return made[name]

    return get


# variants the tool does not read right yet: (reason); strict, so a fix shows
KNOWN_FAILING: dict[str, str] = {}


@pytest.mark.parametrize("name", [
    pytest.param(n, marks=pytest.mark.xfail(reason=KNOWN_FAILING[n], strict=True))
    if n in KNOWN_FAILING else n for n in chosen()])
def test_variant_gives_seed_facts(name, variant_pdf, extracted):
    doc = extracted(variant_pdf(name))
    got, want = keyed(doc), expected(extracted, name)
    assert got == want, diff(got, want)
    # the twelve tables are found, numbered 1…12 whatever the caption style; without
    # rulings 单位公开表12 is a header with no rows under it, one line of words that nothing
    # on the page tells from text (as in the committed unruled seed, test_seed_pdfs.py)
    numbered = [t.table_no for t in doc.tables if t.kind != "performance_target"]
    last = 11 if "unruled" in name else 12
    assert numbered == [str(n) for n in range(1, last + 1)]
    # each with the seed's title, wherever the layout prints it (not a part's heading)
    seed = {t.table_no: t.title for t in extracted(SEED_PDF).tables if t.table_no}
    assert [t.title for t in doc.tables if t.table_no] == [seed[n] for n in numbered]


def test_variants_print_what_they_say(variant_pdf):
    """The generator really prints the features (so the test above tests something).  It
    looks at the combined variants the test above renders anyway: WeasyPrint takes seconds a
    variant."""
    import pdfplumber

    with pdfplumber.open(variant_pdf(COMBINED[2])) as pdf:  # gongkai, lanci, codes=nozero
        text = "\n".join(p.extract_text() or "" for p in pdf.pages)
        assert "公开05表" in text and "单位公开表" not in text
        assert "栏次" in text
        # 类/款/项 columns without the leading zero: 208 | 1 | 99 for 2080199
        assert any(" ".join(w["text"] for w in line) .startswith("208 1 99")
                   for line in _lines(pdf))
    with pdfplumber.open(variant_pdf(COMBINED[0])) as pdf:  # yuan, pages=repeat, panels=4
        text = "\n".join(p.extract_text() or "" for p in pdf.pages)
        assert "3,585,800.00" in text and "单位：元" in text
        # the 收支总表 in four panels crosses a page with its header repeated: a page with
        # the header and no title
        text = [p.extract_text() or "" for p in pdf.pages]
        assert any("支出经济分类" in t and "2026年" not in t for t in text)
        assert any("支出功能分类" in t and "支出性质" in t and "支出经济分类" in t for t in text)
    with pdfplumber.open(variant_pdf(COMBINED[5])) as pdf:  # vertical, empty=blank
        text = "\n".join(p.extract_text() or "" for p in pdf.pages)
        # 支出总表's 合计 | 基本支出 | 项目支出 headings one character a line, side by side
        # (vertically centred: 合/计 one line lower than 基/本/支/出)
        assert "基 项\n合 本 目\n科目编码 科目名称\n计 支 支\n出 出" in text


def _lines(pdf):
    for page in pdf.pages:
        rows: dict[int, list] = {}
        for w in page.extract_words():
            rows.setdefault(round(w["top"]), []).append(w)
        for _, ws in sorted(rows.items()):
            yield sorted(ws, key=lambda w: w["x0"])

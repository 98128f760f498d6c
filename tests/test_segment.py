"""The segmenter on small made-up documents: 目录 repairs, parts, sections, meta."""

from __future__ import annotations

from budget_extract.readers.markdown import read_markdown_text
from budget_extract.segment import segment

DOC = """**某某局**
**2026年度部门预算**

# 目 录

## 第一部分 部门概况

1. 主要职责

## 第二部分 某某局2026年度部门预算表

1. 某某局2026年收支总表
2. 某某局2026年一般公共预算支\ufffd

## 出表

## 第三部分 某某局2026年度部门预算情况说明

# 第一部分 部门概况

## 一、主要职责

负责某某工作，加强对核心数据的保护，做

好数据分类分级。

# 第三部分 某某局2026年度部门预算情况说明

## 一、关于2026年收支总表的说明

收支总预算10.5万元。

**第四部分 名词解释**

一、财政拨款收入：指从同级财政取得的资金。
"""


def test_toc_recognised_and_repaired():
    blocks, _ = read_markdown_text(DOC)
    seg = segment(blocks)
    titles = [(e.number, e.title) for e in seg.toc if e.number]
    assert titles == [("1", "主要职责"), ("1", "某某局2026年收支总表"),
                      ("2", "某某局2026年一般公共预算支出表")]
    assert any("truncated" in w for w in seg.warnings)
    assert any("rejoined" in w for w in seg.warnings)
    # nothing of the 目录 becomes a section
    assert all(s.heading != "出表" for s in seg.sections)


def test_meta_parts_and_sections():
    blocks, _ = read_markdown_text(DOC)
    seg = segment(blocks)
    assert seg.meta["unit_name"] == "某某局"
    assert seg.meta["year"] == "2026" and seg.meta["level"] == "部门"
    by_heading = {s.heading: s for s in seg.sections}
    duty = by_heading["一、主要职责"]
    assert duty.part == "overview"
    # a sentence broken by a page break is rejoined
    assert duty.text == "负责某某工作，加强对核心数据的保护，做好数据分类分级。"
    expl = by_heading["一、关于2026年收支总表的说明"]
    assert expl.part == "explanation" and expl.text == "收支总预算10.5万元。"
    assert any(s.part == "glossary" for s in seg.sections)

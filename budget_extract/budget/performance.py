"""项目支出绩效目标表: form-like performance-target tables as one record per project.

These are not grid tables with headers: the top half is label/value pairs scattered over
the row (``项目名称 | | 金保工程保障费``, ``项目期限 | | 1年 | 其中：建设期限 | | 运营期限``),
the bottom half is the indicator tree (一级/二级/三级指标, 指标值) with the parent labels
printed once per group.  Page breaks split a form into fragments, and a continuation
fragment may have fewer columns than the first (the converter drops empty leading
columns) and may start with the tail of a cell cut in two by the break.  Labels are
therefore found by their text, not their position, and continuation rows are aligned by
content.  Where the grids carry cell positions (a ruled PDF), :func:`align_fragments`
puts every fragment on one column grid by x position first, so the columns of a
continuation need no guessing; a row cut by a page break (no label in its label columns at
the top of the next fragment) is then joined onto the previous fragment's last row.

Record keys are the labels as printed (Chinese); :data:`FIELD_ALIASES` maps them to
English identifiers for consumers that want ASCII keys (see :func:`english_keys`):

=============  ====================  =============================================
key            alias                 meaning
=============  ====================  =============================================
项目名称        project_name          project name
主管部门及代码  department            supervising department as printed ``[104]名称``
主管部门代码    department_code       the bracketed code of the above (extra)
实施单位        implementing_unit     implementing unit
项目来源        project_source        e.g. 本级申报项目
资金投向领域    funding_area          investment area (often blank)
项目期限        term                  e.g. 1年
建设期限        construction_term     其中：建设期限
运营期限        operation_term        运营期限
资金单位        money_unit            unit of the money fields, from 项目资金（万元）
年度资金总额    annual_total          annual funds, printed text
财政拨款        fiscal_appropriation  of which fiscal appropriation
专项债券        special_bonds         special bonds
上年结转        carried_over          carried over from last year
其他资金        other_funds           other funds
年度目标        annual_objective      the year's objective (free text)
indicators     indicators            [[一级指标, 二级指标, 三级指标, 指标值], …]
warnings       warnings              what could not be placed with confidence
=============  ====================  =============================================

Money fields keep the printed text (``236.00``), thousands separators removed.
"""

from __future__ import annotations

import re
from typing import Any

from .numbers import amount_text

__all__ = [
    "FIELD_ALIASES",
    "FIELDS",
    "align_fragments",
    "clean_cell",
    "english_keys",
    "merge_projects",
    "parse_performance_table",
]

FIELDS: tuple[str, ...] = (
    "项目名称",
    "主管部门及代码",
    "主管部门代码",
    "实施单位",
    "项目来源",
    "资金投向领域",
    "项目期限",
    "建设期限",
    "运营期限",
    "资金单位",
    "年度资金总额",
    "财政拨款",
    "专项债券",
    "上年结转",
    "其他资金",
    "年度目标",
)
"""The scalar fields of a record, in form order (all present, '' when not printed)."""

FIELD_ALIASES: dict[str, str] = {
    "项目名称": "project_name",
    "主管部门及代码": "department",
    "主管部门代码": "department_code",
    "实施单位": "implementing_unit",
    "项目来源": "project_source",
    "资金投向领域": "funding_area",
    "项目期限": "term",
    "建设期限": "construction_term",
    "运营期限": "operation_term",
    "资金单位": "money_unit",
    "年度资金总额": "annual_total",
    "财政拨款": "fiscal_appropriation",
    "专项债券": "special_bonds",
    "上年结转": "carried_over",
    "其他资金": "other_funds",
    "年度目标": "annual_objective",
    "indicators": "indicators",
    "warnings": "warnings",
    "appearances": "appearances",
    "conflicts": "conflicts",
}

MONEY_FIELDS = ("年度资金总额", "财政拨款", "专项债券", "上年结转", "其他资金")

# Printed label variants → record key.  Matched on the cleaned cell text with a leading
# 其中： and a trailing colon removed.
_LABELS: dict[str, str] = {
    "项目名称": "项目名称",
    "主管部门及代码": "主管部门及代码",
    "主管部门名称及代码": "主管部门及代码",
    "主管部门": "主管部门及代码",
    "实施单位": "实施单位",
    "项目实施单位": "实施单位",
    "项目来源": "项目来源",
    "资金投向领域": "资金投向领域",
    "项目期限": "项目期限",
    "建设期限": "建设期限",
    "运营期限": "运营期限",
    "年度资金总额": "年度资金总额",
    "财政拨款": "财政拨款",
    "专项债券": "专项债券",
    "上年结转": "上年结转",
    "其他资金": "其他资金",
    "年度目标": "年度目标",
    "年度绩效目标": "年度目标",
}
_SECTION_LABELS = {"绩效指标", "项目资金"}
_IND_HEAD = ("一级指标", "二级指标", "三级指标", "指标值")

_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")  # HTML tags, not "<5且>1"
_SPACE = re.compile(r"\s+")
_CJK_SPACE = re.compile(r"(?<=[^\x00-\x7f])\s+|\s+(?=[^\x00-\x7f])")
_UNIT_IN_LABEL = re.compile(r"[（(]\s*(亿元|万元|千元|元)\s*[）)]")
_DEPT_CODE = re.compile(r"^\s*[\[［【]\s*(\w+?)\s*[\]］】]")


def clean_cell(text: str) -> str:
    """Cell text with ``<br>``/tags removed and line-wrap whitespace dropped.

    The converter keeps the PDF's line wraps as ``<br>`` or spaces; in Chinese text these
    are never meaningful, so whitespace next to a non-ASCII character is removed and other
    runs collapse to one space.
    """
    if not isinstance(text, str):
        return ""
    s = _TAG.sub("", text)
    s = _CJK_SPACE.sub("", s)
    return _SPACE.sub(" ", s).strip()


def _label_key(cell: str) -> str | None:
    s = cell
    for prefix in ("其中：", "其中:", "其中"):
        if s.startswith(prefix) and len(s) > len(prefix):
            s = s[len(prefix) :]
            break
    s = s.rstrip("：:")
    return _LABELS.get(s)


def _section_label(cell: str) -> str | None:
    s = _UNIT_IN_LABEL.sub("", cell).rstrip("：:")
    return s if s in _SECTION_LABELS else None


def _is_indicator_header(row: list[str]) -> dict[str, int] | None:
    pos = {name: row.index(name) for name in _IND_HEAD if name in row}
    if "一级指标" in pos and "三级指标" in pos and "指标值" in pos:
        pos.setdefault("二级指标", pos["一级指标"] + 1)
        return pos
    return None


def _last_filled(rows: list[list[str]]) -> int:
    last = -1
    for r in rows:
        for j in range(len(r) - 1, -1, -1):
            if r[j]:
                last = max(last, j)
                break
    return last


_X_TOLERANCE = 3.0  # points: cell edges closer than this are the same ruling line


def align_fragments(grids: list[Any]) -> list[list[list[str]]] | None:
    """Text rows of a form's fragments on one shared column grid, by cell x position.

    ``grids`` are :class:`~budget_extract.model.Grid`-like (``cells`` with ``text``,
    ``row``, ``col``, ``bbox``; ``n_rows``; ``ruled``).  The column boundaries are the
    union of all cells' left and right edges over all fragments (edges within
    :data:`_X_TOLERANCE` merged), and each cell is placed at the boundary its left edge
    sits on.  A cell spanning several columns therefore lands where it starts, whatever
    the other pages' column counts.  Returns ``None`` (use the grids' own text rows) when
    the fragments are not all ruled or a cell has no bbox: then only the parser's content
    rules can align them.
    """
    if not grids or not all(getattr(g, "ruled", False) for g in grids):
        return None
    cells = [c for g in grids for c in g.cells]
    if not cells or any(c.bbox is None for c in cells):
        return None
    edges = sorted(x for c in cells for x in (c.bbox[0], c.bbox[2]))
    bounds: list[float] = []
    for x in edges:
        if not bounds or x - bounds[-1] > _X_TOLERANCE:
            bounds.append(x)
    width = max(len(bounds) - 1, 1)

    def column(x: float) -> int:
        j = min(range(len(bounds)), key=lambda k: abs(bounds[k] - x))
        return min(j, width - 1)

    out: list[list[list[str]]] = []
    for g in grids:
        rows = [[""] * width for _ in range(g.n_rows)]
        for c in g.cells:
            if not c.text:
                continue
            j = column(c.bbox[0])
            rows[c.row][j] = rows[c.row][j] + c.text if rows[c.row][j] else c.text
        out.append(rows)
    return out


def _is_continuation(row: list[str], cols: dict[str, int] | None) -> bool:
    """Whether a fragment's first row is the rest of a row cut by the page break: no label
    text anywhere and nothing in the label columns (the 一级/二级 columns in the indicator
    block, the first column above it)."""
    if not any(row) or _is_indicator_header(row):
        return False
    if any(c and (_label_key(c) or _section_label(c)) for c in row):
        return False
    label_cols = [0] if cols is None else [0, cols["一级指标"], cols["二级指标"]]
    return not any(row[j] for j in label_cols if j < len(row))


def _join_split_rows(fragments: list[list[list[str]]]) -> list[list[list[str]]]:
    """Fragments (cleaned rows) with each row cut by a page break joined into one.

    Only between fragments of the same column count, where a column means the same thing
    on both pages (x-aligned, see :func:`align_fragments`); otherwise the parser's
    content rules decide.  The continuation row's non-empty cells are appended to the
    cells of the previous fragment's last non-empty row in the same column.
    """
    out = [[list(r) for r in f] for f in fragments]
    cols: dict[str, int] | None = None
    prev: list[str] | None = None
    prev_width = 0
    for frag in out:
        width = max((len(r) for r in frag), default=0)
        first = next((i for i, r in enumerate(frag) if any(r)), None)
        if (
            first is not None
            and prev is not None
            and width == prev_width
            and _is_continuation(frag[first], cols)
        ):
            for j, c in enumerate(frag[first]):
                if c:
                    prev[j] += c
            del frag[first]
        for r in frag:
            head = _is_indicator_header(r)
            if head is not None:
                cols = head
        rows = [r for r in frag if any(r)]
        if rows:
            prev = rows[-1]
            prev_width = width
    return out


def parse_performance_table(fragments: list[list[list[str]]]) -> dict[str, Any]:
    """One project record from a 绩效目标表's fragments (fragments × rows × cells).

    See the module docstring for the keys.  Label/value pairs are found by label text (a
    label's value is the next non-empty cell that is not itself a label, so blank values
    stay blank instead of stealing the next label).  Indicator rows get their 一级/二级
    labels filled down; a row whose only text continues the previous row's cell (a cell
    cut by a page break) is joined onto it, and between fragments of the same column
    count a row cut by the page break is joined back first (:func:`_join_split_rows`).
    """
    rec: dict[str, Any] = {k: "" for k in FIELDS}
    rec["indicators"] = []
    rec["warnings"] = []
    indicators: list[list[str]] = rec["indicators"]
    warnings: list[str] = rec["warnings"]
    cols: dict[str, int] | None = None
    first_width: int | None = None
    current = ["", ""]  # fill-down 一级, 二级
    printed_prev: list[bool] = [False] * 4  # which fields the previous indicator printed

    cleaned = _join_split_rows([[[clean_cell(c) for c in r] for r in f] for f in fragments])
    for f_no, rows in enumerate(cleaned):
        width = max((len(r) for r in rows), default=0)
        if first_width is None:
            first_width = width
        shift = 0
        has_header = any(_is_indicator_header(r) for r in rows)
        if f_no > 0 and cols is not None and not has_header and width != first_width:
            last = _last_filled(rows)
            if last >= 0:
                shift = cols["指标值"] - last
                if shift < 0:
                    warnings.append(
                        f"fragment {f_no + 1}: text right of the 指标值 column; not shifted"
                    )
                    shift = 0
        for r_no, raw in enumerate(rows):
            row = [""] * shift + raw
            if not any(row):
                continue
            head = _is_indicator_header(row)
            if head is not None:
                cols = head
                continue
            if any(_label_key(c) for c in row) or (
                cols is None and any(_section_label(c) for c in row)
            ):
                _read_labels(row, rec)
                continue
            if cols is None:
                warnings.append(f"fragment {f_no + 1} row {r_no + 1}: unlabelled row {raw}")
                continue
            idx = [cols["一级指标"], cols["二级指标"], cols["三级指标"], cols["指标值"]]
            cells = [row[i] if i < len(row) else "" for i in idx]
            used = set(idx)
            stray = [c for j, c in enumerate(row) if c and j not in used and j > 0]
            if stray:
                warnings.append(f"fragment {f_no + 1} row {r_no + 1}: text outside columns {stray}")
            filled = [k for k, c in enumerate(cells) if c]
            if not filled:
                continue
            if len(filled) == 1 and indicators and printed_prev[filled[0]]:
                k = filled[0]
                indicators[-1][k] += cells[k]
                if k < 2:
                    current[k] = indicators[-1][k]
                continue
            if cells[0]:
                current = [cells[0], ""]
            if cells[1]:
                current[1] = cells[1]
            if not cells[2] and not cells[3]:
                # A parent label alone on a row: it heads the rows that follow.
                printed_prev = [bool(c) for c in cells]
                continue
            indicators.append([current[0], current[1], cells[2], cells[3]])
            printed_prev = [bool(c) for c in cells]
            if not current[0] or not current[1]:
                warnings.append(f"indicator without parent label: {indicators[-1]}")

    for k in MONEY_FIELDS:
        if rec[k]:
            rec[k] = amount_text(rec[k]) or rec[k]
    m = _DEPT_CODE.match(rec["主管部门及代码"])
    if m:
        rec["主管部门代码"] = m.group(1)
    return rec


def _read_labels(row: list[str], rec: dict[str, Any]) -> None:
    """Fill the record from one label/value row (values right of their labels)."""
    for j, cell in enumerate(row):
        section = _section_label(cell) if cell else None
        if section == "项目资金":
            u = _UNIT_IN_LABEL.search(cell)
            if u and not rec["资金单位"]:
                rec["资金单位"] = u.group(1)
            continue
        key = _label_key(cell) if cell else None
        if key is None:
            continue
        value = ""
        for later in row[j + 1 :]:
            if not later:
                continue
            if _label_key(later) or _section_label(later):
                break
            value = later
            break
        if value and not rec[key]:
            rec[key] = value


def english_keys(record: dict[str, Any]) -> dict[str, Any]:
    """The record with :data:`FIELD_ALIASES` keys (unknown keys kept as they are)."""
    return {FIELD_ALIASES.get(k, k): v for k, v in record.items()}


def _name_key(name: str) -> str:
    return _SPACE.sub("", clean_cell(name))


def merge_projects(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One record per project: a project printed twice (body and 附件) is kept once.

    Each input record may carry an ``origin`` dict (where that copy was found); the merged
    record lists them in ``appearances`` in input order.  Names match after whitespace is
    removed.  The first copy's values win; fields where a later copy differs are listed in
    ``conflicts`` as ``{"field", "values"}`` so a reader can see the document disagreeing
    with itself.  A blank is not a disagreement: a field blank in the first copy is filled
    from a later one, and a later blank is ignored.  Records without a 项目名称 are never
    merged.
    """
    merged: list[dict[str, Any]] = []
    by_name: dict[str, dict[str, Any]] = {}
    for rec in records:
        origin = rec.get("origin")
        body = {k: v for k, v in rec.items() if k not in ("origin", "appearances", "conflicts")}
        name = _name_key(str(rec.get("项目名称", "")))
        target = by_name.get(name) if name else None
        if target is None:
            new = dict(body)
            new["appearances"] = list(rec.get("appearances", [])) + (
                [origin] if origin is not None else []
            )
            new["conflicts"] = list(rec.get("conflicts", []))
            merged.append(new)
            if name:
                by_name[name] = new
            continue
        if origin is not None:
            target["appearances"].append(origin)
        for k, v in body.items():
            if k in ("warnings", "项目名称"):
                continue
            if k not in target:
                target[k] = v
            elif target[k] != v and v not in ("", []):
                if target[k] in ("", []):
                    target[k] = v
                    continue
                for c in target["conflicts"]:
                    if c["field"] == k:
                        if v not in c["values"]:
                            c["values"].append(v)
                        break
                else:
                    target["conflicts"].append({"field": k, "values": [target[k], v]})
    return merged

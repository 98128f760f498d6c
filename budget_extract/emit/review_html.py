"""``S.html``: one self-contained review page per document, to decide whether to trust it.

For each table the page image(s) with every extracted amount's box drawn on it, beside the
table as extracted (merged headers rebuilt from the header paths, the full path on hover);
the checks that failed and the repairs made, each linking to the cells it names, which are
then highlighted on the page and in the table.  Markdown and HTML inputs have no pages: their
review shows the tables and findings only.

The file opens offline: no network (a Content-Security-Policy forbids any fetch), page
images inlined as data URIs, CSS and the one small script inline (the script allowed by its
hash only).  All document text is escaped — a cell may hold anything.
"""

from __future__ import annotations

import base64
import hashlib
from collections import Counter
from html import escape
from typing import Any

from ..facts import table_facts
from ..model import Check, Document, Table
from .page_images import PageImage, PageImageError, render_pages

STATUSES = ("pass", "rounding", "fail", "warn", "skip")


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def review_html(doc: Document, *, pdf: str | bytes | None = None,
                password: str | None = None) -> str:
    """The review page of ``doc``; ``pdf`` (path or bytes of the input) adds page images."""
    images: dict[int, PageImage] = {}
    image_note = ""
    if pdf is not None and doc.source.format == "pdf":
        pages = {p for t in doc.tables for p in t.pages}
        try:
            images = render_pages(pdf, pages, password=password)
        except PageImageError as e:
            image_note = f"The pages could not be rendered ({e}): tables only."
    cells = _CellIds(doc)
    parts = [_head(doc, images), _summary(doc, image_note), _checks_panel(doc, cells),
             _findings(doc)]
    for ti, t in enumerate(doc.tables):
        parts.append(_table_section(doc, ti, t, images, cells))
    parts.append(f"<script>{SCRIPT}</script></body></html>\n")
    return "".join(parts)


# --------------------------------------------------------------------------- cells ↔ refs


class _CellIds:
    """Stable ids of table cells (``t{table}-{row_no}-{column}``) and the check refs' cells.

    A ref names its table by number and kind; unnumbered tables of one kind (绩效目标表)
    share both, so the ref's page picks among them.
    """

    def __init__(self, doc: Document) -> None:
        self.tables = doc.tables
        self.by_no_kind: dict[tuple[str, str], list[int]] = {}
        for ti, t in enumerate(doc.tables):
            self.by_no_kind.setdefault((t.table_no, str(t.kind)), []).append(ti)
        self.col_index = [{c.key: ci for ci, c in enumerate(t.columns)} for t in doc.tables]

    def cell_id(self, ti: int, row_no: int, column: str) -> str | None:
        ci = self.col_index[ti].get(column)
        return None if ci is None else f"t{ti}-{row_no}-{ci}"

    def ref_cell(self, ref: dict[str, Any]) -> tuple[int, str] | None:
        """(table index, cell id) of a check ref, or None when it names no extracted cell."""
        cands = self.by_no_kind.get((str(ref.get("table_no", "")), str(ref.get("kind", ""))))
        row_no, column = ref.get("row_no"), ref.get("column") or ""
        if not cands or row_no is None:
            return None
        page = ref.get("page")
        found: list[tuple[int, str]] = []
        for ti in cands:
            t = self.tables[ti]
            # a blank cell the check counted as 0 has no CellValue: its row is enough
            rows = [r for r in t.rows if r.row_no == row_no]
            cid = self.cell_id(ti, row_no, column)
            if not rows or cid is None:
                continue
            pages = {r.cells[column].page for r in rows if column in r.cells}
            if page is None or page in pages or page in t.pages:
                return ti, cid
            found.append((ti, cid))
        return found[0] if found else None

    def check_cells(self, check: Check) -> list[tuple[int, str]]:
        out = []
        for ref in check.refs:
            hit = self.ref_cell(ref)
            if hit and hit not in out:
                out.append(hit)
        return out


# --------------------------------------------------------------------------- page parts


def _head(doc: Document, images: dict[int, PageImage]) -> str:
    page_css = "".join(f".pg{no}{{background-image:url({img.data_uri})}}\n"
                       for no, img in sorted(images.items()))
    script_hash = base64.b64encode(hashlib.sha256(SCRIPT.encode()).digest()).decode()
    csp = ("default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
           f"script-src 'sha256-{script_hash}'")
    title = doc.meta.title or doc.stem
    return ("<!DOCTYPE html>\n<html lang=\"zh\"><head><meta charset=\"utf-8\">"
            f"<meta http-equiv=\"Content-Security-Policy\" content=\"{_e(csp)}\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>Review: {_e(title)}</title><style>{CSS}{page_css}</style></head>"
            "<body>\n")


def _units(doc: Document) -> str:
    counts = Counter(t.unit for t in doc.tables if t.unit and not t.empty)
    return ", ".join(u for u, _ in counts.most_common()) or "(none printed)"


def _summary(doc: Document, image_note: str) -> str:
    m = doc.meta
    n_facts = sum(len(table_facts(doc.stem, t)) for t in doc.tables)
    status = Counter(c.status for c in doc.checks)
    checks = " · ".join(f"<span class=\"st {s}\">{status.get(s, 0)} {s}</span>"
                        for s in STATUSES)
    rows = [("document", doc.stem), ("title", m.title), ("unit name", m.unit_name),
             ("year", m.year), ("phase", m.budget_phase),
             ("source", f"{doc.source.path} ({doc.source.format}"
                        + (f", {doc.source.pages} pages)" if doc.source.pages else ")")),
             ("amounts in", _units(doc)), ("tables", str(len(doc.tables))),
             ("facts", str(n_facts))]
    body = "".join(f"<tr><th>{_e(k)}</th><td>{_e(v)}</td></tr>" for k, v in rows if v)
    body += f"<tr><th>checks</th><td id=\"check-counts\">{checks}</td></tr>"
    note = f"<p class=\"note\">{_e(image_note)}</p>" if image_note else ""
    toc = "".join(f"<li><a href=\"#t{ti}\">{_e(_table_label(t))}</a>"
                  f"{_fail_badge(doc, t)}</li>" for ti, t in enumerate(doc.tables))
    return (f"<header><h1>{_e(m.title or doc.stem)}</h1><table class=\"summary\">{body}"
            f"</table>{note}<details><summary>Tables</summary><ol class=\"toc\">{toc}</ol>"
            "</details><p class=\"help\">Boxes on the page images are the extracted amounts; "
            "point at one to see it in the table.  Click a check to highlight the cells it "
            "names.</p></header>\n")


def _table_label(t: Table) -> str:
    no = f"表{t.table_no} " if t.table_no else ""
    return f"{no}{t.title or t.kind}"


def _table_checks(doc: Document, t: Table) -> list[Check]:
    return [c for c in doc.checks if c.status in ("fail", "rounding")
            and any(str(r.get("table_no", "")) == t.table_no
                    and str(r.get("kind", "")) == str(t.kind) for r in c.refs)]


def _fail_badge(doc: Document, t: Table) -> str:
    n = sum(1 for c in _table_checks(doc, t) if c.status == "fail")
    return f" <span class=\"st fail\">{n} failed</span>" if n else ""


def _check_item(c: Check, cells: _CellIds) -> str:
    hits = cells.check_cells(c)
    ids = " ".join(cid for _ti, cid in hits)
    target = f"#t{hits[0][0]}" if hits else "#checks"
    detail = ""
    if c.expected is not None or c.actual is not None:
        detail = (f" <span class=\"ea\">expected {_e(c.expected or '—')}, "
                  f"found {_e(c.actual or '—')}</span>")
    missing = "" if hits or not c.refs else " <span class=\"ea\">(cells not in a table)</span>"
    return (f"<li class=\"check {_e(c.status)}\" data-cells=\"{_e(ids)}\">"
            f"<a href=\"{target}\"><span class=\"st {_e(c.status)}\">{_e(c.status)}</span> "
            f"<code>{_e(c.id)}</code></a> {_e(c.message)}{detail}{missing}</li>")


def _checks_panel(doc: Document, cells: _CellIds) -> str:
    failed = [c for c in doc.checks if c.status == "fail"]
    rounding = [c for c in doc.checks if c.status == "rounding"]
    out = ["<section id=\"checks\"><h2>Failing checks</h2>"]
    if failed:
        out.append("<ul class=\"checks\">" + "".join(_check_item(c, cells) for c in failed)
                   + "</ul>")
    else:
        out.append("<p>No check failed.</p>")
    if rounding:
        out.append(f"<details><summary>{len(rounding)} within rounding</summary>"
                   "<ul class=\"checks\">"
                   + "".join(_check_item(c, cells) for c in rounding) + "</ul></details>")
    out.append("</section>\n")
    return "".join(out)


def _findings(doc: Document) -> str:
    # the document's list repeats each table's warnings ("table 12 (…): …"): those are
    # shown once, linked to their table
    table_warnings = {w for t in doc.tables for w in t.warnings}
    items = [_e(w) for w in doc.warnings
             if not any(w.endswith(": " + tw) for tw in table_warnings)]
    for ti, t in enumerate(doc.tables):
        items += [f"<a href=\"#t{ti}\">{_e(_table_label(t))}</a>: {_e(w)}" for w in t.warnings]
    for pt in doc.performance_targets:
        for c in pt.conflicts:
            values = " / ".join(str(v) for v in c.get("values", []))
            items.append(f"绩效目标表 {_e(pt.project_name)}: {_e(c.get('field', ''))} printed "
                         f"differently in its copies ({_e(values)})")
    if not items:
        return ""
    return ("<section id=\"findings\"><h2>Repairs and doubts</h2><ul>"
            + "".join(f"<li>{i}</li>" for i in items) + "</ul></section>\n")


# --------------------------------------------------------------------------- one table


def _table_section(doc: Document, ti: int, t: Table, images: dict[int, PageImage],
                   cells: _CellIds) -> str:
    facts = table_facts(doc.stem, t)
    meta = [f"kind <code>{_e(t.kind)}</code>"]
    if t.unit:
        meta.append(f"unit {_e(t.unit)}")
    if t.pages:
        meta.append("page " + ", ".join(str(p) for p in t.pages))
    meta.append(f"{len(facts)} facts")
    if t.empty:
        meta.append("printed empty")
    checks = _table_checks(doc, t)
    check_list = ("<ul class=\"checks\">" + "".join(_check_item(c, cells) for c in checks)
                  + "</ul>") if checks else ""
    note = f"<p class=\"tnote\">{_e(t.note)}</p>" if t.note else ""
    return (f"<section class=\"tbl\" id=\"t{ti}\" data-facts=\"{len(facts)}\">"
            f"<h2>{_e(_table_label(t))}</h2><p class=\"meta\">{' · '.join(meta)}</p>"
            f"{check_list}<div class=\"pair\">{_pages(ti, t, facts, images, cells)}"
            f"<div class=\"grid\">{_grid(ti, t, cells)}{note}</div></div></section>\n")


def _pages(ti: int, t: Table, facts: list[Any], images: dict[int, PageImage],
           cells: _CellIds) -> str:
    pages = [p for p in t.pages if p in images]
    if not pages:
        return ""
    out = ["<div class=\"pages\">"]
    for no in pages:
        img = images[no]
        boxes = []
        for f in facts:
            if f.page != no or f.bbox is None:
                continue
            left, top, width, height = img.percent_box(f.bbox)
            cid = cells.cell_id(ti, f.row_no, f.column) or ""
            tip = f"{f.row_label} · {f.column}: {f.value} {f.unit}".strip()
            boxes.append(f"<div class=\"cellbox\" data-cell=\"{cid}\" title=\"{_e(tip)}\" "
                         f"style=\"left:{left:.2f}%;top:{top:.2f}%;width:{width:.2f}%;"
                         f"height:{height:.2f}%\"></div>")
        out.append(f"<figure><div class=\"page pg{no}\" style=\"aspect-ratio:"
                   f"{img.width:.1f}/{img.height:.1f}\">{''.join(boxes)}</div>"
                   f"<figcaption>page {no}</figcaption></figure>")
    out.append("</div>")
    return "".join(out)


def header_cells(paths: list[tuple[str, ...]]) -> list[list[tuple[str, int, int, str]]]:
    """Header rows rebuilt from column paths: ``(text, colspan, rowspan, path)`` per cell.

    Adjacent columns sharing a path prefix share one merged cell, as printed; a path shorter
    than the deepest one spans the rows below it.
    """
    paths = [p or ("",) for p in paths]
    depth = max((len(p) for p in paths), default=1)
    rows: list[list[tuple[str, int, int, str]]] = [[] for _ in range(depth)]
    for level in range(depth):
        j = 0
        while j < len(paths):
            p = paths[j]
            if len(p) <= level:
                j += 1
                continue
            k = j + 1
            if len(p) > level + 1:
                while k < len(paths) and len(paths[k]) > level + 1 \
                        and paths[k][:level + 1] == p[:level + 1]:
                    k += 1
            rowspan = depth - level if len(p) == level + 1 else 1
            rows[level].append((p[level], k - j, rowspan, "/".join(p[:level + 1])))
            j = k
    return rows


def _grid(ti: int, t: Table, cells: _CellIds) -> str:
    if not t.columns:
        return "<p>(no columns)</p>"
    head = "".join(
        "<tr>" + "".join(
            f"<th{_span('colspan', cs)}{_span('rowspan', rs)} title=\"{_e(path)}\">"
            f"{_e(text)}</th>" for text, cs, rs, path in row) + "</tr>"
        for row in header_cells([c.path for c in t.columns]))
    fact_keys = {(f.row_no, f.column) for f in table_facts("", t)}
    groups: dict[int, dict[str, Any]] = {}
    for r in t.rows:
        g = groups.setdefault(r.row_no, {})
        for key, cell in r.cells.items():
            g.setdefault(key, (r, cell))
    body = []
    unit = f" {t.unit}" if t.unit else ""
    for row_no in sorted(groups):
        tds = []
        for c in t.columns:
            cid = cells.cell_id(ti, row_no, c.key)
            hit = groups[row_no].get(c.key)
            if hit is None:  # blank as printed; a check may still name it (counted as 0)
                tds.append(f"<td data-cell=\"{cid}\"></td>")
                continue
            r, cell = hit
            cls = ["num"] if c.role in ("value", "quantity", "percent") else []
            tip = c.key
            if (row_no, c.key) in fact_keys:
                cls.append("fact")
                tip = f"{c.key} · {r.label}{unit}"
            tds.append(f"<td class=\"{' '.join(cls)}\" data-cell=\"{cid}\" "
                       f"title=\"{_e(tip)}\">{_e(cell.text)}</td>")
        body.append(f"<tr>{''.join(tds)}</tr>")
    if not body:
        body.append(f"<tr><td colspan=\"{len(t.columns)}\" class=\"empty\">(no rows)</td></tr>")
    return (f"<table class=\"ext\"><caption>as extracted{_e(unit and ', in' + unit)}"
            f"</caption><thead>{head}</thead><tbody>{''.join(body)}</tbody></table>")


def _span(name: str, n: int) -> str:
    return f" {name}=\"{n}\"" if n > 1 else ""


CSS = """
body{font:14px/1.45 system-ui,"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:0;
padding:0 1.2em 3em;color:#222;background:#fafafa}
h1{font-size:1.4em;margin:.6em 0 .3em}h2{font-size:1.15em;margin:.2em 0}
header,section{background:#fff;border:1px solid #ddd;border-radius:4px;padding:.6em 1em;
margin:.8em 0}
table.summary th{text-align:left;padding-right:1em;font-weight:600;color:#555}
.st{border-radius:3px;padding:0 .35em;font-size:.9em;white-space:nowrap}
.st.pass{background:#e3f4e1}.st.rounding{background:#fdf3d1}.st.fail{background:#f9d6d5}
.st.skip{background:#eee}
.checks{padding-left:1.2em}.check{cursor:pointer;margin:.15em 0}
.check a{color:inherit;text-decoration:none}.check.sel{outline:2px solid #d33}
.ea{color:#666}.note,.help{color:#555}.meta{color:#555;margin:.1em 0 .4em}
.pair{display:flex;gap:1em;align-items:flex-start;flex-wrap:wrap}
.pages{flex:1 1 480px;max-width:900px}.grid{flex:1 1 480px;overflow-x:auto}
figure{margin:0 0 .6em}figcaption{color:#777;font-size:.85em}
.page{position:relative;width:100%;background-size:100% 100%;border:1px solid #ccc}
.cellbox{position:absolute;box-sizing:border-box;border:1px solid rgba(30,100,220,.75);
background:rgba(30,100,220,.08)}
.cellbox.hv,.cellbox.hl{background:rgba(230,40,40,.3);border:2px solid #d22}
table.ext{border-collapse:collapse;font-size:12.5px}
table.ext caption{text-align:left;color:#777}
table.ext th,table.ext td{border:1px solid #ccc;padding:1px 5px}
table.ext th{background:#f1f3f6;font-weight:600}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
table.ext th{min-width:3em}td.fact{background:#f3f7ff}
td.hv,td.hl{background:#ffd2d0!important;outline:2px solid #d22}
"""

SCRIPT = """(function(){
function mark(id,cls,on){document.querySelectorAll('[data-cell="'+id+'"]').forEach(
function(el){el.classList.toggle(cls,on);});}
document.addEventListener('click',function(e){
var c=e.target.closest('.check');if(!c)return;e.preventDefault();
document.querySelectorAll('.hl').forEach(function(el){el.classList.remove('hl');});
document.querySelectorAll('.check.sel').forEach(function(el){el.classList.remove('sel');});
c.classList.add('sel');var first=null;
(c.getAttribute('data-cells')||'').split(' ').forEach(function(id){if(!id)return;
mark(id,'hl',true);var el=document.querySelector('td[data-cell="'+id+'"]');
if(el&&!first)first=el;});
if(first){var s=first.closest('section');(s||first).scrollIntoView({block:'start'});}});
['mouseover','mouseout'].forEach(function(ev){document.addEventListener(ev,function(e){
var el=e.target.closest('[data-cell]');if(el)mark(el.getAttribute('data-cell'),'hv',
ev==='mouseover');});});
})();"""

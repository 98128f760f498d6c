"""The pypdfium2 (PDFium) implementation of :class:`~.backend.PdfBackend`.

PDFium parses content streams in C, several times faster than pdfminer; this module reads
its text page (one entry per glyph) and its page objects (paths, images, forms) through
the raw C API and produces the same :class:`~.page_model.PageObjects` the pdfplumber
backend does — in pdfplumber's coordinates (origin top-left of the MediaBox, after
``/Rotate``), with pdfminer's glyph boxes (advance width × font size, from the font's
descent) and pdfplumber's line/rect/curve split of paths, so that the table detector sees
the same page whichever engine read it.

What PDFium does differently, and how it is met:

* it drops some space glyphs of the content stream (leading ones) and adds generated
  ones (``FPDFText_IsGenerated``): generated characters are skipped, and nothing after
  the backend may rely on spaces (the text code treats them as a hint only);
* it repairs damaged files silently and inflates streams without a limit: files that are
  not sound (:mod:`.soundness`) never reach it, see :class:`EngineCannotRead`;
* its objects are counted against :data:`~.guards.MAX_PAGE_OBJECTS` before the page's
  text is extracted.
"""

from __future__ import annotations

import ctypes
import re
from collections.abc import Iterator
from typing import Any

from ...errors import ExtractError
from . import guards
from .backend import EngineCannotRead, password_error
from .drawing import is_white, line_segment, path_segments, rect_segments
from .ending import FileEnd
from .page_model import Char, PageObjects, Segment
from .soundness import sound_for_pdfium

Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)

_LOADED: Any = None


def _raw() -> Any:
    """pypdfium2's raw bindings, imported (and the library initialised) on first use."""
    global _LOADED
    if _LOADED is None:
        try:
            import pypdfium2  # noqa: F401 - initialises the library
            import pypdfium2.raw as raw
        except (ImportError, OSError) as exc:  # not installed, or the library cannot load
            raise EngineCannotRead(f"pypdfium2 cannot be loaded ({exc})") from exc
        _LOADED = raw
    return _LOADED


def mult(m: Matrix, n: Matrix) -> Matrix:
    """``m`` then ``n`` (PDF row-vector convention, as pdfminer's ``mult_matrix``)."""
    a1, b1, c1, d1, e1, f1 = m
    a0, b0, c0, d0, e0, f0 = n
    return (a0 * a1 + c0 * b1, b0 * a1 + d0 * b1, a0 * c1 + c0 * d1, b0 * c1 + d0 * d1,
            a0 * e1 + c0 * f1 + e0, b0 * e1 + d0 * f1 + f0)


def apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = m
    return a * x + c * y + e, b * x + d * y + f


class PageFrame:
    """PDF user space → pdfplumber's page coordinates, for one page.

    pdfminer moves the MediaBox's corner to the origin and turns the page by ``/Rotate``
    (its ``ctm``); pdfplumber then flips y and adds the MediaBox offset back in its own
    way.  Both steps are reproduced here, so an offset MediaBox or a rotated page gives
    the numbers pdfplumber gives.
    """

    def __init__(self, box: tuple[float, float, float, float], rotation: int) -> None:
        x0, x1 = sorted((box[0], box[2]))
        y0, y1 = sorted((box[1], box[3]))
        if rotation == 90:
            self.ctm: Matrix = (0, -1, 1, 0, -y0, x1)
        elif rotation == 180:
            self.ctm = (-1, 0, 0, -1, x1, y1)
        elif rotation == 270:
            self.ctm = (0, 1, -1, 0, y1, -x0)
        else:
            self.ctm = (1, 0, 0, 1, -x0, -y0)
        if rotation in (90, 270):
            nx0, ny0, nx1, ny1 = y0, x0, y1, x1
        else:
            nx0, ny0, nx1, ny1 = x0, y0, x1, y1
        self.width = nx1 - nx0
        self.height = ny1 - ny0
        self.dx = nx0  # pdfplumber: x + mediabox x0
        self.dy = -ny0  # pdfplumber's top of its inverted MediaBox (height - ny1 - ...)
        self.rotation = rotation
        self.media = tuple(box)

    def point(self, x: float, y: float) -> tuple[float, float]:
        """A user-space point as pdfplumber's (x, top)."""
        px, py = apply(self.ctm, x, y)
        return px + self.dx, self.height - py + self.dy

    def box(self, p: tuple[float, float], q: tuple[float, float]
            ) -> tuple[float, float, float, float]:
        """Two user-space corners as pdfplumber's (x0, top, x1, bottom)."""
        ax, at = self.point(*p)
        bx, bt = self.point(*q)
        return min(ax, bx), min(at, bt), max(ax, bx), max(at, bt)


class PdfiumBackend:
    """The pypdfium2 implementation of :class:`~.backend.PdfBackend` (see the module)."""

    def __init__(self, end: FileEnd | None = None) -> None:
        self._end = end  # the file's end, when the reader parsed it already
        self._doc: Any = None
        self._buf: Any = None
        self._n_pages = 0

    def open(self, data: bytes, password: str | None = None) -> None:
        """Open the file's bytes, or raise :class:`EngineCannotRead` for the other engine."""
        why = sound_for_pdfium(data, self._end)
        if why is not None:
            raise EngineCannotRead(why)
        raw = _raw()
        self._buf = ctypes.create_string_buffer(data, len(data))
        tries = [password, ""] if password else [""]  # as the pdfplumber backend: one
        for i, pw in enumerate(tries):  # --password for a batch, unprotected files open
            doc = raw.FPDF_LoadMemDocument64(self._buf, len(data),
                                             (pw or "").encode("utf-8") if pw else None)
            if doc:
                self._doc = doc
                self._n_pages = int(raw.FPDF_GetPageCount(doc))
                return
            err = int(raw.FPDF_GetLastError())
            if err == raw.FPDF_ERR_PASSWORD:
                if i + 1 == len(tries):
                    self.close()
                    raise password_error(password)
                continue
            self.close()
            if err == raw.FPDF_ERR_SECURITY:
                raise ExtractError(
                    "the PDF uses an encryption this tool cannot open (unsupported security "
                    "handler); save an unencrypted copy and try again")
            raise EngineCannotRead(f"PDFium cannot open the file (error {err})")

    @property
    def page_count(self) -> int:
        return self._n_pages

    def iter_pages(self) -> Iterator[PageObjects]:
        """Yield each page's objects; the page and its text page are closed before the
        next one is loaded, so memory stays flat."""
        raw = _raw()
        if self._doc is None:
            raise ExtractError("the PDF is not open")
        for index in range(self._n_pages):
            page = raw.FPDF_LoadPage(self._doc, index)
            if not page:
                raise EngineCannotRead(f"PDFium cannot load page {index + 1}")
            try:
                objs = _page_objects(raw, page, index + 1)
            finally:
                raw.FPDF_ClosePage(page)
            yield objs

    def close(self) -> None:
        if self._doc is not None:
            _raw().FPDF_CloseDocument(self._doc)
        self._doc = None
        self._buf = None

    def __enter__(self) -> PdfiumBackend:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# --------------------------------------------------------------------------- one page


def _page_frame(raw: Any, page: Any) -> PageFrame:
    box = [ctypes.c_float() for _ in range(4)]
    if raw.FPDFPage_GetMediaBox(page, *box):
        media = (_exact(box[0].value), _exact(box[1].value), _exact(box[2].value),
                 _exact(box[3].value))
    else:  # no MediaBox anywhere: US Letter, as pdfminer and PDFium both assume
        media = (0.0, 0.0, 612.0, 792.0)
    rotation = (int(raw.FPDFPage_GetRotation(page)) % 4) * 90
    return PageFrame(media, rotation)


def _page_objects(raw: Any, page: Any, number: int) -> PageObjects:
    frame = _page_frame(raw, page)
    segments: list[Segment] = []
    counts = [0, 0]  # objects, images
    backgrounds: list[tuple[float, float, float, float]] = []
    _walk(raw, page, None, IDENTITY, frame, segments, counts, backgrounds)
    if counts[0] > guards.MAX_PAGE_OBJECTS:  # before the text page is built
        raise ExtractError(f"page {number}: {guards.too_many_objects().reason}")
    text_page = raw.FPDFText_LoadPage(page)
    if not text_page:
        raise EngineCannotRead(f"PDFium cannot read the text of page {number}")
    try:
        chars = _chars(raw, text_page, frame)
    finally:
        raw.FPDFText_ClosePage(text_page)
    if len(chars) + counts[0] > guards.MAX_PAGE_OBJECTS:
        raise ExtractError(f"page {number}: {guards.too_many_objects().reason}")
    return PageObjects(number=number, width=frame.width, height=frame.height,
                       rotation=frame.rotation, chars=chars, segments=segments,
                       image_count=counts[1], backgrounds=backgrounds,
                       view=_view(raw, page, frame))


def _view(raw: Any, page: Any, frame: PageFrame) -> tuple[float, float, float, float] | None:
    """The crop box in page coordinates when it is smaller than the MediaBox (what a
    viewer shows: :mod:`.visible`), else None."""
    box = [ctypes.c_float() for _ in range(4)]
    if not raw.FPDFPage_GetCropBox(page, *box):
        return None
    crop = tuple(_exact(b.value) for b in box)
    # as the pdfplumber backend: only an upright page whose MediaBox starts at 0,0
    if crop == frame.media or frame.rotation or frame.media[:2] != (0.0, 0.0):
        return None
    return frame.box((crop[0], crop[1]), (crop[2], crop[3]))


def _matrix(raw: Any, obj: Any) -> Matrix:
    m = raw.FS_MATRIX()
    if not raw.FPDFPageObj_GetMatrix(obj, m):
        return IDENTITY
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _exact(v: float) -> float:
    """A number the file wrote (a path point, a MediaBox corner), as written.

    Content streams write coordinates with a few decimals (``192.795``); PDFium keeps
    them as 32-bit floats (``192.794998``), which would round to another hundredth than
    pdfminer's 64-bit value in the provenance boxes.  Seven significant digits (what
    single precision holds) recover the written number.  Matrices are products of the
    file's numbers, not numbers it wrote, and are left alone."""
    return float(f"{v:.7g}")


def _walk(raw: Any, page: Any, form: Any, outer: Matrix, frame: PageFrame,
          segments: list[Segment], counts: list[int],
          backgrounds: list[tuple[float, float, float, float]]) -> None:
    """Every path and image of the page, descending into form XObjects (as pdfminer
    flattens its figures); text objects are read from the text page instead.  Images
    and paths filled in a colour other than white go to ``backgrounds``: where white
    text can be seen (:mod:`.visible`), as the pdfplumber backend reports them."""
    fast = _fast(raw)
    if form is None:
        n = raw.FPDFPage_CountObjects(page)
        get = fast.FPDFPage_GetObject
        owner = ctypes.cast(page, ctypes.c_void_p).value
    else:
        n = raw.FPDFFormObj_CountObjects(form)
        get = fast.FPDFFormObj_GetObject
        owner = ctypes.cast(form, ctypes.c_void_p).value
    if n > guards.MAX_PAGE_OBJECTS:
        counts[0] += n
        return
    # objects cross as plain addresses (text objects, most of them, need nothing more);
    # a path, image or form is cast back to pypdfium2's pointer type for the calls below
    kind_of, handle = fast.FPDFPageObj_GetType, raw.FPDFPage_GetObject.restype
    cast = ctypes.cast
    path_kind, image_kind, form_kind = (raw.FPDF_PAGEOBJ_PATH, raw.FPDF_PAGEOBJ_IMAGE,
                                        raw.FPDF_PAGEOBJ_FORM)
    for i in range(n):
        addr = get(owner, i)
        if not addr:
            continue
        kind = kind_of(addr)
        if kind not in (path_kind, image_kind, form_kind):
            continue
        obj = cast(addr, handle)
        if kind == path_kind:
            counts[0] += 1
            if counts[0] <= guards.MAX_PAGE_OBJECTS:
                segments.extend(_path_segments(raw, obj, outer, frame, backgrounds))
        elif kind == image_kind:
            counts[0] += 1
            counts[1] += 1
            _add_bounds(raw, obj, outer, frame, backgrounds)
        elif kind == form_kind:
            # a form's own matrix maps its objects into the enclosing space
            _walk(raw, page, obj, mult(_matrix(raw, obj), outer), frame, segments, counts,
                  backgrounds)
        if counts[0] > guards.MAX_PAGE_OBJECTS:
            return


def _add_bounds(raw: Any, obj: Any, outer: Matrix, frame: PageFrame,
                out: list[tuple[float, float, float, float]]) -> None:
    """The object's bounding box in page coordinates (its corners through ``outer``,
    the enclosing forms' matrix)."""
    x0, y0, x1, y1 = (ctypes.c_float() for _ in range(4))
    if not raw.FPDFPageObj_GetBounds(obj, x0, y0, x1, y1):
        return
    a, b, c, d, e, f = outer
    pts = [(a * x + c * y + e, b * x + d * y + f)
           for x in (x0.value, x1.value) for y in (y0.value, y1.value)]
    boxes = [frame.point(x, y) for x, y in pts]
    xs, ys = [p[0] for p in boxes], [p[1] for p in boxes]
    out.append((min(xs), min(ys), max(xs), max(ys)))


def _rgb(raw: Any, getter: Any, obj: Any) -> tuple[float, float, float] | None:
    r, g, b, a = (ctypes.c_uint() for _ in range(4))
    if not getter(obj, r, g, b, a):
        return None  # pattern or unknown colour: visible, as pdfminer's non-numbers
    return (r.value / 255, g.value / 255, b.value / 255)


_EXACT: dict[float, float] = {}
""":func:`_exact` of the single-precision path coordinates seen so far (a table draws the
same few coordinates again and again); zeros are left out (0.0 and -0.0 are one key),
and the table is emptied when it grows large."""


def _exact_cached(v: float) -> float:
    r = _EXACT.get(v)
    if r is None:
        r = float(f"{v:.7g}")
        if v:
            if len(_EXACT) >= 1 << 16:
                _EXACT.clear()
            _EXACT[v] = r
    return r


def _path_segments(raw: Any, obj: Any, outer: Matrix, frame: PageFrame,
                   backgrounds: list[tuple[float, float, float, float]] | None = None
                   ) -> list[Segment]:
    """A path object as pdfminer/pdfplumber would split and classify it, then through
    :mod:`.drawing`'s rules, so both engines draw the same rulings."""
    fillmode, stroke = ctypes.c_int(), ctypes.c_int()
    if not raw.FPDFPath_GetDrawMode(obj, fillmode, stroke):
        return []
    fill = fillmode.value != raw.FPDF_FILLMODE_NONE
    if not fill and not stroke.value:
        return []
    a, b, c, d, e, f = mult(_matrix(raw, obj), outer)
    x, y = ctypes.c_float(), ctypes.c_float()
    ops: list[tuple[str, list[tuple[float, float]]]] = []
    pending: list[tuple[float, float]] = []
    fast = _fast(raw)  # the object and its segments cross as addresses (see _Fast)
    get_segment, get_point = fast.FPDFPath_GetPathSegment, fast.FPDFPathSegment_GetPoint
    get_type, get_close = fast.FPDFPathSegment_GetType, fast.FPDFPathSegment_GetClose
    moveto, lineto = raw.FPDF_SEGMENT_MOVETO, raw.FPDF_SEGMENT_LINETO
    addr = ctypes.cast(obj, ctypes.c_void_p).value
    exact, known = _exact_cached, _EXACT
    for i in range(fast.FPDFPath_CountSegments(addr)):
        seg = get_segment(addr, i)
        if not seg or not get_point(seg, x, y):
            continue
        xv, yv = x.value, y.value
        px = known.get(xv) or exact(xv)  # _exact, remembered (zeros are not: see _EXACT)
        py = known.get(yv) or exact(yv)
        pt = (a * px + c * py + e, b * px + d * py + f)
        kind = get_type(seg)
        if kind == moveto:
            ops.append(("m", [pt]))
        elif kind == lineto:
            ops.append(("l", [pt]))
        else:  # Bézier: three points per curve
            pending.append(pt)
            if len(pending) == 3:
                ops.append(("c", pending))
                pending = []
        if get_close(seg):
            ops.append(("h", []))
    colors = {
        "fill": fill,
        "stroke": bool(stroke.value),
        "non_stroking_color": _rgb(raw, raw.FPDFPageObj_GetFillColor, obj) if fill else None,
        "stroking_color": _rgb(raw, raw.FPDFPageObj_GetStrokeColor, obj),
    }
    out: list[Segment] = []
    for kind, item in classify(ops, frame):
        item.update(colors)
        if (backgrounds is not None and kind != "line" and fill
                and not is_white(colors["non_stroking_color"])):  # a shaded cell, as pdfplumber
            backgrounds.append((float(item["x0"]), float(item["top"]), float(item["x1"]),
                                float(item["bottom"])))
        if kind == "line":
            if is_white(item["stroking_color"]):
                continue
            s = line_segment(item["x0"], item["top"], item["x1"], item["bottom"])
            if s is not None:
                out.append(s)
        elif kind == "rect":
            out.extend(rect_segments(item))
        else:
            out.extend(path_segments(item))
    return out


_SUBPATH = re.compile(r"m[^m]+")


def classify(ops: list[tuple[str, list[tuple[float, float]]]], frame: PageFrame
             ) -> list[tuple[str, dict[str, Any]]]:
    """pdfminer's ``paint_path``: split at each move, then a two-point subpath is a line,
    an axis-parallel closed four-sided one a rect, anything else a curve; boxes and path
    points in pdfplumber's coordinates."""
    shape = "".join(op for op, _ in ops)
    out: list[tuple[str, dict[str, Any]]] = []
    for sub in _SUBPATH.finditer(shape):
        path = ops[sub.start():sub.end()]
        start = path[0][1][-1]
        pts = [p[-1] if p else start for _, p in path]
        sub_shape = sub.group(0)
        if len(sub_shape) > 3 and sub_shape[-2:] == "lh" and pts[-2] == pts[0]:
            sub_shape = sub_shape[:-2] + "h"
            pts.pop()
        plumb = [frame.point(*p) for p in pts]
        xs = [p[0] for p in plumb]
        tops = [p[1] for p in plumb]
        item: dict[str, Any] = {"x0": min(xs), "x1": max(xs), "top": min(tops),
                                "bottom": max(tops)}
        if sub_shape in ("mlh", "ml"):
            a, b = plumb[0], plumb[1]
            item.update(x0=min(a[0], b[0]), x1=max(a[0], b[0]), top=min(a[1], b[1]),
                        bottom=max(a[1], b[1]))
            out.append(("line", item))
            continue
        if sub_shape in ("mlllh", "mllll"):
            (x0, y0), (x1, y1), (x2, y2), (x3, y3), _ = pts
            square = (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (
                y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0)
            if pts[0] == pts[4] and square:
                a, b = plumb[0], plumb[2]
                item.update(x0=min(a[0], b[0]), x1=max(a[0], b[0]), top=min(a[1], b[1]),
                            bottom=max(a[1], b[1]))
                out.append(("rect", item))
                continue
        item["path"] = [(op, *(frame.point(*p) for p in ps)) for op, ps in path]
        out.append(("curve", item))
    return out


_HANDLE_PREFIX = "LP_struct_fpdf_"
"""pypdfium2 types its handles (text page, page object, font, path segment) as pointers
to opaque structs named ``fpdf_…``; :func:`_plain` turns them into ``void *``."""


def _plain(t: Any) -> Any:
    if t is not None and getattr(t, "__name__", "").startswith(_HANDLE_PREFIX):
        return ctypes.c_void_p
    return t


class _Fast:
    """The C functions read once per glyph or per text object, re-declared with handles
    as plain ``void *``: a handle then crosses as an int, with no pointer object built
    for it on the way out nor checked on the way in (about a third of the cost of a call
    from Python), and an object's or a font's address is the int itself."""

    NAMES = ("FPDFText_GetUnicode", "FPDFText_IsGenerated", "FPDFText_GetTextObject",
             "FPDFText_GetCharOrigin", "FPDFTextObj_GetFont", "FPDFFont_GetDescent",
             "FPDFTextObj_GetTextRenderMode", "FPDFText_GetFontSize", "FPDFText_GetMatrix",
             "FPDFText_GetFillColor", "FPDFFont_GetGlyphWidth", "FPDFPage_GetObject",
             "FPDFFormObj_GetObject", "FPDFPageObj_GetType", "FPDFPath_CountSegments",
             "FPDFPath_GetPathSegment", "FPDFPathSegment_GetPoint", "FPDFPathSegment_GetType",
             "FPDFPathSegment_GetClose")

    def __init__(self, raw: Any) -> None:
        for name in self.NAMES:
            f = getattr(raw, name)
            proto = ctypes.CFUNCTYPE(_plain(f.restype), *(_plain(a) for a in f.argtypes))
            setattr(self, name, proto(ctypes.cast(f, ctypes.c_void_p).value))


_FAST: _Fast | None = None


def _fast(raw: Any) -> _Fast:
    global _FAST
    if _FAST is None:
        _FAST = _Fast(raw)
    return _FAST


def _chars(raw: Any, tp: Any, frame: PageFrame) -> list[Char]:
    """The text page's glyphs with pdfminer's boxes: x from the origin to the advance,
    y from the font's descent, one font size high.

    What is the same for every glyph of a text object (font, size, matrix, colour, render
    mode) is asked once per object: per glyph only its code, object and origin cross into
    C, through :class:`_Fast`'s ``void *`` declarations."""
    fast = _fast(raw)
    tpa = ctypes.cast(tp, ctypes.c_void_p).value
    n = raw.FPDFText_CountChars(tp)
    out: list[Char] = []
    ox, oy = ctypes.c_double(), ctypes.c_double()
    objects: dict[int, _TextObject] = {}
    widths: dict[tuple[int, int], float] = {}
    is_generated, unicode_of = fast.FPDFText_IsGenerated, fast.FPDFText_GetUnicode
    origin_of, object_of = fast.FPDFText_GetCharOrigin, fast.FPDFText_GetTextObject
    glyph_width = fast.FPDFFont_GetGlyphWidth
    fw = ctypes.c_float()
    buf = _Buffers(raw)
    # frame.box, inlined below with the same arithmetic in the same order
    ca, cb, cc, cd, ce, cf = frame.ctm
    fdx, fdy, fh = frame.dx, frame.dy, frame.height
    space = False
    for i in range(n):
        code = unicode_of(tpa, i)
        if is_generated(tpa, i) == 1:  # made up by PDFium, not a glyph
            space = space or code == 0x20
            continue
        if code in (10, 13, 0xFEFF, 0xFFFE, 0xFFFF):
            continue
        if code == 0:  # a glyph with no Unicode mapping: kept, as pdfminer's (cid:N), so
            code = 0xFFFD  # the glyph census can tell an undecodable text layer
        key = object_of(tpa, i) or 0
        t = objects.get(key)
        if t is None:
            t = objects[key] = _TextObject(fast, tpa, i, key, frame, buf)
        wkey = (t.font_key, code)
        width = widths.get(wkey)
        if width is None:  # the advance per unit of font size (0: unknown)
            width = fw.value if t.font_key and glyph_width(t.font_key, code, 1.0, fw) \
                else 0.0
            widths[wkey] = width
        origin_of(tpa, i, ox, oy)
        ma, mb, mc, md = t.matrix
        fs = t.size
        if width > 0:
            adv = width * fs
        else:
            adv = _advance(raw, tp, i, t.matrix)
        lo = t.descent * fs
        oxv, oyv = ox.value, oy.value
        if mb == 0 and mc == 0:  # the common case, without the matrix products
            x0u, x1u = oxv, oxv + ma * adv
            y0u, y1u = oyv + md * lo, oyv + md * (lo + fs)
        else:
            x0u, y0u = oxv + mc * lo, oyv + md * lo
            x1u, y1u = oxv + ma * adv + mc * (lo + fs), oyv + mb * adv + md * (lo + fs)
        ax = ca * x0u + cc * y0u + ce + fdx
        at = fh - (cb * x0u + cd * y0u + cf) + fdy
        bx = ca * x1u + cc * y1u + ce + fdx
        bt = fh - (cb * x1u + cd * y1u + cf) + fdy
        x0 = bx if bx < ax else ax  # min / max, ties as the builtins break them
        t0 = bt if bt < at else at
        x1 = bx if bx > ax else ax
        b0 = bt if bt > at else at
        if space and out and _reads_as_space(out[-1], x0, t0, b0 - t0):
            prev = out[-1]
            out.append(Char(" ", prev.x1, prev.top, x0, prev.bottom, prev.size, prev.upright,
                            prev.render_mode, 1.0, prev.fill))  # Char's field order
        space = False
        # positional, in Char's field order (text, x0, top, x1, bottom, size, upright,
        # render_mode, hscale, fill): keywords cost a measurable share per glyph
        out.append(Char(chr(code), x0, t0, x1, b0, b0 - t0, t.upright, t.mode, 1.0, t.fill))
    return out


class _TextObject:
    """What the glyphs of one text object share, read once (WPS writes one object per
    glyph, so this stays lean: shared buffers, the font's descent cached per font)."""

    __slots__ = ("font_key", "descent", "mode", "size", "matrix", "fill", "upright")

    def __init__(self, fast: _Fast, tp: int, i: int, obj: int, frame: PageFrame,
                 buf: _Buffers) -> None:
        key = self.font_key = (fast.FPDFTextObj_GetFont(obj) or 0) if obj else 0
        descent = buf.descents.get(key)
        if descent is None:
            d = buf.f
            descent = buf.descents[key] = d.value \
                if key and fast.FPDFFont_GetDescent(key, 1.0, d) else 0.0
        self.descent = descent
        self.mode = int(fast.FPDFTextObj_GetTextRenderMode(obj)) if obj else 0
        self.size = fast.FPDFText_GetFontSize(tp, i)
        m = buf.m
        self.matrix = (m.a, m.b, m.c, m.d) if fast.FPDFText_GetMatrix(tp, i, m) \
            else (1.0, 0.0, 0.0, 1.0)
        r, g, b, a = buf.rgba
        self.fill = (r.value / 255, g.value / 255, b.value / 255) \
            if fast.FPDFText_GetFillColor(tp, i, r, g, b, a) else None
        upright = buf.upright.get(self.matrix)
        if upright is None:
            ma, mb, mc, md = self.matrix
            ra, rb, rc, rd = frame.ctm[:4]
            a2, b2 = ma * ra + mb * rc, ma * rb + mb * rd  # the glyph's matrix after /Rotate
            c2, d2 = mc * ra + md * rc, mc * rb + md * rd
            upright = buf.upright[self.matrix] = a2 * d2 > 0 and b2 * c2 <= 0
        self.upright = upright


class _Buffers:
    """ctypes out-parameters and caches shared by one page's text objects."""

    def __init__(self, raw: Any) -> None:
        self.f = ctypes.c_float()
        self.m = raw.FS_MATRIX()
        self.rgba = tuple(ctypes.c_uint() for _ in range(4))
        self.descents: dict[int, float] = {}
        self.upright: dict[tuple[float, float, float, float], bool] = {}
        """Whether a glyph matrix reads upright on this page (one answer per matrix)."""


def _advance(raw: Any, tp: Any, i: int, matrix: tuple[float, float, float, float]) -> float:
    """A glyph's advance (× font size) when its font cannot say: from PDFium's loose box
    for an upright glyph, from its ink box along the baseline for a turned one."""
    ma, mb, mc, _ = matrix
    if mb == 0 and mc == 0 and ma > 0:
        rect = raw.FS_RECTF()
        raw.FPDFText_GetLooseCharBox(tp, i, rect)
        return float((rect.right - rect.left) / ma)
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    raw.FPDFText_GetCharBox(tp, i, left, right, bottom, top)
    scale = (ma * ma + mb * mb) ** 0.5 or 1.0
    return max(right.value - left.value, top.value - bottom.value) / scale


SPACE_GAP = 0.45
"""A space PDFium generated stands for a space glyph when the gap it fills is at least this
× the font size (see :func:`_reads_as_space`)."""


def _reads_as_space(prev: Char, x0: float, top: float, size: float) -> bool:
    """Whether a space PDFium generated between ``prev`` and the next glyph is kept.

    PDFium reports no space glyph of the content as such: it drops them and generates
    spaces of its own wherever a gap is wide enough, so a real space and a wide kerning
    gap look alike.  On the real disclosures a space glyph (pdfminer sees it) always sits
    in a gap of about half an em, while the gaps PDFium fills without one are mostly a
    quarter em (CJK next to digits); the text code then decides, as for pdfplumber,
    whether the space prints."""
    return (abs(prev.top - top) < 0.5 * size and x0 > prev.x1
            and x0 - prev.x1 >= SPACE_GAP * max(min(prev.size, size), 1.0))

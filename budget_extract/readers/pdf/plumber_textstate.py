"""The text state pdfminer knows but does not keep: rendering mode and horizontal scaling.

pdfminer builds each character (``LTChar``) from the text state but records neither the
rendering mode (``Tr``: 3 is invisible) nor the horizontal scaling (``Tz``), and
pdfplumber copies only known attributes into its character dicts.  These two mixins carry
them through: the layout device tags the characters a ``Tj``/``TJ`` produced, the page
adds the tags to the dicts.  :mod:`.visible` then drops what a viewer would not show.
"""

from __future__ import annotations

from typing import Any


class TextStateDevice:
    """Mixin for pdfminer's layout device (before ``PDFPageAggregator`` in the bases)."""

    cur_item: Any

    def render_string(self, textstate: Any, seq: Any, ncs: Any, graphicstate: Any) -> None:
        objs = self.cur_item._objs
        start = len(objs)
        super().render_string(textstate, seq, ncs, graphicstate)  # type: ignore[misc]
        mode = int(textstate.render or 0)
        scale = float(textstate.scaling if textstate.scaling is not None else 100) / 100
        if mode or scale != 1.0:
            for item in objs[start:]:
                item.be_render_mode = mode
                item.be_hscale = scale


class TextStatePage:
    """Mixin for pdfplumber's ``Page``: the tags into each character's dict."""

    def process_object(self, obj: Any) -> Any:
        attr = super().process_object(obj)  # type: ignore[misc]
        mode = getattr(obj, "be_render_mode", None)
        if mode is not None:
            attr["render_mode"] = mode
            attr["hscale"] = obj.be_hscale
        return attr

"""The seed written as portals publish HTML (fixtures/build/make_html_variants.py) gives the
seed's facts.

Word and Excel "Save as Web Page", WPS, and CMS rich-text editors wrap the same tables in
very different markup: ``MsoNormal`` paragraphs in every cell, ``x:num`` attributes beside
formatted numbers, rows and columns hidden by a ``<style>`` block's class rules, the title
and unit as merged rows inside the table, full-width digits, a GBK page declaring gb2312,
a long table cut in two by the editor.  The content is the seed's, so the expected facts
are the seed's own, known by construction: the same values, row labels and column paths
as the seed PDF's (amounts ×10000 where a variant prints 元).
"""

from __future__ import annotations

import importlib.util
import sys

import pytest
from variant_facts import FIX, NUMBERED, SEED_PDF, diff, keyed

_spec = importlib.util.spec_from_file_location(
    "make_html_variants", FIX / "build" / "make_html_variants.py")
make_html_variants = importlib.util.module_from_spec(_spec)
sys.modules["make_html_variants"] = make_html_variants  # dataclasses look it up
_spec.loader.exec_module(make_html_variants)


@pytest.fixture(scope="session")
def html_variant(tmp_path_factory, extracted):
    """``html_variant(name)``: the variant written and extracted, once per session."""
    folder = tmp_path_factory.mktemp("html-variants")

    def get(name: str):
        path = folder / make_html_variants.file_name(name)
        if not path.exists():
            path.write_bytes(make_html_variants.variant_bytes(name))
        return extracted(path)

    return get


@pytest.mark.parametrize("name", make_html_variants.VARIANTS)
def test_html_variant_gives_the_seed_facts(name, html_variant, extracted):
    yuan = name.endswith("yuan")
    want = keyed(extracted(SEED_PDF), yuan=yuan, tables=NUMBERED)
    got = keyed(html_variant(name), yuan=yuan, tables=NUMBERED)
    assert got == want, diff(got, want)

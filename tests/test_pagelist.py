"""The one wording of page lists in warnings and errors (``budget_extract.pagelist``)."""

from __future__ import annotations

from budget_extract.pagelist import page_list, pages_have


def test_consecutive_pages_are_one_range():
    assert page_list([3]) == "page 3"
    assert page_list([3, 4]) == "pages 3-4"
    assert page_list([7, 1, 2, 3, 3]) == "pages 1-3, 7"  # sorted, each page once
    assert page_list(range(1, 41)) == "pages 1-40"


def test_past_the_limit_the_rest_is_an_ellipsis():
    odd = range(1, 30, 2)  # 15 separate pages
    assert page_list(odd) == "pages 1, 3, 5, 7, 9, 11, 13, 15, 17, 19 …"
    assert page_list(odd, 3) == "pages 1, 3, 5 …"
    assert page_list(odd, None).endswith("27, 29")


def test_the_verb_agrees_with_the_pages():
    assert pages_have([2]) == "page 2 has"
    assert pages_have([2, 3]) == "pages 2-3 have"
    assert pages_have([1, 2, 3, 7]) == "pages 1-3, 7 have"
    assert pages_have([]) == "the PDF has"
    assert pages_have(range(1, 30, 2)).endswith("27, 29 have")  # every page named

"""The registries (check families, cross-table identities, table kinds) and their documents
say the same thing: a check or kind added in code without its docs row (or the reverse)
fails here, and the kinds are exactly the output contract's."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from budget_extract.budget.checks.registry import (
    CLAIM_CHECKS,
    CROSS_TABLE,
    DOCUMENT_FAMILIES,
    TABLE_FAMILIES,
    identities_of,
)
from budget_extract.budget.kinds import (
    KINDS,
    REGISTRY,
    TITLE_OF_KIND,
    TITLE_RULES,
    TableKind,
    classify,
    kind_from_title,
    spec,
)

ROOT = Path(__file__).resolve().parent.parent
CHECKS_MD = ROOT / "docs" / "checks.md"
CONTRACT_MD = ROOT / "docs" / "contract.md"
SHARED_CONTRACT = ROOT.parent / "shared" / "CONTRACT.md"
SEED = ROOT / "fixtures" / "huaibei-hrss-info-center-2026-budget.md"


def _section(text: str, heading: str) -> str:
    """The text under a ``## heading`` up to the next ``## ``."""
    start = text.index(f"## {heading}")
    end = text.find("\n## ", start + 1)
    return text[start:end if end > 0 else None]


def _table_rows(section: str) -> list[list[str]]:
    """The cells of each body row of the Markdown tables in a section."""
    rows = []
    for line in section.splitlines():
        if line.startswith("|") and not line.startswith("|---"):
            rows.append([c.strip() for c in line.strip("|").split("|")])
    return [r for r in rows if r[0] not in ("id", "kind", "module", "document")]


def test_every_cross_table_identity_has_its_docs_row_in_order():
    section = _section(CHECKS_MD.read_text(encoding="utf-8"), "Checks across tables")
    documented = [r[0].strip("`") for r in _table_rows(section)]
    assert documented == [c.doc_id for c in CROSS_TABLE]


def test_every_kind_has_its_docs_row_with_its_title_and_families():
    section = _section(CHECKS_MD.read_text(encoding="utf-8"), "Which checks run on which table")
    rows = {r[0].strip("`"): (r[1], r[2]) for r in _table_rows(section)}
    assert list(rows) == [k.value for k in TableKind]
    order = [f.name for f in TABLE_FAMILIES]
    for k in TableKind:
        title, families = rows[k.value]
        assert title == (spec(k).title or "(unclassified)")
        want = [n for n in order if n in spec(k).table_checks]
        assert families == (", ".join(want) or "none"), k


def _contract_kinds(text: str) -> list[str]:
    section = _section(text, "Table kinds")
    return [r[0] for r in _table_rows(section)]


@pytest.mark.skipif(not SHARED_CONTRACT.exists(), reason="the shared contract is not here")
def test_registry_kinds_extend_the_contracts():
    """Every contract kind is in the registry, in the contract's order; the registry may add
    kinds (the contract allows extending it), listed before ``unknown``."""
    contract = _contract_kinds(SHARED_CONTRACT.read_text(encoding="utf-8"))
    assert contract[0] == "income_expenditure_summary" and contract[-1] == "unknown"
    ids = [k.value for k in TableKind]
    assert ids[:len(contract) - 1] == contract[:-1] and ids[-1] == "unknown"
    assert sorted(KINDS) == sorted(ids)
    assert list(TITLE_OF_KIND) == ids


def test_registry_kinds_are_the_ones_docs_contract_lists():
    listed = re.findall(r"`([a-z_]+)`", _section(CONTRACT_MD.read_text(encoding="utf-8"),
                                                  "Table kinds"))
    ids = [k.value for k in TableKind]
    # the list opens the section, in the registry's order; later mentions are all known ids
    assert list(dict.fromkeys(listed))[:len(ids)] == ids
    assert set(listed) <= set(ids)


def test_registry_entries_are_complete():
    assert len(REGISTRY) == len(TableKind) == len({s.kind for s in REGISTRY})
    assert all(s.title for s in REGISTRY if s.kind is not TableKind.UNKNOWN)
    assert all(s.titles for s in REGISTRY if s.kind is not TableKind.UNKNOWN)
    # every table family a kind names exists
    names = {f.name for f in TABLE_FAMILIES}
    assert all(s.table_checks <= names for s in REGISTRY)
    # every kind named by a cross-table identity is registered
    assert {k for c in CROSS_TABLE for k in c.kinds} <= set(TableKind)


def test_title_priority_keeps_the_specific_names_first():
    # 财政拨款收支总表 also contains 收支总表; 基本支出 also 一般公共预算…支出; 项目支出绩效
    # 目标表 also 项目支出: the registry's order decides, as TITLE_RULES did.
    assert kind_from_title("2025年部门财政拨款收支预算总表") == "fiscal_grant_summary"
    assert kind_from_title("一般公共预算基本支出表") == "general_budget_basic_expenditure"
    assert kind_from_title("项目支出绩效目标表") == "performance_target"
    assert [k for k, _ in TITLE_RULES][:2] == ["performance_project_list"] * 2


def test_kind_ids_are_plain_strings_in_ids_and_outputs():
    # a TableKind inside an f-string prints its id, never "TableKind.X"
    assert f"cross.{TableKind.INCOME_SUMMARY}_x" == "cross.income_summary_x"
    assert TableKind.INCOME_SUMMARY == "income_summary"
    assert type(classify("收支总表", [], [])) is str


def test_identities_of_a_kind():
    ies = identities_of("income_expenditure_summary")
    assert "cross.expenditure_summary_total=income_expenditure_summary_expenditure" in ies
    assert "cross.expenditure_summary_class=income_expenditure_summary_item.NAME" in ies
    assert identities_of("three_public_expenditure") == []


def test_document_checks_are_the_documents(extracted):
    """S.json lists the checks family by family: accounting, then 情况说明, then 绩效目标表,
    then what the prose claims, then the document's structure and text."""
    doc = extracted(SEED)
    family = ["narrative" if c.id.startswith("narrative.") else
              "performance" if c.id.startswith("performance_target.") else
              "claims" if c.id.startswith("claims.") else
              "document" if c.id.startswith(("structure.", "hygiene.")) else "accounting"
              for c in doc.checks]
    order = ["accounting", "narrative", "performance", "claims", "document"]
    assert family == sorted(family, key=order.index)
    assert set(order) <= set(family)


def test_every_document_check_has_its_docs_row_in_order():
    """docs/checks.md, "Checks of the document", lists the ids of DOCUMENT_FAMILIES."""
    section = _section(CHECKS_MD.read_text(encoding="utf-8"), "Checks of the document")
    documented = [r[0].strip("`") for r in _table_rows(section)]
    assert documented == [i for f in DOCUMENT_FAMILIES for i in f.ids]


def test_every_claim_check_has_its_docs_row_in_order():
    section = _section(CHECKS_MD.read_text(encoding="utf-8"), "What the text claims")
    documented = [r[0].strip("`") for r in _table_rows(section)]
    assert documented == list(CLAIM_CHECKS)

"""Table kinds as data: the contract's ids, how a title or header names each, what it checks.

Titles vary across provinces and years (部门/单位, 收支总表 / 收支预算总表 / 财务收支预算总表,
一般公共预算支出表 / 一般公共预算支出功能分类预算表, 基本支出表 / 基本支出部门预算经济分类预算表,
"三公"经费支出表 / "三公"经费和机关运行经费预算表), so each kind lists the distinguishing words
of its titles, and the kinds are tried in order from the most specific.  ``unknown`` is the
honest fallback.

Everything a module needs to know about a kind is one :class:`KindSpec` in :data:`REGISTRY`:
adding a kind is one entry here (plus its row in the contract and in docs/checks.md).  The
ids are spelled once, in :class:`budget_extract.model.TableKind`; other modules compare
``table.kind`` (a plain string) with its members.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import TableKind
from ..segment import norm

K = TableKind

# The within-table check families (budget_extract.budget.checks), by name.  Every grid
# table gets the code tree and row sums; side-by-side tables also get the item sums (the
# family itself looks at the layout); project lists add their 总计 = Σ projects.
GRID_CHECKS: frozenset[str] = frozenset({"code_checks", "row_sum_checks", "side_checks"})
PROJECT_CHECKS: frozenset[str] = GRID_CHECKS | {"project_total_checks"}


@dataclass(frozen=True)
class TitlePattern:
    """One way a kind's title is printed; ``covers`` says which templates/phases use it."""

    pattern: re.Pattern[str]
    covers: str = ""


# Codes of the two classifications, as printed in a first column (``201``, ``2013901``,
# ``301``, ``30101``): which tree a table's rows hang on tells 功能分类 from 经济分类 tables.
FUNCTION_CODE = r"2\d{2}(\d{2}){0,2}"
ECONOMIC_CODE = r"3\d{2}(\d{2})?"
# A project's amount column, its unit possibly printed in the header (预算数（单位：万元）).
PROJECT_AMOUNT = r"(项目总额|项目金额|预算金额|预算数|金额)([（(][^（）()]*[）)])?"


@dataclass(frozen=True)
class HeaderSignature:
    """A header (and first column) that names its kind when the title does not.

    Every non-empty condition must hold: ``levels`` all among the header levels and one of
    ``levels_any`` among them; ``only`` holds every header level (a table of nothing else);
    ``joined_all`` each in the joined header text and one of ``joined_any`` in it;
    ``counts`` each substring at least that often; ``first_col_prefix`` /
    ``first_col_contains`` each the start of / inside some first-column text;
    ``first_col_codes`` each regex the whole of some first-column text (the code tree the
    rows hang on); ``level_pattern`` a regex some header level matches whole (an amount
    column whose unit is printed in it: ``预算数（单位：万元）``).  ``rank`` orders the
    signatures of all kinds, most specific first.
    """

    rank: int
    levels: frozenset[str] = frozenset()
    levels_any: frozenset[str] = frozenset()
    only: frozenset[str] = frozenset()
    joined_all: tuple[str, ...] = ()
    joined_any: tuple[str, ...] = ()
    counts: tuple[tuple[str, int], ...] = ()
    first_col_prefix: tuple[str, ...] = ()
    first_col_contains: tuple[str, ...] = ()
    first_col_codes: tuple[str, ...] = ()
    level_pattern: str = ""

    def matches(self, flat: set[str], joined: str, first_col_texts: list[str]) -> bool:
        return (self.levels <= flat
                and (not self.levels_any or bool(self.levels_any & flat))
                and (not self.only or (bool(flat) and flat <= self.only))
                and all(s in joined for s in self.joined_all)
                and (not self.joined_any or any(s in joined for s in self.joined_any))
                and all(joined.count(s) >= n for s, n in self.counts)
                and all(any(t.startswith(p) for t in first_col_texts)
                        for p in self.first_col_prefix)
                and all(any(s in t for t in first_col_texts) for s in self.first_col_contains)
                and all(any(re.fullmatch(c, t) for t in first_col_texts)
                        for c in self.first_col_codes)
                and (not self.level_pattern
                     or any(re.fullmatch(self.level_pattern, lvl) for lvl in flat)))


@dataclass(frozen=True)
class KindSpec:
    """Everything about one table kind: id, canonical title, how it is recognised, checks.

    ``overrides``: kinds whose *title* this kind's header signatures overrule — a
    项目支出绩效目标表 printed as one grid of projects with their amounts is a project list,
    whatever its title says, because it is read as a grid and not as a per-project form.

    ``published_as``: for a kind the contract's closed list lacks, the contract id it is
    published under (JSON ``kind``, facts ``table_kind``, every output); the finer kind stays
    on the table for the checks (an all-funds 基本支出表 is checked against the 支出总表, not
    against the 一般公共预算支出表) and in the JSON's ``kind_detail``.
    """

    kind: TableKind
    title: str
    titles: tuple[TitlePattern, ...] = ()
    headers: tuple[HeaderSignature, ...] = ()
    table_checks: frozenset[str] = GRID_CHECKS
    overrides: tuple[TableKind, ...] = ()
    published_as: TableKind | None = None


def _t(pattern: str, covers: str = "") -> TitlePattern:
    return TitlePattern(re.compile(pattern), covers)


# In title priority: the first kind with a matching title pattern wins, so the more
# specific names come first: 绩效目标清单 before 绩效目标; "三公" before anything 财政拨款;
# 政府性基金/国有资本经营 before 收入支出 (their 决算 tables are 收入支出决算表); 财政拨款收支
# before 收支总表; 基本支出 before 一般公共预算支出; 项目支出 before 一般公共预算支出
# (一般公共预算项目支出情况表 is a project table); every named 支出表 before the bare 支出总表.
# Patterns match the classification title (:func:`classification_title`): the printed title
# without unit name, year, caption (公开05表, 预算01表, 表3) and a bracketed 分类 suffix.
REGISTRY: tuple[KindSpec, ...] = (
    KindSpec(K.PERFORMANCE_PROJECT_LIST, "项目支出绩效目标公开清单",
             (_t(r"绩效目标(公开)?清单", "项目支出绩效目标公开清单"),
              _t(r"绩效目标一览", "绩效目标一览表"),
              _t(r"项目支出绩效表$", "浙江 项目支出绩效表 (projects, amounts, 绩效目标)")),
             (HeaderSignature(0, joined_all=("项目名称",),
                              levels_any=frozenset({"项目总额", "金额", "预算数", "预算数（万元）",
                                                    "项目金额", "预算金额"}),
                              joined_any=("绩效目标", "一级指标")),
              # 广东 重点项目 grid in the 情况说明: 项目 | 预算数（单位：万元） | 绩效目标
              HeaderSignature(0, levels_any=frozenset({"项目", "项目名称"}),
                              level_pattern=PROJECT_AMOUNT, joined_any=("绩效目标", "一级指标"))),
             table_checks=PROJECT_CHECKS, overrides=(K.PERFORMANCE_TARGET,)),
    KindSpec(K.PERFORMANCE_TARGET, "项目支出绩效目标表",
             (_t(r"绩效目标表"), _t(r"绩效目标申报表"), _t(r"绩效目标", "any other 绩效目标 form")),
             (HeaderSignature(1, levels=frozenset({"一级指标", "二级指标"})),
              HeaderSignature(2, first_col_contains=("绩效指标",)),
              HeaderSignature(3, first_col_prefix=("项目名称",), first_col_contains=("年度目标",))),
             table_checks=frozenset()),
    KindSpec(K.UNIT_LIST, "预算单位构成",
             (_t(r"单位构成", "部门预算单位构成, 决算单位构成"),
              _t(r"单位(名单|清单|名录|一览)表?$")),
             (HeaderSignature(2, levels=frozenset({"单位名称"}),
                              only=frozenset({"序号", "单位名称", "单位名称#2", "备注", "单位编码",
                                              "单位代码", "单位性质", "单位类型", "单位级次",
                                              "经费来源", "经费形式", "单位规格"})),),
             table_checks=frozenset()),
    KindSpec(K.THREE_PUBLIC_EXPENDITURE, '一般公共预算"三公"经费支出表',
             (_t(r"三公", '"三公"经费支出(决算)表, "三公"经费和机关运行经费预算表'),),
             (HeaderSignature(5, joined_any=("因公出国", "公务接待")),)),
    # 机关运行经费 is the 公用经费 part of 一般公共预算 basic spending, by economic class.
    KindSpec(K.OPERATING_EXPENDITURE, "机关运行经费支出表",
             (_t(r"机关运行经费", "一般公共预算机关运行经费支出预算表"),),
             (HeaderSignature(8, joined_all=("机关运行经费",)),),
             published_as=K.GENERAL_BUDGET_BASIC_EXPENDITURE),
    KindSpec(K.GOV_FUND_EXPENDITURE, "政府性基金预算支出表",
             (_t(r"政府性基金", "政府性基金预算支出表, …财政拨款收入支出决算表"),)),
    KindSpec(K.STATE_CAPITAL_EXPENDITURE, "国有资本经营预算支出表",
             (_t(r"国有资本经营", "国有资本经营预算支出(明细)表, …财政拨款收入支出决算表"),)),
    KindSpec(K.FISCAL_GRANT_SUMMARY, "财政拨款收支总表",
             (_t(r"财政拨款收支", "财政拨款收支(预算)总表, 财政拨款收支总体情况表"),
              _t(r"财政拨款收入支出(预算|决算)?总表", "财政拨款收入支出决算总表")),
             (HeaderSignature(3, joined_all=("收入", "支出", "财政拨款"), counts=(("项目", 2),)),)),
    KindSpec(K.INCOME_EXPENDITURE_SUMMARY, "收支总表",
             (_t(r"收支(预算)?总表", "收支总表, (财务)收支预算总表"), _t(r"收支预算表"),
              _t(r"收支总体情况表", "收支总体情况表"),
              _t(r"收入支出(预算|决算)?总表", "收入支出决算总表")),
             (HeaderSignature(4, joined_all=("收入", "支出"), counts=(("项目", 2),)),)),
    KindSpec(K.INCOME_SUMMARY, "收入总表",
             (_t(r"收入(预算|决算)?总表", "收入总表, 收入预算总表"), _t(r"收入(预算|决算)表"),
              _t(r"收入总体情况表", "收入总体情况表")),
             (HeaderSignature(9, joined_all=("本年收入合计", "财政拨款收入"),
                              first_col_codes=(FUNCTION_CODE,)),)),
    KindSpec(K.GENERAL_BUDGET_BASIC_EXPENDITURE, "一般公共预算基本支出表",
             (_t(r"一般公共预算.*基本支出"),
              _t(r"基本支出.*经济分类", "基本支出部门预算经济分类预算表"),
              _t(r"财政拨款(预算)?基本支出", "财政拨款基本支出表（经济科目）")),
             (HeaderSignature(6, joined_all=("人员经费", "公用经费", "经济分类")),
              HeaderSignature(6, joined_all=("人员经费", "公用经费"),
                              first_col_codes=(ECONOMIC_CODE,)))),
    # every funding source's basic spending: the contract's nearest id is 一般公共预算基本支出表
    KindSpec(K.BASIC_EXPENDITURE, "基本支出表",
             (_t(r"基本支出", "基本支出总表, 部门预算基本支出预算表, 基本支出预算情况表"),),
             published_as=K.GENERAL_BUDGET_BASIC_EXPENDITURE),
    KindSpec(K.PROJECT_EXPENDITURE, "项目支出表",
             (_t(r"项目支出", "项目支出(总)表, 部门预算项目支出及其他支出预算表, "
                 "一般公共预算项目支出情况表"),
              _t(r"专项业务经费", "专项业务经费支出表 (陕西: 项目支出)"),
              # 陕西: the projects carried over (预算项目名称 | 金额)
              _t(r"上年结转资金支出", "财政拨款上年结转资金支出表")),
             # spending items (支出项目类别) listed with their 绩效目标: projects, not 基本支出
             (HeaderSignature(12, joined_all=("支出项目类别", "绩效目标")),),
             table_checks=PROJECT_CHECKS),
    KindSpec(K.GENERAL_BUDGET_EXPENDITURE, "一般公共预算支出表",
             (_t(r"一般公共预算.*支出", "一般公共预算支出(功能分类预算/情况/明细)表"),
              _t(r"财政拨款(预算)?支出(预算|决算)?(明细|情况)?表",
                 "财政拨款支出表（功能科目） (江苏: 财政拨款 = 一般公共预算 + 基金 + 国资)")),
             (HeaderSignature(11, joined_all=("基本支出", "项目支出"),
                              first_col_codes=(FUNCTION_CODE,)),)),
    KindSpec(K.PURCHASED_SERVICES_EXPENDITURE, "政府购买服务支出表", (_t(r"政府购买服务"),)),
    KindSpec(K.PROCUREMENT_EXPENDITURE, "政府采购支出表", (_t(r"政府采购"),),
             (HeaderSignature(7, joined_all=("政府采购品目",)),)),
    KindSpec(K.ASSET_ALLOCATION_EXPENDITURE, "通用资产配置支出表", (_t(r"资产配置"),)),
    KindSpec(K.EXPENDITURE_SUMMARY, "支出总表",
             (_t(r"支出(预算|决算)?总表", "支出总表, 支出预算总表"), _t(r"支出(预算|决算)表"),
              _t(r"支出总体情况表", "(本年)支出总体情况表")),
             (HeaderSignature(10, joined_all=("基本支出", "项目支出"),
                              joined_any=("上缴上级支出", "经营支出", "对附属单位补助支出"),
                              first_col_codes=(FUNCTION_CODE,)),)),
    KindSpec(K.UNKNOWN, ""),
)

SPEC: dict[str, KindSpec] = {s.kind.value: s for s in REGISTRY}

# Kinds whose figures cover every funding source (财政拨款, 财政专户, 单位资金 …): a figure in a
# 财政拨款 or 一般公共预算 section of the 情况说明 never refers to them.
ALL_FUNDS_KINDS: frozenset[str] = frozenset(k.value for k in (
    K.INCOME_EXPENDITURE_SUMMARY, K.INCOME_SUMMARY, K.EXPENDITURE_SUMMARY, K.BASIC_EXPENDITURE))

# Today's public names, derived from the registry (other modules import them).
TITLE_RULES: list[tuple[str, re.Pattern[str]]] = [
    (s.kind.value, p.pattern) for s in REGISTRY for p in s.titles]
KINDS: list[str] = [s.kind.value for s in REGISTRY]
TITLE_OF_KIND: dict[str, str] = {k.value: SPEC[k.value].title for k in TableKind}
_HEADER_RULES: list[tuple[HeaderSignature, str]] = sorted(
    ((h, s.kind.value) for s in REGISTRY for h in s.headers), key=lambda x: x[0].rank)


def spec(kind: str) -> KindSpec:
    """The registry entry of a kind id (``unknown``'s for an id the registry lacks)."""
    return SPEC.get(kind) or SPEC[K.UNKNOWN.value]


def published_kind(kind: str) -> str:
    """The contract id a kind is published under (itself unless the contract lacks it)."""
    s = SPEC.get(str(kind))
    return (s.published_as or s.kind).value if s else str(kind)


# What a printed title carries besides its name, stripped before classifying (the emitted
# title stays as printed): a leading colon (`：2026年市级部门收支预算总表`), the unit name and
# year (`苏州市审计局2026年度…`), a caption (`部门预算公开公开05表`, `预算01表`, `表3`, `表一`,
# `部门决算表`, `部门综合预算`) and a bracketed classification suffix (`（按功能分类科目）`).
_LEAD = re.compile(r"^(?:[:：、.．\s]|(?:[0-9]{1,2}|[一二三四五六七八九十]{1,3})[.．、](?![0-9]))+")
_YEAR = re.compile(r"^.{0,40}?20\d{2}年度?")
_CAPTION = re.compile(
    r"^.{0,40}?(?:(?:公开|预算|决算|部门|单位)[0-9０-９]{1,2}表"
    r"|(?:部门|单位)?公开表[0-9０-９]{1,2}|附?表[0-9０-９]{1,2}(?![0-9０-９])"
    r"|附?表[一二三四五六七八九十]{1,3}(?=[、.．:：]|$|[^一二三四五六七八九十]))[、.．:：]?")
_PREFIX = re.compile(r"^(?:市级|区级|县级|省级)?(?:部门|单位)(?:综合)?(?:预算|决算)(?:公开)?(?:表)?"
                     r"(?=.*表)")
_SUFFIX = re.compile(r"(?:[（(][^（）()]*[）)])+$")


def classification_title(title: str, unit_name: str = "") -> str:
    """The name a title gives its table, without what varies per document (see above)."""
    t = norm(title)
    unit = norm(unit_name)

    def strip(pattern: re.Pattern[str], text: str) -> str:
        # never strip the name itself: `部门收支总表（2026年）` keeps 收支总表
        rest = pattern.sub("", text)
        return rest if rest and ("表" in rest or "表" not in text) else text

    for _ in range(3):  # prefixes come in any order: `预算01表收支总表`, `单位…2026年公开05表…`
        before = t
        t = strip(_LEAD, t)
        if len(unit) >= 2 and t.startswith(unit) and len(t) > len(unit):
            t = t[len(unit):]
        t = strip(_PREFIX, strip(_CAPTION, strip(_YEAR, t)))
        if t == before:
            break
    return _SUFFIX.sub("", t) or t


def kind_from_title(title: str, unit_name: str = "") -> str | None:
    """The kind the title names: its classification title first, else the title as printed
    (in case stripping took away what named it)."""
    for t in dict.fromkeys((classification_title(title, unit_name), norm(title))):
        for kind, pat in TITLE_RULES:
            if pat.search(t):
                return kind
    return None


def kind_from_header(paths: list[tuple[str, ...]], first_col_texts: list[str]) -> str | None:
    """Fallback from the header signature when the title says nothing (or is missing)."""
    flat = {lvl for p in paths for lvl in p}
    joined = "|".join("/".join(p) for p in paths)
    for sig, kind in _HEADER_RULES:
        if sig.matches(flat, joined, first_col_texts):
            return kind
    return None


def classify(title: str, paths: list[tuple[str, ...]], first_col_texts: list[str],
             unit_name: str = "") -> str:
    """The table's kind: by its title, else by its header and first column.

    A kind that ``overrides`` the title's kind takes the table when its header signature
    matches (a grid of projects titled 绩效目标表 is a project list, not a form).
    """
    by_title = kind_from_title(title, unit_name)
    if by_title:
        flat = {lvl for p in paths for lvl in p}
        joined = "|".join("/".join(p) for p in paths)
        for s in REGISTRY:
            if by_title in s.overrides and any(
                    h.matches(flat, joined, first_col_texts) for h in s.headers):
                return s.kind.value
        return by_title
    return kind_from_header(paths, first_col_texts) or K.UNKNOWN.value

"""Optional extras and the one-line message that names how to install a missing one.

budget_extract is installed from its checkout or from a built wheel, not from a package
index, so ``pip install 'budget_extract[pandas]'`` fails for a new user: a missing extra's
message names the packages themselves (which always install), and the checkout's
``pip install -e '.[EXTRA]'`` as the alternative.  The requirements here are those of
``pyproject.toml``'s ``[project.optional-dependencies]`` (a test keeps them equal).
"""

from __future__ import annotations

EXTRAS: dict[str, tuple[str, ...]] = {
    "dask": ("dask[distributed]>=2024.1",),
    "pandas": ("pandas>=2,<4",),
    "datasette": ("datasette>=0.65,<2",),
    "frictionless": ("frictionless>=5.15,<6",),
}
"""Extra name → its requirements, as in pyproject.toml."""


def install_hint(extra: str) -> str:
    """``pip install 'pandas>=2,<4'`` (or from the checkout: ``pip install -e '.[pandas]'``)."""
    reqs = " ".join(f"'{r}'" for r in EXTRAS[extra])
    return f"pip install {reqs} (or, in a checkout of budget_extract: pip install -e '.[{extra}]')"


def missing(feature: str, extra: str) -> str:
    """The one-line message for ``feature`` used without its extra installed."""
    return f"{feature} needs the optional '{extra}' packages, not installed: {install_hint(extra)}"

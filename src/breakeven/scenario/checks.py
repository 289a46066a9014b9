"""What validating a scenario checks beyond each field's type: variables, measures, correlations,
the blocks' data flow, catalog names and exchange rates.

Each problem is located (``file:line: path: message (got …)``) when the scenario came from a file;
they are reported together as one :class:`~breakeven.errors.ScenarioError`. Validation resolves
every ``$variable`` to its distribution, shaped by the fields that use it.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from ..engine import build_inputs, iter_leaves
from ..engine.fields import Loc, growth_keyword
from ..engine.order import MissingRead, order_blocks
from ..errors import ContractError, Problem, ScenarioError, UncertainError
from ..models import ledger
from ..models.correlation import correlation_matrix
from ..models.distributions import interval, parse_uncertain
from ..models.reference_growth import per_period

Lines = dict[Loc, int]


def line_of(lines: Lines, loc: Loc) -> int | None:
    """Line of the longest known prefix of ``loc``."""
    for k in range(len(loc), -1, -1):
        if loc[:k] in lines:
            return lines[loc[:k]]
    return None


class _Problems(list[Problem]):
    def __init__(self, file: str, lines: Lines):
        super().__init__()
        self.file, self.lines = file, lines

    def add(self, loc: Loc, message: str, *got: Any) -> None:
        self.append(
            Problem(
                self.file,
                line_of(self.lines, loc),
                ".".join(loc),
                message,
                got[0] if got else None,
                bool(got),
            )
        )

    def raise_any(self) -> None:
        if self:
            raise ScenarioError(sorted(self, key=lambda p: p.line or 0))


def check_scenario(sc: Any, file: str, lines: Lines) -> None:
    """Resolve variables, then check the rest; raise ScenarioError listing every problem."""
    problems = _Problems(file, lines)
    resolve_variables(sc, problems)
    resolve_references(sc, problems)
    problems.raise_any()
    check_routes(sc, problems)
    problems.raise_any()
    blocks = sc.build_blocks()
    check_measures(sc, blocks, problems)
    check_correlations(sc, problems)
    problems.raise_any()
    try:
        order_blocks(blocks, sc.blockset.outputs, sc.blockset)
    except ContractError as e:
        where = e.block.path if e.block is not None and e.block.path else ""
        loc = tuple(where.split(".")) if where else ()
        named = (
            tuple(e.block.read_at(e.key))
            if isinstance(e, MissingRead) and e.block is not None and e.key is not None
            else ()
        )
        if named:  # a value the plan names (a partner's line): said there, as given
            problems.add(loc + named, e.message, e.key)
        else:
            problems.add(loc, e.message)
    inputs = build_inputs(sc)
    for b in blocks:
        base = tuple(b.path.split(".")) if b.path else ()
        found = [(base + tuple(loc), msg, got) for loc, msg, got in b.problems(inputs)]
        for loc, msg, got in found:
            problems.add(loc, msg, got)
        if found:
            continue
        for loc, cur in b.currencies():
            if cur.upper() != sc.currency and cur.upper() not in sc.fx:
                problems.add(
                    base + tuple(loc),
                    f"no exchange rate from {cur} to {sc.currency}; add fx: {{{cur.upper()}: ...}}",
                    cur,
                )
    problems.raise_any()


def resolve_variables(sc: Any, problems: _Problems) -> None:
    """Give every ``$name`` leaf its variable's distribution, shaped by the field that uses it;
    one variable serves one kind of quantity."""
    domains: dict[str, tuple[Any, str]] = {}
    parsed: dict[str, Any] = {}
    for loc, leaf in iter_leaves(sc):
        if leaf.ref is None:
            continue
        path, name = ".".join(loc), leaf.ref
        if name not in sc.variables:
            close = difflib.get_close_matches(name, list(sc.variables), n=1)
            hint = f"; did you mean '${close[0]}'?" if close else "; declare it under variables:"
            problems.add(loc, f"unknown variable{hint}", leaf.raw)
            continue
        if name in domains and domains[name][0] is not leaf.domain:
            d0, p0 = domains[name]
            problems.add(
                loc,
                f"variable ${name} is used here as {leaf.domain.value} but at {p0} "
                f"as {d0.value}; use one variable per kind of quantity",
                leaf.raw,
            )
            continue
        try:
            keyword = growth_keyword(sc.variables[name])
        except UncertainError as e:
            problems.add(("variables", name), e.message, e.got)
            continue
        if keyword is not None:  # a reference class sets it, where it is used (see below)
            leaf.reference, leaf.trend = True, keyword[1]
            continue
        if name not in parsed:
            try:
                parsed[name] = parse_uncertain(sc.variables[name], leaf.domain)
            except UncertainError as e:
                problems.add(
                    ("variables", name),
                    f"{e.message} (as a {leaf.domain.value}, used at {path})",
                    e.got,
                )
                continue
            domains[name] = (leaf.domain, path)
        leaf.dist = parsed[name]


TOKEN_GROWTH = (
    ("streams", "api", "input_tokens_per_month", "change_per_year"),
    ("streams", "api", "output_tokens_per_month", "change_per_year"),
)
"""The fields whose ``reference`` is the growth of AI products' tokens (a change per year)."""


def reference_family(loc: Loc) -> str | None:
    """Which reference class a field takes (``consumer`` users, ``business`` organisations,
    ``tokens``), or None where ``reference`` is not a value."""
    if loc == ("market", "consumer", "recent_growth_per_month"):
        return "consumer"
    segment = len(loc) == 5 and loc[:3] == ("market", "business", "segments")
    if segment and loc[4] == "recent_growth_per_month":
        return "business"
    if loc in TOKEN_GROWTH:
        return "tokens"
    return None


def reference_months(loc: Loc) -> int:
    """Months in the period of a ``reference`` field's growth: 12 for a change per year."""
    return 12 if loc in TOKEN_GROWTH else 1


def resolve_references(sc: Any, problems: _Problems) -> None:
    """Give every ``reference`` leaf the reference class's growth as published before the plan's
    ``start`` (:func:`~breakeven.models.reference_growth.reference_growth`), and what it was
    made of as ``leaf.basis``."""
    from ..models.reference_growth import (
        ReferenceClassError,
        growth_persistence,
        reference_growth,
        trend_problem,
    )

    done: dict[str, tuple[Any, ...]] = {}  # a variable's class and distribution, made once
    for loc, leaf in iter_leaves(sc):
        if not leaf.reference:
            continue
        word = "reference" if leaf.trend is None else "trend"
        family = reference_family(tuple(loc))
        if family is None:
            problems.add(
                loc,
                f"{word} (from the growth of other AI products) is a value of "
                "market.consumer.recent_growth_per_month, "
                "market.business.segments[].recent_growth_per_month and "
                "streams.api.{input,output}_tokens_per_month.change_per_year only",
                leaf.raw,
            )
            continue
        months = reference_months(tuple(loc))
        key = leaf.ref
        # a variable's class is said wrong once, where the variable is declared
        where, got = (("variables", key), sc.variables[key]) if key else (loc, leaf.raw)
        if key is not None and key in done:
            first, kind = done[key][2], (family, months)
            if kind != done[key][3]:
                problems.add(
                    loc,
                    f"variable ${key} is a {word} of {done[key][3][0]} growth at {first}, of "
                    f"{family} here; use one variable per kind of growth",
                    leaf.raw,
                )
                continue
            leaf.basis, leaf.dist = done[key][:2]
            continue
        failed = (None, None, ".".join(loc), (family, months))  # said once, not at every use
        problem = None if leaf.trend is None else trend_problem(leaf.trend)
        if problem is not None:  # whatever the start
            problems.add(where, problem, got)
            if key is not None:
                done[key] = failed
            continue
        if "start" not in sc.model_fields_set:
            problems.add(
                where,
                f"{word} needs the plan's start (start: 2025-03, say): the reference class is "
                "the growth published before it",
                got,
            )
            if key is not None:
                done[key] = failed
            continue
        try:
            ref = (
                reference_growth(family, sc.start)
                if leaf.trend is None
                else growth_persistence(family, sc.start, leaf.trend)
            )
        except ReferenceClassError as e:
            problems.add(where, f"no reference class for this start: {e}", got)
            if key is not None:
                done[key] = failed
            continue
        leaf.dist = interval(*per_period(ref.low, ref.high, months), leaf.domain)
        leaf.basis = ref
        if key is not None:
            done[key] = (ref, leaf.dist, ".".join(loc), (family, months))


def references(sc: Any) -> list[tuple[str, Any, int]]:
    """(path, what it was made of — a :class:`~breakeven.models.reference_growth.ReferenceGrowth`
    or, for ``trend x``, a :class:`~breakeven.models.reference_growth.Persistence` — and the
    months of its field's period) of every resolved ``reference`` or ``trend`` leaf of a
    validated plan; a variable once, by its name (``variables.growth``)."""
    out: dict[str, tuple[str, Any, int]] = {}
    for loc, leaf in iter_leaves(sc):
        if leaf.reference:
            path = ".".join(loc) if leaf.ref is None else f"variables.{leaf.ref}"
            out.setdefault(path, (path, leaf.basis, reference_months(tuple(loc))))
    return list(out.values())


def dated_counts(sc: Any) -> list[tuple[str, Any, Any]]:
    """(path, the month it counts, the recent growth that grows it to month 0) of every
    starting count a validated plan dates before month 0 (``existing_users_as_of``, a
    segment's ``deployed_as_of``)."""
    market = getattr(sc, "market", None)
    consumer = getattr(market, "consumer", None)
    business = getattr(market, "business", None)
    out: list[tuple[str, Any, Any]] = []
    if consumer is not None and consumer.existing_users_as_of is not None:
        out.append(
            (
                "market.consumer.existing_users",
                consumer.existing_users_as_of,
                consumer.recent_growth_per_month,
            )
        )
    for i, seg in enumerate(business.segments if business is not None else []):
        if seg.deployed_as_of is not None:
            field = (
                "deployed_arr"
                if seg.deployed_arr is not None
                else "deployed_paid_seats"
                if seg.deployed_paid_seats is not None
                else "deployed_accounts"
            )
            path = f"market.business.segments.{i}.{field}"
            out.append((path, seg.deployed_as_of, seg.recent_growth_per_month))
    return out


def known_measures(blocks: list[Any]) -> set[str]:
    """What milestones and round conditions can check: KPIs, ledger lines and totals."""
    names = set(ledger.TOTALS)
    for b in blocks:
        names |= set(b.books) | set(b.records)
    return names


def check_measures(sc: Any, blocks: list[Any], problems: _Problems) -> None:
    """Measures that milestones and rounds refer to are KPIs or ledger lines of this plan."""
    known = known_measures(blocks)
    refs: list[tuple[Loc, Any]] = [
        (("milestones", str(i), "measure"), m.measure) for i, m in enumerate(sc.milestones)
    ]
    refs += [
        (("funding", "rounds", str(i), "requires", str(j), "measure"), c.measure)
        for i, r in enumerate(sc.funding.rounds)
        for j, c in enumerate(r.requires)
    ]
    for loc, name in refs:
        if name not in known:
            close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.5)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            problems.add(loc, f"not a KPI or ledger line of this plan{hint}", name)
    check_milestones(sc, problems)
    check_item_names(sc, problems)


def _named_lists(obj: Any, where: Loc = ()) -> Iterator[tuple[Loc, str, list[Any]]]:
    """Every list of the plan whose items carry a ``name`` or ``role``: (where, which, items)."""
    if not isinstance(obj, BaseModel):
        return
    for field in type(obj).model_fields:
        v = getattr(obj, field, None)
        if isinstance(v, list) and v and all(isinstance(x, BaseModel) for x in v):
            key = next(
                (k for k in ("name", "role") if isinstance(getattr(v[0], k, None), str)), None
            )
            if key is not None:
                yield (*where, field), key, v
            for i, x in enumerate(v):
                yield from _named_lists(x, (*where, field, str(i)))
        elif isinstance(v, BaseModel):
            yield from _named_lists(v, (*where, field))


def check_item_names(sc: Any, problems: _Problems) -> None:
    """The items of a list (roles, segments, funding rounds, milestones, training runs…) have
    distinct names, whatever their case and spacing: outputs, ``--vary`` and results name an
    item by its name (``company.team[research].…``, ``round_closed:<name>``), so a second item
    of a name would be reported as the first or collide with it."""
    for where, key, items in _named_lists(sc):
        first: dict[str, int] = {}
        for i, item in enumerate(items):
            name = getattr(item, key, None)
            if not isinstance(name, str):
                continue
            fold = " ".join(name.split()).casefold()
            if fold in first:
                problems.add(
                    (*where, str(i), key),
                    f"entries {first[fold] + 1} and {i + 1} have the same {key}; give each its own",
                    name,
                )
            else:
                first[fold] = i


def check_milestones(sc: Any, problems: _Problems) -> None:
    """Milestones have months within the horizon (past it nothing is simulated, so "by month
    99" would be the month-60 answer)."""
    for i, m in enumerate(sc.milestones):
        if m.month > sc.horizon_months:
            problems.add(
                ("milestones", str(i), "month"),
                f"after the plan's last month ({sc.horizon_months}): nothing is simulated there; "
                "lengthen horizon_months or choose an earlier month",
                m.month,
            )


def check_correlations(sc: Any, problems: _Problems) -> None:
    """Correlated names are uncertain inputs of this scenario, and jointly possible."""
    if not sc.correlations:
        return
    table = build_inputs(sc)
    by_path = table.by_path()
    pairs = []
    seen: dict[frozenset[str], int] = {}
    bad = False
    for i, c in enumerate(sc.correlations):
        resolved = []
        for j, ref in enumerate(c.between):
            loc = ("correlations", str(i), "between", str(j))
            name = "variables." + ref[1:] if ref.startswith("$") else ref
            if name not in by_path:
                close = difflib.get_close_matches(name, list(by_path), n=1, cutoff=0.5)
                hint = f"; did you mean '{close[0]}'?" if close else ""
                problems.add(loc, f"not an input of this scenario{hint}", ref)
                bad = True
                continue
            name = by_path[name]
            if table[name].dist.is_point:
                problems.add(loc, "a point value cannot be correlated; give it a range", ref)
                bad = True
            resolved.append(name)
        if len(resolved) == 2 and resolved[0] == resolved[1]:
            problems.add(("correlations", str(i)), "an input is correlated with itself", c.between)
            bad = True
        if len(resolved) == 2 and resolved[0] != resolved[1]:
            key = frozenset(resolved)
            if key in seen:
                problems.add(
                    ("correlations", str(i)),
                    f"these two inputs are already correlated "
                    f"at correlations.{seen[key]}; give each pair once",
                    c.between,
                )
                bad = True
            seen.setdefault(key, i)
            pairs.append((resolved[0], resolved[1], c.rank))
    if not bad:
        try:
            correlation_matrix(list(dict.fromkeys(n for a, b, _ in pairs for n in (a, b))), pairs)
        except ValueError as e:
            problems.add(("correlations",), str(e))


def check_routes(sc: Any, problems: _Problems) -> None:
    """Every ``served_by`` names a route of compute.routes (or ``default``: compute.serving)."""
    compute = getattr(sc, "compute", None)
    routes = sorted(getattr(compute, "routes", None) or {})
    for loc, name in _served_by(sc, ()):
        if name == "default" or name in routes:
            continue
        known = ", ".join(routes) if routes else "none: add compute.routes"
        close = difflib.get_close_matches(name, routes, n=1)
        hint = f"; did you mean {close[0]}?" if close else ""
        problems.add(loc, f"no route named {name!r} (routes: {known}){hint}", name)


def _served_by(obj: Any, loc: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], str]]:
    """(location, route name) of every served_by written in a plan."""
    if isinstance(obj, BaseModel):
        for name in type(obj).model_fields:
            value = getattr(obj, name)
            if name == "served_by" and isinstance(value, str):
                yield loc + (name,), value
            else:
                yield from _served_by(value, loc + (name,))
    elif isinstance(obj, list):
        for i, x in enumerate(obj):
            yield from _served_by(x, loc + (str(i),))
    elif isinstance(obj, dict):
        for k, x in obj.items():
            yield from _served_by(x, loc + (str(k),))

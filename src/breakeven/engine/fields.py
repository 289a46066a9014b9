"""The vocabulary of sections: documented fields, uncertain numbers and monthly schedules.

A block's section is a pydantic model built from these (:class:`Section`, :func:`F`, and the
field types :data:`Positive`, :data:`Fraction`, …). A field's type carries its :class:`Domain`, so
``"a to b"`` gets the right shape from the field. Each uncertain leaf is an *input*, named by its
field path (or by the ``$variable`` it refers to); :func:`breakeven.engine.inputs.build_inputs`
names and samples them, as a pure function of the scenario.
"""

from __future__ import annotations

import copy
import difflib
import inspect
import re
import types
import typing
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Annotated, Any, Protocol

import numpy as np
from numpy.typing import NDArray
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    PlainSerializer,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
)
from pydantic.config import JsonDict
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticCustomError, core_schema

from ..errors import UncertainError
from ..format import currency_codes
from ..models.distributions import Dist, Domain, parse_number, parse_uncertain
from ..models.growth import growth_path, growth_rows

_REF_RE = re.compile(r"^\$([A-Za-z_][A-Za-z0-9_]*)$")
REFERENCE = "reference"
"""The value of a growth a plan cannot state: the reference class's (scenario.checks)."""
TREND = "trend"
"""``trend 4.9%``: a growth the plan has observed, widened by how AI products' growth carried on
from one period to the next (scenario.checks)."""
_TREND_RE = re.compile(r"^\s*trend\s+(\S.*)$", re.IGNORECASE)

Loc = tuple[str, ...]
Array = NDArray[np.float64]


def F(description: str, unit: str | None = None, default: Any = ..., **kw: Any) -> Any:
    """A documented field: description and unit land in the JSON schema and the reference."""
    extra: JsonDict | None = {"unit": unit} if unit else None
    return Field(default, description=description, json_schema_extra=extra, **kw)


def _no_booleans_for_numbers(cls: type[BaseModel], value: Any, info: ValidationInfo) -> Any:
    """Section's check of every field: true/false is not a number."""
    if isinstance(value, bool) and info.field_name is not None:
        allowed = _types(cls.model_fields[info.field_name].annotation)
        if bool not in allowed and (int in allowed or float in allowed):
            raise PydanticCustomError(
                "uncertain", "expected a number, not true/false", {"got": value}
            )
    return value


# pydantic reads a field validator's signature again for each field it checks (every field of
# every section: some 300 a plan); the signature written out answers at once (1% of `validate`)
_no_booleans_for_numbers.__signature__ = inspect.signature(  # type: ignore[attr-defined]
    _no_booleans_for_numbers
)


class Section(BaseModel):
    """Base of every section model: unknown fields are errors, defaults are validated, and
    true/false is never read as a number (pydantic would read ``true`` as 1)."""

    model_config = ConfigDict(
        extra="forbid", arbitrary_types_allowed=True, validate_default=True, defer_build=True
    )

    _no_booleans_for_numbers = field_validator("*", mode="before")(
        classmethod(_no_booleans_for_numbers)
    )


def _types(annotation: Any) -> set[Any]:
    """The plain types an annotation admits (``int | None`` → {int, NoneType})."""
    args = typing.get_args(annotation)
    if typing.get_origin(annotation) is typing.Annotated:
        return _types(args[0])
    if args and typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return set().union(*(_types(a) for a in args))
    return {annotation}


@dataclass(eq=False)
class Uncertain:
    """One uncertain input: a distribution, or a reference ``$name`` to a variable (whose
    distribution the input table resolves: :func:`breakeven.engine.inputs.build_inputs`)."""

    domain: Domain
    raw: Any
    dist: Dist | None = None
    ref: str | None = None
    reference: bool = False  # ``reference`` or ``trend x``: a reference class sets it
    basis: Any = None  # what a resolved reference was made of (ReferenceGrowth, Persistence)
    trend: float | None = None  # ``trend x``: the growth observed

    @property
    def is_point(self) -> bool:
        """A fixed value written in place (a variable reference is not known to be one)."""
        return self.dist is not None and self.dist.is_point

    @property
    def median(self) -> float:
        """The median of the distribution (a variable's once the scenario is validated)."""
        if self.dist is None:
            raise ValueError(f"{self.describe()} is not resolved; validate the scenario first")
        return self.dist.median

    def describe(self) -> str:
        if self.dist is not None:
            return self.dist.describe()
        if self.trend is not None:
            return f"{TREND} {self.trend * 100:.3g}%"
        return REFERENCE if self.reference else f"${self.ref}"


class ParamLookup(Protocol):
    """Sampled values of one chunk: a leaf → its (n,) array (see :class:`engine.inputs.Params`)."""

    def __getitem__(self, leaf: Uncertain) -> Array: ...

    def is_point(self, leaf: Uncertain) -> bool: ...


def growth_keyword(value: Any) -> tuple[str, float | None] | None:
    """``("reference", None)`` for ``reference``, ``("trend", x)`` for ``trend x``, None for
    anything else (an :class:`UncertainError` for a ``trend`` without a number).

    >>> growth_keyword(" Reference "), growth_keyword("trend 4.9%"), growth_keyword("5%")
    (('reference', None), ('trend', 0.049), None)
    """
    if not isinstance(value, str):
        return None
    if value.strip().lower() == REFERENCE:
        return REFERENCE, None
    trend = _TREND_RE.match(value)
    if trend is None:
        return None
    try:
        return TREND, parse_number(trend.group(1))
    except UncertainError as e:
        raise UncertainError(
            f"trend needs the growth observed, a number such as 4.9% ({e.message})", value
        ) from None


def _uncertain_parser(domain: Domain) -> Callable[[Any], Uncertain]:
    def parse(value: Any) -> Uncertain:
        if isinstance(value, Uncertain):
            return value
        ref = _REF_RE.match(value.strip()) if isinstance(value, str) else None
        if ref:
            return Uncertain(domain, value, None, ref.group(1))
        try:
            keyword = growth_keyword(value)
        except UncertainError as e:
            raise PydanticCustomError("uncertain", e.message, {"got": e.got}) from None
        if keyword is not None:
            return Uncertain(domain, value, None, reference=True, trend=keyword[1])
        try:
            return Uncertain(domain, value, parse_uncertain(value, domain))
        except UncertainError as e:
            raise PydanticCustomError("uncertain", e.message, {"got": e.got}) from None

    return parse


_DOMAIN_DOC = {
    Domain.POSITIVE: "a positive number, or 'a to b' (90% interval, lognormal), or {dist: ...}",
    Domain.NONNEGATIVE: "a number >= 0, or 'a to b' (90% interval, lognormal), or {dist: ...}",
    Domain.REAL: "a number, or 'a to b' (90% interval, normal), or {dist: ...}",
    Domain.RATE: "a change above -100%, e.g. -20%, or 'a to b' (90% interval, lognormal on 1+x)",
    Domain.FRACTION: "a fraction 0..1 or percentage, or 'a to b' (90% interval, logit-normal)",
    Domain.COUNT: "a count >= 0, or 'a to b' (90% interval, lognormal), or {dist: ...}",
}


class _Parsed:
    """The field type's annotation of an uncertain number or a schedule: the value is made by
    ``parse`` (which raises the plan's error messages), held as is, written back as it was read
    (``raw``), with a JSON schema of its own (whose ``x-domain`` the reference reads).

    One core schema serves every field of a kind. pydantic would otherwise resolve a
    ``BeforeValidator``, a ``PlainSerializer`` and a ``WithJsonSchema`` again for each of the
    plan's few hundred fields, inspecting their functions' signatures every time: about 10 ms of
    every ``validate``."""

    def __init__(self, cls: type, parse: Callable[[Any], Any], json_schema: JsonDict) -> None:
        self.json_schema = json_schema
        self._core = core_schema.no_info_before_validator_function(
            parse,
            # a ref, as a dataclass's schema has: the JSON schema gives the field no title
            core_schema.is_instance_schema(cls, ref=f"{cls.__module__}.{cls.__qualname__}"),
            serialization=core_schema.plain_serializer_function_ser_schema(_raw),
        )

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return copy.deepcopy(self._core)  # pydantic may annotate the schema it is given

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return dict(self.json_schema)


def _raw(value: Uncertain | Schedule) -> Any:
    return value.raw


def _leaf(domain: Domain) -> Any:
    """The field type of an uncertain number of ``domain`` (a type form built at run time)."""
    return Annotated[
        Uncertain,
        _Parsed(
            Uncertain,
            _uncertain_parser(domain),
            {
                "type": ["number", "string", "object"],
                "x-domain": domain.value,
                "description": _DOMAIN_DOC[domain],
            },
        ),
    ]


Positive = _leaf(Domain.POSITIVE)
NonNegative = _leaf(Domain.NONNEGATIVE)
Real = _leaf(Domain.REAL)
Rate = _leaf(Domain.RATE)
Fraction = _leaf(Domain.FRACTION)


def _number(value: Any) -> float:
    try:
        return parse_number(value)
    except UncertainError as e:
        raise PydanticCustomError("uncertain", e.message, {"got": e.got}) from None


COMMON_CURRENCIES = (
    "CNY",
    "USD",
    "EUR",
    "JPY",
    "GBP",
    "HKD",
    "KRW",
    "INR",
    "SGD",
    "TWD",
    "AUD",
    "CAD",
    "CHF",
)


def _currency(value: Any) -> str:
    if not isinstance(value, str):
        raise PydanticCustomError(
            "uncertain", "expected a currency code such as CNY or USD", {"got": value}
        )
    code = value.strip().upper()
    if code == "RMB":
        return "CNY"
    if code in COMMON_CURRENCIES:  # without reading CLDR's list (5 ms of a `validate`)
        return code
    known = currency_codes()
    if code not in known:
        close = difflib.get_close_matches(code, COMMON_CURRENCIES, n=1, cutoff=0.5)
        close = close or difflib.get_close_matches(code, sorted(known), n=1, cutoff=0.6)
        hint = f"; did you mean {close[0]}?" if close else " such as CNY, USD or EUR"
        raise PydanticCustomError(
            "uncertain", f"not an ISO 4217 currency code{hint}", {"got": value}
        )
    return code


Currency = Annotated[
    str,
    BeforeValidator(_currency),
    WithJsonSchema({"type": "string", "description": "an ISO 4217 currency code: CNY, USD…"}),
]
"""An ISO 4217 currency code, upper-cased (RMB is read as CNY)."""

_MONTH_RE = re.compile(r"^\s*(\d{4})-(\d{1,2})(?:-(\d{1,2}))?\s*$")


def _calendar_month(value: Any) -> date:
    """2025-03, 2025-03-01 or a date of a month's first day → the first day of that month. A
    date with any other day (2025-03-15) is an error, not read as its month: the plan runs in
    whole months, and which month a mid-month date stands for is the writer's choice."""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        if value.day == 1:
            return value
        raise _a_day(value.year, value.month, f"{value:%Y-%m-%d}")
    m = _MONTH_RE.match(value) if isinstance(value, str) else None
    if m:
        year, month = int(m.group(1)), int(m.group(2))
        try:
            day = date(year, month, int(m.group(3) or 1)).day
        except ValueError:
            pass
        else:
            if day == 1:
                return date(year, month, 1)
            raise _a_day(year, month, value)
    raise PydanticCustomError(
        "uncertain", "expected a calendar month such as 2025-03", {"got": value}
    )


def _a_day(year: int, month: int, got: str) -> PydanticCustomError:
    """The error for a date with a day other than the first, where a month is wanted."""
    return PydanticCustomError(
        "uncertain",
        f"expected a calendar month such as {year:04d}-{month:02d}, not a day: plans run in "
        "whole months (the first of a month is read as that month)",
        {"got": got},
    )


CalendarMonth = Annotated[
    date,
    BeforeValidator(_calendar_month),
    PlainSerializer(lambda d: f"{d.year:04d}-{d.month:02d}"),
    WithJsonSchema({"type": "string", "description": "a calendar month such as 2025-03"}),
]
"""A calendar month, written 2025-03 (or as its first day, 2025-03-01; another day is an error):
held as its first day."""


Number = Annotated[
    float,
    BeforeValidator(_number),
    WithJsonSchema(
        {"type": ["number", "string"], "description": "a number such as 5M, 2亿 or 30%"}
    ),
]
"""A plain (certain) number that accepts 1.5M, 2亿, 30%: for targets and thresholds."""


# ------------------------------------------------------------------ schedules


@dataclass(eq=False)
class Schedule:
    """A value per month: constant, steps ``{0: 49, 12: 39}``, or ``{start: 49, change_per_year: -20%}``.

    Months are numbered from 1; a step key k means "from month k on" (0 is the start, same as 1).
    A growth schedule compounds monthly: value(t) = start * (1 + change_per_year) ** ((t - 1) / 12).
    """

    domain: Domain
    raw: Any
    constant: Uncertain | None = None
    steps: list[tuple[int, Uncertain]] = field(default_factory=list)
    start: Uncertain | None = None
    change_per_year: Uncertain | None = None

    def leaves(self) -> list[tuple[str, Uncertain]]:
        """(relative path, leaf) pairs, for naming and sampling."""
        if self.constant is not None:
            return [("", self.constant)]
        if self.steps:
            return [(str(k), u) for k, u in self.steps]
        start, change = self._growth()
        return [("start", start), ("change_per_year", change)]

    def _growth(self) -> tuple[Uncertain, Uncertain]:
        """The start and change per year of a growth schedule (neither steps nor a constant)."""
        assert self.start is not None and self.change_per_year is not None
        return self.start, self.change_per_year

    def monthly(self, params: ParamLookup, months: int) -> Array:
        """Array (months, n): the value in each month 1..months for each sample.

        When every leaf is a point value the result is a read-only broadcast view of one column
        (no memory per sample); otherwise a full array.
        """
        if self.constant is not None:
            v = params[self.constant]
            return np.broadcast_to(v, (months, v.shape[0]))
        leaves = [leaf for _, leaf in self.leaves()]
        n = params[leaves[0]].shape[0]
        if all(params.is_point(leaf) for leaf in leaves):
            one = _OneSample(params)
            return np.broadcast_to(self._values(one, months), (months, n))
        return self._values(params, months)

    def rows(self, params: ParamLookup, months: int) -> Iterator[Array]:
        """The rows of :meth:`monthly` one month at a time (the same numbers), without the
        (months, n) array: for a block that reads its schedule month by month. Each row is
        (n,), and may be shared with other months or with the inputs: read it, do not write
        to it."""
        if self.constant is not None or self.steps:
            table = self.monthly(params, months) if self.constant is not None else None
            for t in range(months):
                yield table[t] if table is not None else self._step_at(params, t + 1)
            return
        leaves = [leaf for _, leaf in self.leaves()]
        if all(params.is_point(leaf) for leaf in leaves):
            yield from self.monthly(params, months)  # a view of one column: no memory
            return
        start, change = self._growth()
        for g in growth_rows(params[change], months):
            yield g * params[start]

    def _step_at(self, params: ParamLookup, month: int) -> Array:
        """A step schedule's value in ``month`` (from 1): the last step starting by then."""
        u = self.steps[0][1]
        for k, leaf in self.steps:
            if max(k, 1) <= month:
                u = leaf
        return np.asarray(params[u], dtype=float)

    def _values(self, params: ParamLookup, months: int) -> Array:
        if self.steps:
            first = params[self.steps[0][1]]
            out = np.empty((months, first.shape[0]))
            keys = [max(k, 1) for k, _ in self.steps] + [months + 1]
            for (_, u), k0, k1 in zip(self.steps, keys[:-1], keys[1:], strict=True):
                if k0 <= months:
                    out[k0 - 1 : min(k1, months + 1) - 1] = params[u]
            return out
        start, change = self._growth()
        path = growth_path(params[change], months)
        path *= params[start]  # start × growth, in place (the product is the same either way)
        return path

    def describe(self) -> str:
        if self.constant is not None:
            return self.constant.describe()
        if self.steps:
            return "; ".join(f"from month {max(k, 1)}: {u.describe()}" for k, u in self.steps)
        start, change = self._growth()
        return f"{start.describe()}, changing {change.describe()} per year"


class _OneSample:
    """Params of the first sample only: for schedules whose leaves are all point values."""

    def __init__(self, params: ParamLookup):
        self.params = params

    def __getitem__(self, leaf: Uncertain) -> Array:
        return self.params[leaf][:1]

    def is_point(self, leaf: Uncertain) -> bool:
        return True


def _schedule_parser(domain: Domain) -> Callable[[Any], Schedule]:
    leaf = _uncertain_parser(domain)
    rate = _uncertain_parser(Domain.RATE)

    def parse(value: Any) -> Schedule:
        if isinstance(value, Schedule):
            return value
        if isinstance(value, dict) and "dist" not in value:
            keys = set(value)
            if keys & {"start", "change_per_year"}:
                extra = keys - {"start", "change_per_year"}
                if extra or keys != {"start", "change_per_year"}:
                    raise PydanticCustomError(
                        "schedule",
                        "a growth schedule needs exactly start and change_per_year",
                        {"got": value},
                    )
                return Schedule(
                    domain,
                    value,
                    start=leaf(value["start"]),
                    change_per_year=rate(value["change_per_year"]),
                )
            if not value:
                raise PydanticCustomError(
                    "schedule", "a schedule needs at least one month", {"got": value}
                )
            steps = []
            for k, v in value.items():
                try:
                    month = int(parse_number(k))
                    if month != parse_number(k) or month < 0:
                        raise UncertainError("", k)
                except UncertainError:
                    raise PydanticCustomError(
                        "schedule",
                        "schedule keys are month numbers (0 or 1 = start), or use "
                        "{start, change_per_year}",
                        {"got": k},
                    ) from None
                steps.append((month, leaf(v)))
            steps.sort(key=lambda kv: kv[0])
            if steps[0][0] > 1:
                raise PydanticCustomError(
                    "schedule",
                    "a step schedule must say its value from the start (key 0 or 1)",
                    {"got": value},
                )
            if len({max(k, 1) for k, _ in steps}) != len(steps):
                raise PydanticCustomError(
                    "schedule", "keys 0 and 1 both mean the first month", {"got": value}
                )
            return Schedule(domain, value, steps=steps)
        return Schedule(domain, value, constant=leaf(value))

    return parse


def _sched(domain: Domain) -> Any:
    """The field type of a monthly schedule of ``domain`` (a type form built at run time)."""
    return Annotated[
        Schedule,
        _Parsed(
            Schedule,
            _schedule_parser(domain),
            {
                "type": ["number", "string", "object"],
                "x-domain": domain.value,
                "x-schedule": True,
                "description": _DOMAIN_DOC[domain] + "; or per month {0: a, 12: b}, or "
                "{start: a, change_per_year: r}",
            },
        ),
    ]


PositiveSchedule = _sched(Domain.POSITIVE)
NonNegativeSchedule = _sched(Domain.NONNEGATIVE)
FractionSchedule = _sched(Domain.FRACTION)


def _inputs(obj: Any, loc: Loc) -> Iterator[tuple[Loc, Uncertain | Schedule]]:
    """(loc, value) for every uncertain leaf and every schedule in a validated model, in field
    order; the top-level ``variables`` mapping is not a place where inputs are used."""
    if isinstance(obj, Uncertain | Schedule):
        yield loc, obj
    elif isinstance(obj, BaseModel):
        for name in type(obj).model_fields:
            if name == "variables" and not loc:
                continue
            yield from _inputs(getattr(obj, name), loc + (name,))
    elif isinstance(obj, list):
        for i, x in enumerate(obj):
            yield from _inputs(x, loc + (str(i),))
    elif isinstance(obj, dict):
        for k, x in obj.items():
            yield from _inputs(x, loc + (str(k),))


def iter_leaves(obj: Any, loc: Loc = ()) -> Iterator[tuple[Loc, Uncertain]]:
    """(loc, leaf) for every uncertain leaf in a validated model, schedules expanded, in field
    order; the top-level ``variables`` mapping is not a place where inputs are used."""
    for where, x in _inputs(obj, loc):
        if isinstance(x, Schedule):
            for rel, leaf in x.leaves():
                yield (where + (rel,) if rel else where), leaf
        else:
            yield where, x


def iter_schedules(obj: Any, loc: Loc = ()) -> Iterator[tuple[Loc, Schedule]]:
    """(loc, schedule) for every schedule in a validated model, in field order."""
    for where, x in _inputs(obj, loc):
        if isinstance(x, Schedule):
            yield where, x

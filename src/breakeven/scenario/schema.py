"""The scenario schema: one pydantic model, assembled from the blocks' sections.

Every block declares where its section sits (``streams.subscription``) and its model; this module
puts them together under the plan's own fields (name, currency, horizon, variables, milestones…)
and the groups that outline the document (:data:`GROUPS`). Adding a block adds its section here
without editing anything. Validating a scenario also resolves its ``$variables``, checks
correlations, the blocks' data flow, catalog names and exchange rates
(:mod:`breakeven.scenario.checks`), so a :class:`Scenario` made in Python is as complete as one
loaded from YAML.
"""

from __future__ import annotations

import re
import typing
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any, ClassVar

from pydantic import (
    AfterValidator,
    AliasChoices,
    BaseModel,
    Field,
    PrivateAttr,
    ValidationInfo,
    create_model,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from .. import blocks as blocks_package
from ..engine import (
    CalendarMonth,
    Currency,
    F,
    Fraction,
    Number,
    Positive,
    Section,
    build_inputs,
    discover,
)
from ..engine.block import Block
from ..engine.order import BlockSet
from .checks import check_scenario


@dataclass(frozen=True)
class Group:
    """A container of sections in the document's outline."""

    doc: str
    optional: bool = False  # absent (None) unless written, instead of always present
    one_of: bool = False  # exactly one of its sections must be given
    named_copies_of: str | None = None  # a mapping: name → an outline of that group


# The outline of a plan: the groups that hold the blocks' sections, in document order. A block
# whose section sits elsewhere adds its own place (``company``, ``funding``, ``buyer``).
GROUPS: dict[str, Group] = {
    "market": Group("Who uses the product and how much."),
    "streams": Group("How the product earns."),
    "compute": Group("What serving and training cost."),
    "compute.serving": Group(
        "How requests are served and what they cost.", optional=True, one_of=True
    ),
    "compute.routes": Group(
        "Named serving modes besides compute.serving, each one of its modes: a tier or stream "
        "with `served_by: <name>` is served there (free users on a small model, subscribers or "
        "API customers on a frontier one).",
        optional=True,
        named_copies_of="compute.serving",
    ),
}

ROUTE_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,39}$")
"""A route's name: a letter, then letters, digits, _ or - (it names KPIs: requests@<name>)."""


def _route_name(name: str) -> str:
    if not ROUTE_NAME.match(name) or name == "default":
        raise PydanticCustomError(
            "uncertain",
            "a route's name is a letter, then up to 39 letters, digits, _ or - (and not "
            "default, which is compute.serving)",
            {"got": name},
        )
    return name


RouteName = Annotated[str, AfterValidator(_route_name)]


class OneOf(Section):
    """A group of alternatives: exactly one must be given."""

    @model_validator(mode="after")
    def _exactly_one(self) -> OneOf:
        names = list(type(self).model_fields)
        if sum(getattr(self, k) is not None for k in names) != 1:
            raise ValueError(f"choose exactly one of: {', '.join(names)}")
        return self


class Milestone(Section):
    """A target to hit by a month; its probability is reported."""

    name: str = F("Label, e.g. 10M MAU; each milestone its own.")
    month: int = F(
        "Month by which it must be reached (in that month or any earlier one), at most "
        "horizon_months.",
        "month",
        ge=1,
    )
    measure: str = F("KPI or ledger line, as for round conditions.")
    at_least: Number = F("Level to reach.", "units of the measure")


class Correlation(Section):
    """A rank correlation between two uncertain inputs (Gaussian copula)."""

    between: list[str] = F(
        "The two inputs, by path (e.g. streams.subscription.conversion) or as $variable.",
        min_length=2,
        max_length=2,
    )
    rank: float = F(
        "Spearman rank correlation, -1 to 1 (e.g. -0.5: when conversion is high, "
        "churn tends to be low).",
        ge=-0.99,
        le=0.99,
    )


class ScenarioBase(Section):
    """A business plan under uncertainty: everything breakeven needs to simulate it."""

    blockset: ClassVar[BlockSet]
    _source: str = PrivateAttr("<scenario>")

    name: str = F("Name of the plan, shown in reports.")
    description: str = F("What the plan is and where its numbers come from.", default="")
    currency: Currency = F("Currency of every money amount in the file.", "ISO 4217", default="CNY")
    fx: dict[Currency, Positive] = F(
        "Exchange rates: units of `currency` per one unit of each other currency, e.g. "
        "{USD: 7.1 to 7.3}. Used to convert catalog and per-token prices.",
        "currency/unit",
        default_factory=dict,
    )
    horizon_months: int = F("Months simulated.", "months", default=60, ge=1, le=240)
    start: CalendarMonth = F(
        "Calendar month of month 1, e.g. 2025-03 (also read as `start_date`): every output "
        "names real months, and dated catalog prices are replayed from it.",
        "month",
        default=date(2025, 1, 1),
        validation_alias=AliasChoices("start", "start_date"),
    )
    samples: int = F(
        "Monte Carlo samples (outcomes) drawn.", "samples", default=10_000, ge=1, le=10_000_000
    )
    seed: int = F("Random seed; same scenario and seed give identical results.", default=0, ge=0)
    discount_rate_per_year: Fraction = F("Annual discount rate for NPV.", "1/year", default=0.12)
    variables: dict[str, Any] = F(
        "Named inputs referenced as `$name` from any field; drawn once per sample, so every use "
        "sees the same value. Their shape comes from the fields that use them.",
        default_factory=dict,
    )
    correlations: list[Correlation] = F(
        "Rank correlations between uncertain inputs.", default_factory=list
    )
    if TYPE_CHECKING:  # a field of every Scenario, added last by assemble() (after the sections)
        milestones: list[Milestone]

    @field_validator("variables")
    @classmethod
    def _vars(cls, v: dict[str, Any]) -> dict[str, Any]:
        for k in v:
            if not re.match(r"^[A-Za-z_][A-Za-z0-9_]*$", str(k)):
                raise ValueError(f"variable names are letters, digits and _, got {k!r}")
        return v

    @model_validator(mode="after")
    def _check(self, info: ValidationInfo) -> ScenarioBase:
        ctx = info.context or {}
        check_scenario(self, str(ctx.get("file", "<scenario>")), ctx.get("lines") or {})
        if "file" in ctx:
            self._source = str(ctx["file"])
        return self

    # ---------------------------------------------------------------- the engine's view
    def build_blocks(self) -> list[Block]:
        """The blocks this plan needs, in discovery order (the engine orders them)."""
        out: list[Block] = []
        for cls in self.blockset.classes:
            out.extend(cls.from_scenario(self))
        return out

    def correlation_pairs(self) -> list[tuple[str, str, float]]:
        """(input name, input name, rank) for each declared correlation, names resolved."""
        if not self.correlations:
            return []
        table = build_inputs(self)
        return [
            (table.resolve(c.between[0]), table.resolve(c.between[1]), c.rank)
            for c in self.correlations
        ]

    @property
    def source(self) -> str:
        """The file the plan was loaded from, or ``<scenario>``."""
        return self._source


# ---------------------------------------------------------------------------- assembly


def _doc(model: Any) -> str:
    """First line of a section model's docstring (of the item model, for a list)."""
    args = typing.get_args(model)
    target = args[0] if args else model
    return ((getattr(target, "__doc__", None) or "").strip().splitlines() or [""])[0]


def _model_name(path: str) -> str:
    return "".join(p.title().replace("_", "") for p in path.split("."))


def assemble(blockset: BlockSet) -> type[ScenarioBase]:
    """The Scenario model: the plan's fields, the outline's groups, every block's section."""
    sections: dict[str, type[Block]] = {}
    for cls in blockset.classes:
        if cls.schema is not None and cls.section:
            if cls.section in sections:
                raise TypeError(
                    f"{cls.__name__} and {sections[cls.section].__name__} both "
                    f"declare section {cls.section}"
                )
            sections[cls.section] = cls
    paths = list(GROUPS) + [p for p in sections if p not in GROUPS]
    children: dict[str, list[str]] = {}
    for path in paths:
        parts = path.split(".")
        for k in range(1, len(parts)):  # implicit groups for undeclared parents
            parent = ".".join(parts[:k])
            if parent not in GROUPS and parent not in sections and parent not in children:
                children.setdefault(parent, [])
        parent = ".".join(parts[:-1])
        siblings = children.setdefault(parent, [])
        if path not in siblings:
            siblings.append(path)

    built: dict[str, Any] = {}  # the outline model made for each group, by path

    def field_for(path: str) -> tuple[Any, Any]:
        # create_model's field definitions: name → (type, FieldInfo); Any, as the types are made
        # at run time and a typed dict could not be spread over create_model's keywords
        kids: dict[str, Any] = {p.rsplit(".", 1)[-1]: field_for(p) for p in children.get(path, [])}
        if path in sections:
            cls = sections[path]
            model: Any = cls.schema
            doc = _doc(model)
            if kids:
                model = create_model(model.__name__, __base__=model, __doc__=model.__doc__, **kids)
            if typing.get_origin(model) is list:
                return model, Field(default_factory=list, description=doc)
            if cls.always:
                return model, Field(default_factory=model, description=doc)
            return model | None, Field(None, description=doc)
        group = GROUPS.get(path, Group(""))
        if group.named_copies_of is not None:
            of = built[group.named_copies_of]
            routes = dict[RouteName, of]  # type: ignore[valid-type]
            return routes | None, Field(None, description=group.doc)
        base = OneOf if group.one_of else Section
        outline = create_model(_model_name(path), __base__=base, __doc__=group.doc, **kids)
        built[path] = outline
        if group.optional:
            return outline | None, Field(None, description=group.doc)
        return outline, Field(default_factory=outline, description=group.doc)

    top: dict[str, Any] = {p.rsplit(".", 1)[-1]: field_for(p) for p in children.get("", [])}
    top["milestones"] = (
        list[Milestone],
        F("Targets whose probability of being hit is reported.", default_factory=list),
    )
    model = create_model("Scenario", __base__=ScenarioBase, **top)
    model.__doc__ = ScenarioBase.__doc__
    model.blockset = blockset
    return model


BLOCKS = discover(blocks_package)
Scenario = assemble(BLOCKS)


def model_at(loc: tuple[str, ...]) -> type[BaseModel] | None:
    """The section model found by walking ``loc`` from Scenario (for 'did you mean' hints)."""
    current: Any = Scenario
    for part in loc:
        model = _as_model(current)
        if model is None:
            return None
        if part in model.model_fields:
            current = model.model_fields[part].annotation
        # a list index or a dict key: stay on the element model
    return _as_model(current)


def _as_model(t: Any) -> type[BaseModel] | None:
    if isinstance(t, type) and issubclass(t, BaseModel):
        return t
    for a in typing.get_args(t):
        m = _as_model(a)
        if m is not None:
            return m
    return None

"""Conversation scenarios: the YAML format, its models, and a loader whose errors say where.

A scenario file holds `scenarios:`, a list. Each scenario names a business file, plays steps
(the customer says, taps or sends something; the owner answers an approval; the service
restarts; a message is delivered twice) and ends with expectations: the final database state
first, then what the replies must and must not say. See the README's "Conversation evals".
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, model_validator

from whsp_ai.demo import DEMO_DIR
from whsp_ai.nlu.models import Intent

SCENARIO_DIR = Path(__file__).parent / "scenarios"

# Message types WhatsApp delivers that the engine does not read (CONTRACT §4).
OtherType = Literal[
    "image",
    "audio",
    "voice",
    "video",
    "document",
    "sticker",
    "location",
    "contacts",
    "order",
    "reaction",
    "unknown",
]
ACTIONS = ("say", "tap", "send", "owner", "restart", "resend")


def _as_list(value: Any) -> Any:
    """A single pattern may be written without brackets."""
    return [value] if isinstance(value, str) else value


Patterns = Annotated[list[str], BeforeValidator(_as_list)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class OwnerStep(_Strict):
    """The owner answers an approval: through the management API, or on WhatsApp (a tap;
    for a question, a quote-reply to its notice). A product gets a `decision`, a question
    an `answer`."""

    decision: Literal["confirm", "reject"] | None = None
    answer: str | None = Field(default=None, description="the owner's answer to a question")
    save_to_faq: bool = True
    approval: str | None = Field(
        default=None,
        description="which pending approval: a sku, or words of what was asked; default the newest",
    )
    price: Decimal | None = Field(default=None, ge=0)
    stock: int | None = Field(default=None, ge=0)
    name: str | None = None
    via: Literal["api", "whatsapp"] = "api"
    status: int | None = Field(
        default=None, description="the HTTP status the API must answer (default: 200)"
    )

    @model_validator(mode="after")
    def _decision_or_answer(self) -> OwnerStep:
        if (self.decision is None) == (self.answer is None):
            raise ValueError("an owner step needs a decision (a product) or an answer (a question)")
        return self


class Step(_Strict):
    """One thing that happens. Exactly one action: say, tap, send, owner, restart or resend."""

    say: str | None = None
    tap: str | None = Field(default=None, description="a button or list row, by title (or id)")
    send: OtherType | None = None
    owner: OwnerStep | None = None
    restart: bool = False
    resend: bool = Field(default=False, description="deliver the last message again, same id")
    as_: str = Field(default="customer", alias="as", description="which customer speaks")
    to: str | None = Field(default=None, description="another business's slug (default: main)")
    intent: Intent | None = Field(default=None, description="label for router accuracy")
    reply: Patterns = Field(default_factory=list, description="each must match this turn's replies")
    forbid: Patterns = Field(default_factory=list, description="none may match this turn's replies")
    silent: bool = Field(default=False, description="this step must produce no reply")
    observed: list[str] = Field(default_factory=list, description="captured replies, for review")

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, value: Any) -> Any:
        if value in ("restart", "resend"):
            return {value: True}
        return value

    @model_validator(mode="after")
    def _one_action(self) -> Step:
        chosen = [a for a in ACTIONS if getattr(self, a) not in (None, False)]
        if len(chosen) != 1:
            found = ", ".join(chosen) or "none"
            raise ValueError(f"a step needs exactly one of {', '.join(ACTIONS)} (found: {found})")
        if self.restart and (self.reply or self.forbid or self.silent):
            raise ValueError("a restart sends no message, so it has no replies to check")
        if self.intent and self.action not in ("say", "tap"):
            raise ValueError("only a customer's text or tap has an intent to label")
        return self

    @property
    def action(self) -> str:
        return next(a for a in ACTIONS if getattr(self, a) not in (None, False))

    @property
    def is_customer_message(self) -> bool:
        return self.action in ("say", "tap", "send", "resend")


class ItemExpect(_Strict):
    quantity: int = Field(ge=1)
    unit_price: Decimal | None = None


class OrderExpect(_Strict):
    customer: str = "customer"
    items: dict[str, int | ItemExpect]
    subtotal: Decimal | None = None
    delivery_fee: Decimal | None = None
    total: Decimal | None = None
    address: str | None = Field(default=None, description="a pattern the address must match")
    payment: str | None = None
    status: str | None = None


class ApprovalExpect(_Strict):
    kind: Literal["unconfirmed_product", "new_product", "question"]
    status: Literal["pending", "confirmed", "rejected", "answered"]
    customers: int | None = Field(default=None, description="how many customers wait on it")
    sku: str | None = None
    query: str | None = Field(default=None, description="a pattern the asked words must match")


class ProductExpect(_Strict):
    price: Decimal | None = None
    stock: int | None = None
    status: Literal["confirmed", "unconfirmed", "rejected"] | None = None
    name: str | None = None


class Expect(_Strict):
    """The final state of one business (None: not checked), then reply checks."""

    cart: dict[str, int] | None = None
    carts: dict[str, dict[str, int]] = Field(
        default_factory=dict, description="other customers' carts, by their `as` name"
    )
    orders: list[OrderExpect] | None = None
    approvals: list[ApprovalExpect] | None = None
    products: dict[str, ProductExpect] = Field(default_factory=dict)
    owner_notified: int | None = Field(default=None, description="messages queued to the owner")
    handed_off: bool | None = Field(
        default=None, description="whether the customer's conversation is handed to a person"
    )
    reply: Patterns = Field(default_factory=list, description="each must match some reply")
    forbid: Patterns = Field(default_factory=list, description="none may match any reply")


class Scenario(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    business: str = Field(description="a demo business slug, or a business file path")
    also: list[str] = Field(default_factory=list, description="other businesses imported too")
    title: str = ""
    tags: list[str] = Field(default_factory=list)
    draft: bool = Field(default=False, description="captured, not reviewed yet")
    steps: list[Step] = Field(min_length=1)
    expect: Expect = Field(default_factory=Expect)
    expect_also: dict[str, Expect] = Field(default_factory=dict)
    # Where it came from, for messages (set by the loader).
    source: str = Field(default="", exclude=True)

    @model_validator(mode="after")
    def _known_businesses(self) -> Scenario:
        known = {self.business, *self.also}
        for i, step in enumerate(self.steps, 1):
            if step.to is not None and step.to not in known:
                raise ValueError(f"step {i} talks to {step.to!r}, which is not in business/also")
        for slug in self.expect_also:
            if slug not in known:
                raise ValueError(f"expect_also names {slug!r}, which is not in business/also")
        return self


class ScenarioFile(_Strict):
    scenarios: list[Scenario] = Field(min_length=1)


class _Loader(yaml.SafeLoader):
    """YAML where only true/false are booleans: customers say yes, no and ok."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


class ScenarioError(ValueError):
    """A scenario file that can't be used; the message names the file, line and field."""


def business_path(name: str, relative_to: Path | None = None) -> Path:
    """A demo slug (`ferreteria-don-pepe`) or a business file path."""
    demo = DEMO_DIR / f"{name}.yaml"
    if "/" not in name and not name.endswith((".yaml", ".yml", ".json")) and demo.exists():
        return demo
    path = Path(name)
    if not path.is_absolute() and relative_to is not None:
        path = relative_to / path
    return path


def load_file(path: Path) -> list[Scenario]:
    text = path.read_text(encoding="utf-8")
    try:
        root = yaml.compose(text, Loader=_Loader)
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        problem = getattr(exc, "problem", None) or str(exc)
        raise ScenarioError(f"{where}: invalid YAML: {problem}") from None
    try:
        parsed = ScenarioFile.model_validate(data)
    except ValidationError as exc:
        problems = [_located(path, root, data, error) for error in exc.errors()[:10]]
        raise ScenarioError(
            f"{path}: invalid scenario file ({exc.error_count()} problem(s)):\n"
            + "\n".join(f"  - {p}" for p in problems)
        ) from None
    for scenario in parsed.scenarios:
        scenario.source = str(path)
        for name in (scenario.business, *scenario.also):
            if not business_path(name, path.parent).exists():
                raise ScenarioError(
                    f"{path}: scenario {scenario.id!r}: no business file {name!r} (a demo slug "
                    f"such as ferreteria-don-pepe, or a path)"
                )
    return parsed.scenarios


def load_scenarios(paths: list[Path] | None = None) -> list[Scenario]:
    """Every scenario in the given files or directories (default: the bundled set)."""
    files: list[Path] = []
    for path in paths or [SCENARIO_DIR]:
        files += sorted(path.glob("*.yaml")) if path.is_dir() else [path]
    scenarios: list[Scenario] = []
    seen: dict[str, str] = {}
    for file in files:
        for scenario in load_file(file):
            if scenario.id in seen:
                raise ScenarioError(
                    f"{file}: scenario id {scenario.id!r} is also used in {seen[scenario.id]}"
                )
            seen[scenario.id] = str(file)
            scenarios.append(scenario)
    return scenarios


def select(scenarios: list[Scenario], pattern: str | None) -> list[Scenario]:
    """`--only`: ids, tags or titles matching a regular expression (case-insensitive)."""
    if not pattern:
        return scenarios
    rx = re.compile(pattern, re.IGNORECASE)
    return [
        s
        for s in scenarios
        if rx.search(s.id) or rx.search(s.title) or any(rx.fullmatch(t) for t in s.tags)
    ]


def _located(path: Path, root: yaml.Node | None, data: Any, error: Any) -> str:
    """'line 12, scenario #3 (es-foo), step 2, field say: message'."""
    loc = [p for p in error["loc"] if not (isinstance(p, str) and p.startswith("function-"))]
    node, line = root, None
    parts: list[str] = []
    value: Any = data
    for i, key in enumerate(loc):
        node = _child(node, key)
        if node is not None:
            line = node.start_mark.line + 1
        if isinstance(value, dict):
            value = value.get(key) if isinstance(key, str) else None
        elif isinstance(value, list) and isinstance(key, int) and key < len(value):
            value = value[key]
        else:
            value = None
        previous = loc[i - 1] if i else None
        if isinstance(key, int) and previous == "scenarios":
            sid = value.get("id") if isinstance(value, dict) else None
            parts.append(f"scenario #{key + 1}" + (f" ({sid})" if sid else ""))
        elif isinstance(key, int) and previous == "steps":
            parts.append(f"step {key + 1}")
        elif isinstance(key, str) and key not in ("scenarios", "steps"):
            parts.append(f"field {key!r}")
    where = f"line {line}: " if line else ""
    return f"{where}{', '.join(parts) or 'file'}: {error['msg']}"


def _child(node: yaml.Node | None, key: Any) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if isinstance(k, yaml.ScalarNode) and k.value == key:
                found: yaml.Node = v
                return found
        return None
    if isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
        item: yaml.Node = node.value[key]
        return item
    return None

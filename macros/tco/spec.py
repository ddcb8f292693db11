"""The calculator's inputs, limits, labels and result columns, defined once.

The form is rendered from :data:`INPUTS` and :data:`OVERRIDES` (labels,
hints, limits); the page embeds :func:`widget_spec` as JSON and the script
(``docs/assets/javascripts/tco.js``) validates, labels and formats with it.
Limits are read from the :class:`~macros.tco.model.Scenario` schema itself,
so the model, the form's hints and the script's checks cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

from macros.tco import text
from macros.tco.model import (
    BISECTION_STEPS,
    OVERRIDE_LIMITS,
    SENSITIVITY,
    SENSITIVITY_FACTORS,
    VOLUME_RANGE,
    Scenario,
)

DAYS_PER_MONTH = 30
"""Transactions counted per day are multiplied by this to give a month."""

PER_OPTIONS = ("month", "day", "task")
"""How the volume field is read: transactions a month, a day, or tasks a month
(the vendor's unit, divided by the action steps per transaction)."""

RESULT_COLUMNS = (
    "Approach",
    "Build and one-off",
    "Licence / yr",
    "Usage / yr",
    "Run and maintain / yr",
    "Infra / yr",
    "Total ({n} yr)",
    "Low – high",
    "Per unit",
    "Notes",
)
"""Columns of the results table, on the page and in the calculator."""

RESULTS_CAPTION = "Results over {years}, cheapest first (USD)"
"""Caption of the calculator's live results table."""


def _limit_text(value: float) -> str:
    """A limit as the hint shows it: powers of ten from 1e7 up as ``1e9``, others grouped."""
    if value >= 1e7 and float(value).is_integer():
        exponent = len(str(int(value))) - 1
        if value == 10**exponent:
            return f"1e{exponent}"
    return text.whole(value) if float(value).is_integer() else f"{value:g}"


@dataclass(frozen=True)
class InputField:
    """One number of the form's "Workload and money" group.

    Attributes:
        name: Form and URL name (``tx``).
        key: The :class:`~macros.tco.model.Scenario` field it sets.
        label: Visible label.
        scale: Form value = scenario value × scale (100 for percentages).
        note: Start of the hint, before the limits (may be empty).
        unit: Words after the upper limit in the hint (may be empty).
    """

    name: str
    key: str
    label: str
    scale: float = 1
    note: str = ""
    unit: str = ""

    @property
    def minimum(self) -> float:
        """Lowest value the form accepts (the schema's ``ge`` × scale)."""
        return _bound(self.key, "ge") * self.scale

    @property
    def maximum(self) -> float:
        """Highest value the form accepts (the schema's ``le`` × scale)."""
        return _bound(self.key, "le") * self.scale

    @property
    def integer(self) -> bool:
        """Whether only whole numbers are accepted (an ``int`` field of the schema)."""
        return Scenario.model_fields[self.key].annotation is int

    @property
    def hint(self) -> str:
        """The hint under the field, from the limits."""
        whole = "whole number, " if self.integer else ""
        limits = f"{whole}{_limit_text(self.minimum)} to {_limit_text(self.maximum)}"
        if self.unit:
            limits += f" {self.unit}"
        return f"{self.note}; {limits}" if self.note else limits


def _bound(key: str, kind: str) -> float:
    """Read the ``ge`` or ``le`` constraint of a Scenario field."""
    for item in Scenario.model_fields[key].metadata:
        value = getattr(item, kind, None)
        if value is not None:
            return float(value)
    raise LookupError(f"Scenario.{key} has no {kind} constraint")


INPUTS = (
    InputField(
        "tx", "transactions_per_month", "Transactions", note="per month, or per day below", unit="a month"
    ),
    InputField("steps", "steps_per_transaction", "Action steps per transaction"),
    InputField("batch", "batch_size", "Transactions per execution", note="batching"),
    InputField("flows", "flows", "Flows"),
    InputField("apps", "apps", "Connected apps"),
    InputField("mar", "mar", "Monthly active rows (ELT)"),
    InputField("churn", "churn", "Rows synced per MAR"),
    InputField("gb", "db_gb", "Database GB a month (Airbyte)"),
    InputField("years", "years", "Horizon (years)"),
    InputField("rate", "engineer_rate", "Integration developer (USD per hour)", note="build and maintenance"),
    InputField("ops", "ops_rate", "Platform / ops engineer (USD per hour)", note="operations hours"),
    InputField("oncall", "on_call_monthly", "On-call (USD a month)", note="self-run tools"),
    InputField("par", "parallel_months", "Parallel-run months", note="platform costs paid before cut-over"),
    InputField("risk", "risk", "Risk adjustment (% of total)", scale=100),
    InputField("esc", "escalator", "Price escalator (% a year)", scale=100),
    InputField("disc", "discount_rate", "Discount rate (% a year)", scale=100),
)
"""The form's general inputs, in form order."""


@dataclass(frozen=True)
class Override:
    """One per-approach override column.

    Attributes:
        prefix: Form and URL name prefix (``bh`` gives ``bh.zapier``).
        key: The :class:`~macros.tco.model.Scenario` mapping it fills.
        column: Column header.
        label: Accessible name of each cell, ``{name}`` is the approach name.
        scale: Form value = scenario value × scale.
    """

    prefix: str
    key: str
    column: str
    label: str
    scale: float = 1

    @property
    def maximum(self) -> float:
        """Highest value the form accepts (the model's limit × scale)."""
        return OVERRIDE_LIMITS[self.key] * self.scale


OVERRIDES = (
    Override("bh", "build_hours", "Build h / flow", "{name} build hours per flow"),
    Override("ms", "maintenance_share", "Maintenance % / yr", "{name} maintenance % a year", scale=100),
    Override("lic", "licence", "Licence USD / yr", "{name} licence override (USD a year)"),
    Override(
        "dc", "discount", "Discount %", "{name} negotiated discount on licence and usage (%)", scale=100
    ),
    Override("ur", "usage_rate", "Your rate USD / unit", "{name} usage price per billing unit (USD)"),
    Override("ip", "partner", "Partner USD", "{name} implementation partner, one-off (USD)"),
    Override("tr", "training", "Training USD", "{name} training, one-off (USD)"),
    Override("mx", "migration", "Migration / exit USD", "{name} migration or exit, one-off (USD)"),
)
"""The per-approach override columns, in table order."""


def volume_per_month(value: float, per: str, steps: float) -> float | None:
    """Transactions a month from the volume field, read as ``per`` says.

    Args:
        value: The number typed.
        per: ``month``, ``day`` (× :data:`DAYS_PER_MONTH`) or ``task``
            (tasks a month ÷ action steps per transaction).
        steps: Action steps per transaction.

    Returns:
        Transactions a month, or ``None`` when tasks cannot be converted (no steps).
    """
    if per == "day":
        return value * DAYS_PER_MONTH
    if per == "task":
        return value / steps if steps > 0 else None
    return value


def widget_spec() -> dict[str, object]:
    """Everything the calculator's script reads besides prices, JSON-ready.

    Returns:
        Inputs with limits and labels, overrides, result columns, the break-even search,
        the days-per-month factor and :func:`macros.tco.text.texts`.
    """
    return {
        "inputs": [
            {
                "name": f.name,
                "key": f.key,
                "min": f.minimum,
                "max": f.maximum,
                "integer": f.integer,
                "scale": f.scale,
                "label": f.label,
                "unit": f.unit,
            }
            for f in INPUTS
        ],
        "overrides": [
            {"prefix": o.prefix, "key": o.key, "max": o.maximum, "scale": o.scale, "label": o.label}
            for o in OVERRIDES
        ],
        "days_per_month": DAYS_PER_MONTH,
        "per_options": list(PER_OPTIONS),
        "columns": list(RESULT_COLUMNS),
        "results_caption": RESULTS_CAPTION,
        "volume_range": {k: list(v) for k, v in VOLUME_RANGE.items()},
        "bisection_steps": BISECTION_STEPS,
        "sensitivity": SENSITIVITY,
        "sensitivity_factors": list(SENSITIVITY_FACTORS),
        "text": text.texts(),
    }

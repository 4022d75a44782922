"""One CSV row validated into the row it is stored as, through its ``*Create`` model, quickly.

Half a million rows must validate in seconds, so ``FastModel`` runs a model's own validators field
by field and remembers what repeated values gave, and ``row_maker`` turns the validated columns
into the stored tuple converting only the date columns. Only what succeeds takes the fast path:
a row that fails is validated by the model itself, which names every problem.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime, tzinfo
from typing import Any, get_args

from sqlmodel import SQLModel

from diary import validation, when
from diary.csvio.contract import MODELS, MOMENTS, STAMPED, TABLES


class FastModel:
    """A ``*Create`` model's own validation, run field by field, with repeated values remembered.

    pydantic validates a field by its "before" validator, then the type of its annotation, then
    its "after" validator. This runs the same three steps with the same functions (the model's
    validators, read from ``__pydantic_decorators__``, and a ``TypeAdapter`` of the annotation)
    and remembers each field's result per input value: 500,000 episodes hold a few dozen distinct
    body sites or symptom lists, so their rules run a few dozen times instead of 500,000. Fields
    whose values do not repeat (ids, notes) stop being remembered after ``MEMO_LIMIT`` values.

    It only speeds up what succeeds: a row that fails any step is validated again by the model
    itself, which reports its problems exactly as every other way in does. ``for_model`` gives
    None for a model with what this does not mirror (model validators, unusual validators); such
    a model validates every row itself.
    """

    MEMO_LIMIT = 4096

    def __init__(self, model: type[SQLModel], steps: dict[str, Callable[[Any], Any]]) -> None:
        self.model = model
        self.steps = steps
        self.required = {n for n, f in model.model_fields.items() if f.is_required()}
        self.memos: dict[str, dict[Any, Any] | None] = {name: {} for name in steps}

    @classmethod
    def for_model(cls, model: type[SQLModel]) -> FastModel | None:
        """The fast path for ``model``, or None when it cannot mirror pydantic exactly."""
        from pydantic import TypeAdapter

        decorators = model.__pydantic_decorators__
        if decorators.model_validators or decorators.validators or decorators.root_validators:
            return None
        found: dict[tuple[str, str], Callable[[Any], Any]] = {}
        for decorator in decorators.field_validators.values():
            for name in decorator.info.fields:
                key = (name, decorator.info.mode)
                if key[1] not in ("before", "after") or key in found:
                    return None
                found[key] = decorator.func
        steps = {}
        for name, info in model.model_fields.items():
            if info.annotation is None:
                return None
            steps[name] = _chain(
                found.get((name, "before")),
                TypeAdapter(info.annotation).validate_python,
                found.get((name, "after")),
            )
        return cls(model, steps)

    def validate(self, values: Mapping[str, Any]) -> SQLModel | None:
        """The validated model, or None when any field fails (ask the model itself then)."""
        if not self.required <= values.keys():
            return None
        fields = {}
        try:
            for name, step in self.steps.items():
                if name not in values:
                    continue  # like pydantic: a missing optional field keeps its default
                raw = values[name]
                memo = self.memos[name]
                # Only text is remembered: other values can be equal yet differ (two date-times
                # at the same instant in different offsets compare equal).
                if memo is None or type(raw) is not str:
                    fields[name] = step(raw)
                elif raw in memo:
                    fields[name] = memo[raw]
                else:
                    fields[name] = memo[raw] = step(raw)
                    if len(memo) > self.MEMO_LIMIT:
                        self.memos[name] = None
        except Exception:  # any failure: the model itself validates the row and says why
            return None
        return self.model.model_construct(**fields)


def _chain(*steps: Callable[[Any], Any] | None) -> Callable[[Any], Any]:
    """One function applying ``steps`` in order (None entries skipped)."""
    present = [step for step in steps if step is not None]

    def run(value: Any) -> Any:
        for step in present:
            value = step(value)
        return value

    return run


def build(
    label: str,
    raw: dict[str, str],
    zone: tzinfo,
    created_at: datetime,
    fast: FastModel | None = None,
) -> dict[str, Any]:
    """Validate one CSV row into the columns it is stored as (``UserError``/``ValidationError``).

    The ``*Create`` models are the validation, exactly as for every other way data comes in (via
    ``FastModel`` when given); the table models are not built (they validate nothing more, and
    cost more than the rest together).
    """
    values: dict[str, Any] = raw
    moment = MOMENTS.get(label)
    if moment is not None:
        values = {**raw, moment: when.parse_iso_datetime(raw[moment], zone, field=moment)}
    model: Any = (fast and fast.validate(values)) or MODELS[label].model_validate(values)
    if label in STAMPED:
        return model.columns(created_at=created_at)
    if label == "profile.csv":
        return model.model_dump()
    return model.columns()


def stored(value: Any) -> Any:
    """A value as SQLAlchemy stores it in SQLite (date-times and dates as ISO text)."""
    if isinstance(value, datetime):
        return validation.db_timestamp(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def row_maker(label: str, columns: tuple[str, ...]) -> Callable[[Mapping[str, Any]], tuple]:
    """A function turning validated columns into the stored row, converting only what needs it.

    Only the table's date and date-time columns are converted; the rest pass through untouched,
    which matters at 500,000 rows.
    """
    fields = TABLES[label].model_fields
    dated = [i for i, c in enumerate(columns) if _is_dated(fields[c].annotation)]

    def make(values: Mapping[str, Any]) -> tuple[Any, ...]:
        row = [values[c] for c in columns]
        for i in dated:
            if row[i] is not None:
                row[i] = stored(row[i])
        return tuple(row)

    return make


def _is_dated(annotation: Any) -> bool:
    """Whether a field holds a date or a date-time (``date``, ``datetime``, ``date | None``)."""
    types = (annotation, *get_args(annotation))
    return any(isinstance(t, type) and issubclass(t, date) for t in types)

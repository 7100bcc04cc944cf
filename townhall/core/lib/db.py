"""Database helpers for hot paths."""

import datetime as dt
import json
from collections.abc import Callable, Sequence
from typing import Any, TypeVar, cast

from django.db import connection, models
from django.db.models.base import ModelState

M = TypeVar("M", bound=models.Model)

# Field types whose Python value is already what the database driver takes.
_PASS_THROUGH = {
    "AutoField", "BigAutoField", "BigIntegerField", "BooleanField", "CharField", "FloatField",
    "ForeignKey", "IntegerField", "OneToOneField", "PositiveIntegerField", "SlugField",
    "TextField", "URLField",
}


def _preparer(field: models.Field) -> Callable[[Any], Any]:
    """The cheapest correct conversion of one field's value for the driver."""
    kind = field.get_internal_type()
    if kind in _PASS_THROUGH:
        return lambda value: value
    ops = connection.ops
    if kind == "DateTimeField":
        return _datetime_preparer()
    if kind == "JSONField":
        encoder = field.encoder  # type: ignore[attr-defined]
        if encoder is None and connection.vendor == "sqlite":
            return _json_text
        return lambda value: None if value is None else ops.adapt_json_value(value, encoder)
    return lambda value: field.get_db_prep_save(value, connection)


def _datetime_preparer() -> Callable[[Any], Any]:
    """Aware datetimes as the driver wants them.

    PostgreSQL's driver takes aware datetimes as they are. SQLite stores naive UTC text,
    which is what Django's adapter writes too; it is rebuilt here without the checks
    Django repeats for every value, which cost a second per 25,000 imported messages.
    """
    if connection.vendor != "sqlite":
        return connection.ops.adapt_datetimefield_value
    django_adapt = connection.ops.adapt_datetimefield_value
    utc = dt.UTC

    def adapt(value: Any) -> Any:
        if type(value) is dt.datetime and value.tzinfo is not None:
            return str(value.astimezone(utc).replace(tzinfo=None))
        return django_adapt(value)

    return adapt


def _json_text(value: Any) -> str | None:
    """SQLite's JSON columns hold the text json.dumps gives; empty lists are common."""
    if value is None:
        return None
    if value == [] and type(value) is list:
        return "[]"
    return json.dumps(value)


_BLUEPRINTS: dict[type[models.Model], tuple[dict[str, Any], list[tuple[str, Any]],
                                             dict[str, models.Field]]] = {}


def _blueprint(model: type[models.Model]) -> tuple[dict[str, Any], list[tuple[str, Any]],
                                                   dict[str, models.Field]]:
    if model not in _BLUEPRINTS:
        fixed: dict[str, Any] = {}
        made: list[tuple[str, Any]] = []
        relations: dict[str, models.Field] = {}
        for field in model._meta.concrete_fields:
            if getattr(field, "generated", False):
                continue
            if field.has_default() and callable(field.default):
                made.append((field.attname, field.default))
            else:
                fixed[field.attname] = field.get_default()
            if field.is_relation:
                relations[field.name] = field
        _BLUEPRINTS[model] = (fixed, made, relations)
    return _BLUEPRINTS[model]


def new_row(model: type[M], **values: Any) -> M:
    """An unsaved model object, built without Model.__init__'s per-field machinery.

    For hot paths that build thousands of objects to hand to `insert_rows`. Values are
    given by attribute name (`conversation_id=...`) or, for a foreign key, as the related
    object (`conversation=...`), which is cached on the new object as __init__ would.
    Unknown names raise TypeError, as they would with the model's own constructor.
    """
    fixed, made, relations = _blueprint(model)
    obj = model.__new__(model)
    state = ModelState()
    obj._state = state
    data = obj.__dict__
    data.update(fixed)
    for attname, factory in made:
        data[attname] = factory()
    for name, value in values.items():
        if name in relations:
            field = relations[name]
            data[field.attname] = None if value is None else value.pk
            state.fields_cache[name] = value
        elif name in data:
            data[name] = value
        else:
            raise TypeError(f"{model.__name__} has no field {name!r}.")
    return obj


def update_rows(model: type[models.Model], objs: Sequence[models.Model],
                fields: Sequence[str]) -> None:
    """Write `fields` of each object back with one prepared UPDATE run for all rows.

    Django's bulk_update builds a CASE expression per field per row, which costs more
    than the write itself on an import; executemany reuses one statement instead.
    """
    if not objs:
        return
    meta = model._meta
    columns = [cast(models.Field, meta.get_field(name)) for name in fields]
    assignments = ", ".join(
        f"{connection.ops.quote_name(str(f.column))} = %s" for f in columns
    )
    # Only table and column names from the model are formatted in; values are parameters.
    sql = (f"UPDATE {connection.ops.quote_name(meta.db_table)} SET {assignments} "  # noqa: S608
           f"WHERE {connection.ops.quote_name(str(meta.pk.column))} = %s")
    prepare = [(f.attname, _preparer(f)) for f in columns]
    params = [
        [convert(obj.__dict__[name]) for name, convert in prepare] + [obj.pk] for obj in objs
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)



def insert_rows(model: type[M], objs: list[M]) -> list[M]:
    """Insert unsaved objects with multi-row INSERT ... RETURNING and set their ids.

    It does what bulk_create does for plain concrete fields, with less per-value work:
    on an import that is most of the time spent. Both SQLite (3.35+) and PostgreSQL
    support RETURNING. Objects must not rely on save() or pre_save hooks other than
    auto_now_add, which is filled here.
    """
    if not objs:
        return objs
    meta = model._meta
    # Generated columns are computed by the database and cannot be written.
    fields = [f for f in meta.concrete_fields
              if not f.primary_key and not getattr(f, "generated", False)]
    for field in fields:
        if getattr(field, "auto_now_add", False) or getattr(field, "auto_now", False):
            for obj in objs:
                if getattr(obj, field.attname) is None:
                    field.pre_save(obj, add=True)
    quote = connection.ops.quote_name
    names = [f.attname for f in fields]
    # Most values go to the driver as they are; only the others are converted.
    convert = [(n, _preparer(f)) for n, f in enumerate(fields)
               if f.get_internal_type() not in _PASS_THROUGH]
    columns = ", ".join(quote(str(f.column)) for f in fields)
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    per_statement = max(1, 30000 // len(fields))
    with connection.cursor() as cursor:
        for start in range(0, len(objs), per_statement):
            chunk = objs[start:start + per_statement]
            params: list[Any] = []
            for obj in chunk:
                values = obj.__dict__
                record = [values[name] for name in names]
                for n, prepare in convert:
                    record[n] = prepare(record[n])
                params += record
            sql = (f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES "  # noqa: S608
                   f"{', '.join([row] * len(chunk))} RETURNING {quote(str(meta.pk.column))}")
            cursor.execute(sql, params)
            ids = [r[0] for r in cursor.fetchall()]
            for obj, pk in zip(chunk, ids, strict=True):
                obj.pk = pk
                obj._state.adding = False
                obj._state.db = connection.alias
    return objs

"""Lossless JSON encoding of the frozen records, so storage and the CLI persist and print them."""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any, TypeVar, Union, get_args, get_origin

T = TypeVar("T")


def to_data(value: object) -> Any:  # noqa: PLR0911 - one branch per kind of value
    """Turn a record (or a tree of them) into JSON-ready plain data."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_data(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple | list):
        return [to_data(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, timedelta):
        return value.total_seconds()
    if isinstance(value, dict):
        return {str(k): to_data(v) for k, v in value.items()}
    return value


def from_data(cls: type[T], data: Any) -> T:
    """Rebuild a record of type ``cls`` from what :func:`to_data` produced."""
    return typing.cast(T, _decode(cls, data))


def dumps(value: object) -> str:
    """Canonical JSON text of a record: sorted keys, compact, UTF-8 characters kept."""
    return json.dumps(to_data(value), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def loads(cls: type[T], text: str) -> T:
    """Inverse of :func:`dumps`."""
    return from_data(cls, json.loads(text))


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _decode(tp: Any, data: Any) -> Any:  # noqa: PLR0911 - one branch per kind of type
    if data is None:
        return None
    origin = get_origin(tp)
    if origin in (Union, types.UnionType):
        inner = [a for a in get_args(tp) if a is not type(None)]
        return _decode(inner[0], data)
    if origin is typing.Literal:
        return data
    if origin is tuple:
        args = get_args(tp)
        return tuple(_decode(args[0], v) for v in data)
    if origin is dict:
        _, value_tp = get_args(tp)
        return {k: _decode(value_tp, v) for k, v in data.items()}
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        hints = _hints(tp)
        kwargs = {f.name: _decode(hints[f.name], data[f.name]) for f in dataclasses.fields(tp)
                  if f.name in data}
        return tp(**kwargs)
    return _scalar(tp, data)


def _scalar(tp: Any, data: Any) -> Any:
    if tp is datetime:
        return datetime.fromisoformat(data)
    if tp is date:
        return date.fromisoformat(data)
    if tp is timedelta:
        return timedelta(seconds=data)
    if tp is float:
        return float(data)
    return data

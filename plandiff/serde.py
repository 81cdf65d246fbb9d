"""Dataclass <-> plain-JSON conversion for the document model.

`to_data` turns a dataclass tree (with enums, dates, tuples) into JSON-ready
values; `from_data` rebuilds the same tree from type hints, so that saving a
model object and loading it back gives an equal object.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import json
import types
import typing
from typing import Any, TypeVar

T = TypeVar("T")


def to_data(obj: Any) -> Any:
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: to_data(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, enum.Enum):
        return obj.value
    if isinstance(obj, dt.date):
        return obj.isoformat()
    if isinstance(obj, (list, tuple)):
        return [to_data(x) for x in obj]
    if isinstance(obj, dict):
        return {str(k): to_data(v) for k, v in obj.items()}
    return obj


def from_data(cls: type[T], data: Any) -> T:
    return _build(cls, data)


def dumps(obj: Any) -> str:
    return json.dumps(to_data(obj), ensure_ascii=False, sort_keys=True)


def loads(cls: type[T], text: str) -> T:
    return from_data(cls, json.loads(text))


def _build(tp: Any, data: Any) -> Any:
    if data is None:
        return None
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return _build(args[0], data) if len(args) == 1 else data
    if origin is tuple:
        args = typing.get_args(tp)
        item = args[0] if args else Any
        return tuple(_build(item, x) for x in data)
    if origin is list:
        (item,) = typing.get_args(tp) or (Any,)
        return [_build(item, x) for x in data]
    if origin is dict:
        _, val = typing.get_args(tp) or (Any, Any)
        return {k: _build(val, v) for k, v in data.items()}
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        hints = typing.get_type_hints(tp)
        kwargs = {f.name: _build(hints[f.name], data[f.name])
                  for f in dataclasses.fields(tp) if f.name in data}
        return tp(**kwargs)
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return tp(data)
    if tp is dt.date:
        return dt.date.fromisoformat(data)
    return data

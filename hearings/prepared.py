"""Querysets compiled to SQL once per process, then run with each call's values (#16).

Django builds and compiles a queryset's SQL every time it is evaluated. For the query
that finds a hearing page (six tables joined, with subqueries for its index, Wagtail's
view restrictions and the person's departments) building and compiling cost more than
the database's answer: about half of the query's 10 ms. ``Prepared`` builds the
queryset once per shape with stand-in values, keeps its compiled SQL, and for each call
runs that SQL with the call's values through Django's own model iterable, so instances,
their related objects and annotations are made exactly as Django makes them.

Values may be strings, integers, UUIDs or lists of integers (a list's length is part of
the shape: ``id__in`` writes one placeholder per item, so give lists without repeats).
When a stand-in cannot be found again among the compiled query's parameters (a lookup
that transforms its value, say), that shape is not kept: the queryset is then built and
compiled as usual, every time, with the same result.
"""

import copy
import itertools
import uuid

from django.core.exceptions import EmptyResultSet
from django.db import connections

_STAND_INS = itertools.count(1)


def _integer(number):
    # Within the range of every integer column but the small ones (Django answers a
    # lookup outside a column's range without asking the database, and the stand-in
    # would be lost): positive, below 2**31.
    return 2_000_000_000 + number % 100_000_000


def _stand_in(value):
    number = next(_STAND_INS)
    if isinstance(value, str):
        return f"\x00agora-stand-in-{number}\x00"
    if isinstance(value, bool):
        raise TypeError("Prepared takes no booleans: build two querysets")
    if isinstance(value, int):
        return _integer(number)
    if isinstance(value, uuid.UUID):
        return uuid.UUID(int=2**127 + number)
    if isinstance(value, (list, tuple)) and all(
        isinstance(item, int) and not isinstance(item, bool) for item in value
    ):
        return [_integer(next(_STAND_INS)) for _ in value]
    raise TypeError(f"Prepared takes strings, integers, UUIDs and lists of integers: {value!r}")


HEX = "hex"  # the slot takes the UUID's hex digits


def _value(value, index):
    if index is None:
        return value
    if index == HEX:
        return value.hex
    return value[index]


class Prepared:
    """``build(**values)`` -> a queryset (sliced and ordered as it will be read)."""

    def __init__(self, build):
        self._build = build
        self._shapes = {}

    def __call__(self, **values):
        """The queryset ``build(**values)`` returns, its SQL compiled already."""
        shape = tuple(
            sorted(
                (name, len(value) if isinstance(value, (list, tuple)) else type(value).__name__)
                for name, value in values.items()
            )
        )
        prepared = self._shapes.get(shape)
        if prepared is None:
            prepared = self._shapes[shape] = self._prepare(values)
        if prepared is False:
            return self._build(**values)
        template, compiler, sql, slots = prepared
        params = tuple(
            constant if name is None else _value(values[name], index)
            for name, index, constant in slots
        )
        queryset = template._chain()
        running = copy.copy(compiler)
        running.connection = connections[queryset.db]  # this thread's connection
        running.as_sql = lambda *args, **kwargs: (sql, params)
        queryset.query.get_compiler = lambda *args, **kwargs: running
        return queryset

    def _prepare(self, values):
        stand_ins = {name: _stand_in(value) for name, value in values.items()}
        template = self._build(**stand_ins)
        compiler = template.query.get_compiler(using=template.db)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            return False
        wanted = {}
        for name, value in stand_ins.items():
            if isinstance(value, list):
                for index, item in enumerate(value):
                    wanted[item] = (name, index)
            else:
                wanted[value] = (name, None)
                if isinstance(value, uuid.UUID):  # a database without a uuid type
                    wanted[value.hex] = (name, HEX)
        slots, found = [], set()
        for param in params:
            try:
                slot = wanted.get(param)
            except TypeError:  # an unhashable parameter: a constant
                slot = None
            if slot is None:
                if isinstance(param, str) and "\x00agora-stand-in-" in param:
                    return False  # a stand-in changed on its way into the query
                slots.append((None, None, param))
            else:
                found.add(param)
                slots.append((slot[0], slot[1], None))
        # Every value (each item of a list) must have found its place in the query.
        placed = {
            (name, None if index == HEX else index) for name, index in map(wanted.get, found)
        }
        if placed != {(name, index) for name, index in wanted.values() if index != HEX}:
            return False
        return template, compiler, sql, slots

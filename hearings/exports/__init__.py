"""Exports of a hearing: spreadsheets (``tabular``), PDF (``pdf``)."""

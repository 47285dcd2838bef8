"""Exports of a hearing: spreadsheets (``tabular``), PDF for staff (``pdf``), archival
PDF/A and the ESDH export package (``service``)."""

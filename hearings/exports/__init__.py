"""Exports of a hearing: archival PDF/A and the ESDH export package (see service.py)."""

"""Adapters to case and document systems (ESDH). See base.py for the interface."""

from .base import CaseInfo, Document, ESDHAdapter, ESDHError, ESDHUnavailable, get_adapter

__all__ = ["CaseInfo", "Document", "ESDHAdapter", "ESDHError", "ESDHUnavailable", "get_adapter"]

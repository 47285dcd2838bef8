"""The hearings app in the Wagtail admin: responses and moderation (``responses``), the
hearing listing, classification snippets, ESDH exports and the outbox (``viewsets``),
and the dashboard panels (``dashboard``). Registered in ``hearings.wagtail_hooks``."""

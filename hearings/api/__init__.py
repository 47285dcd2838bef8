"""The headless API: hearings through Wagtail's API (``pages``: ``/api/v2/``), answers
through django-ninja (``responses``: ``/api/v1/``). See docs/api.md."""

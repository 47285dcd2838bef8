"""The job tests. Their fixtures are shared with the ESDH tests: tests/fixtures/jobs.py."""

import pytest


@pytest.fixture(autouse=True)
def _esdh_dir(esdh_dir):
    """Every test here files into its own folder, never into var/."""
    return esdh_dir

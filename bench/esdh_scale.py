# ruff: noqa: S603 -- a benchmark: runs this interpreter on its own probe script
"""How the ESDH export grows: the export of a closed hearing with N responses, each with
an attachment, for each N given (default 1000 and 10000), each in a fresh process
(``bench/export_probe.py``), into a throw-away folder with the filesystem adapter.

    DATABASE_URL=postgres://... .venv/bin/python bench/esdh_scale.py 1000 10000

The hearings are made once per N (slug ``bench-esdh-<N>``) in the bench database.
Prints one line per N and the ratio of the times; issue #16 asks for 10,000 within 10×
the time of 1,000.
"""

import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.run import PY, ROOT, fail  # noqa: E402


def hearing_with(count):
    from django.utils import timezone
    from wagtail.models import Site

    from bench.seed import FORM, add_responses
    from hearings.models import Department, HearingIndexPage, HearingPage

    slug = f"bench-esdh-{count}"
    found = HearingPage.objects.filter(slug=slug).first()
    if found:
        return found
    site = Site.objects.get(is_default_site=True)
    index = HearingIndexPage.objects.child_of(site.root_page).first()
    kommune, _ = Department.objects.get_or_create(site=site, code="bench", name="Kommune")
    team, _ = Department.objects.get_or_create(
        site=site, code="bench-esdh", name="Sagsbehandling", parent=kommune
    )
    now = timezone.now()
    page = HearingPage(
        title=f"Lukket høring med {count} svar",
        slug=slug,
        summary="Til måling af ESDH-eksporten.",
        opens_at=now - timedelta(days=30),
        closes_at=now - timedelta(hours=1),
        response_form=FORM,
        live=True,
    )
    index.add_child(instance=page)
    page.invited_departments.set([kommune])
    page.save()
    add_responses(page, count, team, "submitted", f"esdh{count}-", attachments=True)
    return page


def main():
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        fail("set DATABASE_URL to a PostgreSQL database it may fill (see docs/benchmarks.md)")
    counts = [int(n) for n in sys.argv[1:]] or [1000, 10000]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings", "PYTHONPATH": str(ROOT)}
    subprocess.run([PY, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    os.environ.update(env)
    import django

    django.setup()
    results = []
    for count in counts:
        hearing = hearing_with(count)
        probe = subprocess.run(
            [PY, "bench/export_probe.py", "esdh", str(hearing.pk)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        result = json.loads(probe.stdout.strip().splitlines()[-1])
        results.append(result)
        print(
            f"ESDH export, {count} responses with attachments: {result['seconds']:.1f} s, "
            f"{result['bytes']} documents, {result['queries']} queries, "
            f"peak {result['total_peak_rss_mib']:.0f} MiB with the PDF workers",
            flush=True,
        )
    if len(results) > 1:
        first, last = results[0], results[-1]
        print(
            f"{last['rows']} / {first['rows']} responses: "
            f"{last['seconds'] / first['seconds']:.1f}× the time"
        )


if __name__ == "__main__":
    main()

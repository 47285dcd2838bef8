"""How the employee's pages scale with the number of hearings.

Builds a municipality with the demo, adds hearings in batches, and times the hearing
index, the home page and a hearing page as an invited employee. The query count of each
listing must stay flat as hearings are added.
"""

from datetime import timedelta

from _harness import measure, test_database
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

BATCHES = (10, 100, 300)


def add_hearings(index, departments, count, start):
    from hearings.models import HearingPage

    now = timezone.now()
    for number in range(start, start + count):
        hearing = HearingPage(
            title=f"Benchmark-høring {number}",
            summary="Et kort resumé af høringen.",
            opens_at=now - timedelta(days=1),
            closes_at=now + timedelta(days=1 + number % 30),
            live=False,
        )
        index.add_child(instance=hearing)
        hearing.invited_departments.set(departments)
        hearing.save_revision().publish(log_action=False)


def main():
    from hearings.demo import build_demo

    with test_database():
        demo = build_demo()
        index = demo["hearings"]["hjemmearbejde"].get_parent().specific
        employee = get_user_model().objects.get(username="employee1")
        client = Client()
        client.force_login(employee)
        hearing_url = demo["hearings"]["hjemmearbejde"].url
        departments = [demo["departments"]["kommune"]]
        total = 0
        for batch in BATCHES:
            add_hearings(index, departments, batch - total, total)
            total = batch
            print(f"-- {total} extra hearings")
            measure("hearing index (/hearings/, 20 a page)", lambda: client.get("/hearings/"))
            measure(
                "hearing index, filtered by phase", lambda: client.get("/hearings/?phase=open")
            )
            measure("home page (my hearings)", lambda: client.get("/"))
            measure("a hearing page", lambda: client.get(hearing_url))


if __name__ == "__main__":
    main()

"""The demo: a municipality with departments, users in every role and hearings in every phase.

Built through model APIs and the page tree, never from a dump of primary keys, and
idempotent: running it again updates what it made instead of adding more. Dates are
relative to now, so the phases are right whenever it is run.
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Site

from hearings.models import (
    Department,
    EmployeeProfile,
    HearingIndexPage,
    HearingPage,
    HearingType,
    SubjectArea,
)

PASSWORD = "demo"  # noqa: S105 - documented demo password, refused outside DEBUG

DEPARTMENTS = [
    # (code, name, parent code)
    ("kommune", "Agora Kommune", None),
    ("cbf", "Center for Børn og Familier", "kommune"),
    ("dagtilbud", "Dagtilbud", "cbf"),
    ("ctm", "Center for Teknik og Miljø", "kommune"),
    ("coh", "Center for Økonomi og HR", "kommune"),
]

USERS = [
    # (username, first name, last name, group, department code, superuser)
    ("admin", "Ada", "Administrator", None, "coh", True),
    ("editor", "Erik", "Redaktør", "Hearing editors", "coh", False),
    ("approver", "Anna", "Godkender", "Hearing approvers", "coh", False),
    ("moderator", "Mads", "Moderator", "Response moderators", "coh", False),
    ("employee1", "Emma", "Jensen", None, "dagtilbud", False),
    ("employee2", "Jonas", "Nielsen", None, "ctm", False),
    ("employee3", "Sofie", "Hansen", None, "coh", False),
]


def paragraph(text):
    return {"type": "paragraph", "value": f"<p>{text}</p>"}


def heading(text):
    return {"type": "heading", "value": {"text": text, "level": "h2"}}


def hearing_specs(now):
    day = timedelta(days=1)
    return [
        {
            "slug": "hjemmearbejde",
            "title": "Ny politik for hjemmearbejde",
            "summary": "Forslag til fælles regler for hjemmearbejde i børne- og teknikområdet.",
            "body": [
                heading("Baggrund"),
                paragraph("Flere medarbejdere ønsker at arbejde hjemme en dag om ugen."),
                heading("Forslaget"),
                paragraph("Hjemmearbejde op til to dage om ugen efter aftale med lederen."),
            ],
            "opens_at": now - 3 * day,
            "closes_at": now + 14 * day,
            "departments": ["cbf", "ctm"],
            "type": "Politik og strategi",
            "subject": "Personale",
            "kle": "81.06.00",
            "live": True,
        },
        {
            "slug": "trafikplan-2027",
            "title": "Trafikplan 2027 for rådhusområdet",
            "summary": "Parkering, cykelstier og varelevering omkring rådhuset.",
            "body": [paragraph("Planen ændrer parkering og adgang til rådhuset fra 2027.")],
            "opens_at": now - 1 * day,
            "closes_at": now + 5 * day,
            "departments": ["kommune"],
            "type": "Politik og strategi",
            "subject": "Trafik",
            "kle": "05.00.05",
            "live": True,
        },
        {
            "slug": "budget-2028",
            "title": "Budget 2028: forslag til besparelser",
            "summary": "Administrationens forslag til besparelser i budget 2028.",
            "body": [paragraph("Forslagene bliver præsenteret på et fællesmøde.")],
            "opens_at": now + 7 * day,
            "closes_at": now + 28 * day,
            "departments": ["kommune"],
            "type": "Budget",
            "subject": "Økonomi",
            "kle": "00.01.00",
            "live": True,
        },
        {
            "slug": "ferieplanlaegning",
            "title": "Ny ferieplanlægning",
            "summary": "Ferie skal planlægges i et fælles system fra næste år.",
            "body": [paragraph("Alle ferieønsker skal registreres inden 1. marts.")],
            "opens_at": now - 30 * day,
            "closes_at": now - 2 * day,
            "departments": ["kommune"],
            "type": "Organisationsændring",
            "subject": "Personale",
            "kle": "81.01.00",
            "live": True,
        },
        {
            "slug": "roegfri-arbejdstid",
            "title": "Røgfri arbejdstid",
            "summary": "Rygning i arbejdstiden ophører på alle kommunens arbejdspladser.",
            "body": [paragraph("Forslaget gælder alle arbejdspladser og al arbejdstid.")],
            "opens_at": now - 90 * day,
            "closes_at": now - 60 * day,
            "departments": ["kommune"],
            "type": "Politik og strategi",
            "subject": "Personale",
            "kle": "81.02.00",
            "conclusion": (
                "<p>Røgfri arbejdstid indføres fra 1. januar. Høringssvarene førte til, "
                "at der tilbydes gratis rygestopkurser.</p>"
            ),
            "live": True,
        },
        {
            "slug": "it-politik",
            "title": "Ny IT-sikkerhedspolitik",
            "summary": "Udkast til en ny IT-sikkerhedspolitik. Ikke godkendt endnu.",
            "body": [paragraph("Udkastet er under redigering.")],
            "opens_at": now + 20 * day,
            "closes_at": now + 40 * day,
            "departments": ["kommune"],
            "type": "Politik og strategi",
            "subject": "IT",
            "kle": "85.02.00",
            "live": False,
        },
    ]


def build_demo(stdout=None):
    def say(message):
        if stdout is not None:
            stdout.write(message)

    call_command("import_kle", verbosity=0, stdout=stdout)
    site = Site.objects.get(is_default_site=True)
    site.site_name = "Agora Kommune"
    site.save()

    departments = {}
    for code, name, parent_code in DEPARTMENTS:
        department, __ = Department.objects.update_or_create(
            site=site,
            code=code,
            defaults={"name": name, "parent": departments.get(parent_code)},
        )
        departments[code] = department
    say(f"Departments: {len(departments)}")

    users = {}
    User = get_user_model()
    for username, first, last, group_name, department_code, superuser in USERS:
        user, created = User.objects.get_or_create(username=username)
        user.first_name, user.last_name = first, last
        user.email = f"{username}@agora.example"
        user.is_superuser = user.is_staff = superuser
        user.is_active = True
        if created or not user.check_password(PASSWORD):
            user.set_password(PASSWORD)
        user.save()
        if group_name:
            user.groups.add(Group.objects.get(name=group_name))
        EmployeeProfile.objects.update_or_create(
            user=user, defaults={"department": departments[department_code]}
        )
        users[username] = user
    say(f"Users: {', '.join(users)} (password: {PASSWORD})")

    types = {
        name: HearingType.objects.get_or_create(name=name)[0]
        for name in ("Politik og strategi", "Budget", "Organisationsændring")
    }
    subjects = {
        name: SubjectArea.objects.get_or_create(name=name)[0]
        for name in ("Personale", "Trafik", "Økonomi", "IT")
    }

    index = HearingIndexPage.objects.get()
    now = timezone.now().replace(microsecond=0)
    hearings = {}
    for spec in hearing_specs(now):
        hearing = HearingPage.objects.child_of(index).filter(slug=spec["slug"]).first()
        if hearing is None:
            hearing = HearingPage(slug=spec["slug"])
            is_new = True
        else:
            hearing = hearing.specific
            is_new = False
        hearing.title = spec["title"]
        hearing.summary = spec["summary"]
        hearing.body = spec["body"]
        hearing.opens_at = spec["opens_at"]
        hearing.closes_at = spec["closes_at"]
        hearing.hearing_type = types[spec["type"]]
        hearing.subject_area = subjects[spec["subject"]]
        hearing.kle_number = spec["kle"]
        hearing.conclusion = spec.get("conclusion", "")
        hearing.hearing_owner = users["editor"]
        hearing.contact_person = users["editor"]
        hearing.esdh_case_number = f"DEMO-{spec['slug']}"
        hearing.esdh_case_title = spec["title"]
        if is_new:
            hearing.live = False
            index.add_child(instance=hearing)
        hearing.invited_departments.set([departments[c] for c in spec["departments"]])
        revision = hearing.save_revision(user=users["editor"], log_action=is_new)
        if spec["live"]:
            revision.publish(user=users["approver"], log_action=False)
        elif hearing.live:
            hearing.unpublish(user=users["editor"], log_action=False)
        hearings[spec["slug"]] = HearingPage.objects.get(pk=hearing.pk)
    say("Hearings: " + ", ".join(f"{h.title} ({h.phase})" for h in hearings.values()))

    call_command("update_index", verbosity=0)
    call_command("rebuild_references_index", verbosity=0)
    say("Search and reference indexes rebuilt.")
    return {"departments": departments, "users": users, "hearings": hearings}

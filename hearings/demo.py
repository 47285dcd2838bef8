"""The demo: a municipality with departments, users in every role and hearings in every phase.

Built through model APIs and the page tree, never from a dump of primary keys, and
idempotent: running it again updates what it made instead of adding more. Dates are
relative to now, so the phases are right whenever it is run.
"""

import uuid
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import transaction
from django.http import QueryDict
from django.utils import timezone
from wagtail.models import Page, Site

from hearings import invitations, memo, numbering, registering, sites
from hearings.blocks.questions import form_version
from hearings.forms import ResponseForm
from hearings.models import (
    Channel,
    ConsentText,
    Department,
    EmployeeProfile,
    HearingIndexPage,
    HearingPage,
    HearingParty,
    HearingResponse,
    HearingTheme,
    HearingType,
    PartyKind,
    ResponseFormTemplate,
    ResponseRevision,
    ResponseStatus,
    SubjectArea,
    TextBlockSnippet,
)
from hearings.models.municipality import AccentColour, MunicipalitySettings
from home.demo import build_statements
from home.models import HomePage

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


def stable_id(*parts):
    """The same block or option id on every run, so demo answers keep their questions."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "agora-demo/" + "/".join(parts)))


def question(form, key, kind, label, help_text="", required=True, **extra):
    value = {"label": label, "help_text": help_text, "required": required, **extra}
    return {"type": kind, "id": stable_id(form, key), "value": value}


def options(form, key, *labels):
    return [
        {"type": "item", "value": label, "id": stable_id(form, key, str(number))}
        for number, label in enumerate(labels)
    ]


def every_question_form(consent):
    """The home-working hearing asks every kind of question there is."""
    f = "hjemmearbejde"
    return [
        {
            "type": "information",
            "id": stable_id(f, "intro"),
            "value": {
                "heading": "Om dig",
                "text": "<p>Svarene bruges kun til at forbedre politikken.</p>",
            },
        },
        question(
            f,
            "behalf",
            "on_behalf_of",
            "Hvem svarer du på vegne af?",
            allowed=["myself", "department", "organisation"],
        ),
        question(f, "role", "short_text", "Din stilling", "F.eks. pædagog.", max_length=100),
        question(
            f,
            "days",
            "single_choice",
            "Hvor mange dage om ugen vil du gerne arbejde hjemme?",
            options=options(f, "days", "Ingen", "Én dag", "To dage", "Mere end to dage"),
        ),
        question(
            f,
            "tools",
            "multiple_choice",
            "Hvilket udstyr mangler du derhjemme?",
            "Vælg det, du savner mest.",
            required=False,
            options=options(f, "tools", "Skærm", "Kontorstol", "Headset", "Tastatur"),
            min_choices=None,
            max_choices=2,
        ),
        question(
            f,
            "agree",
            "scale",
            "Hvor enig er du i forslaget?",
            min_value=1,
            max_value=5,
            min_label="Helt uenig",
            max_label="Helt enig",
        ),
        question(f, "before", "yes_no", "Har du arbejdet hjemme før?"),
        {
            "type": "information",
            "id": stable_id(f, "more"),
            "value": {"heading": "Uddybning", "text": ""},
        },
        question(
            f,
            "comments",
            "long_text",
            "Har du andre bemærkninger til forslaget?",
            required=False,
            max_length=3000,
        ),
        question(
            f,
            "files",
            "file_upload",
            "Bilag",
            "F.eks. et høringssvar fra din arbejdsplads.",
            required=False,
            max_files=3,
            max_size_mb=20,
            allowed_types=["pdf", "docx", "xlsx", "odt", "png", "jpeg", "txt"],
        ),
        question(
            f,
            "consent",
            "consent",
            "Jeg accepterer, at mit svar kan blive offentliggjort",
            consent_text=consent.pk,
        ),
    ]


def standard_form(form_key, consent):
    """The municipality's standard questions (also the "Politik og strategi" template)."""
    f = form_key
    return [
        question(
            f,
            "opinion",
            "single_choice",
            "Hvad mener du om forslaget?",
            options=options(f, "opinion", "Enig", "Delvist enig", "Uenig"),
        ),
        question(f, "comments", "long_text", "Dine bemærkninger", required=False, max_length=3000),
        question(f, "consent", "consent", "Jeg accepterer vilkårene", consent_text=consent.pk),
    ]


# (username, opinion option, comments, days before the deadline it was answered)
HOLIDAY_ANSWERS = [
    ("employee1", 0, "Godt med et fælles system. Husk vikarerne i dagtilbud.", 10),
    ("employee2", 1, "Fristen 1. marts er for tidlig for teknisk service.", 6),
    ("employee3", 2, "Det nuværende system virker fint. Lad være med at skifte.", 3),
]


def build_demo_responses(hearing, users):
    """Answers from three employees to the closed holiday-planning hearing.

    The hearing is closed, so the answers are recorded through the models (the
    service rightly refuses late answers), in the service's answer format.
    """
    built = []
    with transaction.atomic():
        for sequence, (username, opinion, comments, days) in enumerate(HOLIDAY_ANSWERS, 1):
            user = users[username]
            questions = {child.value["label"]: child for child in hearing.response_form}
            data = QueryDict(mutable=True)
            data["token"] = str(uuid.uuid4())
            opinion_block = questions["Hvad mener du om forslaget?"]
            option_id = opinion_block.value["options"].bound_blocks[opinion].id
            data["q-" + opinion_block.id] = option_id
            data["q-" + questions["Dine bemærkninger"].id] = comments
            data["q-" + questions["Jeg accepterer vilkårene"].id] = "on"
            form = ResponseForm(hearing, user=user, data=data)
            if not form.is_valid():
                raise ValueError(f"Demo answer for {username} is invalid: {form.errors}")
            submitted_at = hearing.closes_at - timedelta(days=days)
            answers = form.answers()
            response, __ = HearingResponse.objects.update_or_create(
                hearing=hearing,
                respondent=user,
                defaults={
                    "status": ResponseStatus.SUBMITTED,
                    "answers": answers,
                    "sequence": sequence,
                    "reference": numbering.make_reference(hearing, sequence, submitted_at),
                    "submitted_at": submitted_at,
                    "form_version": form_version(hearing.response_form),
                    "submission_token": stable_id("ferieplanlaegning", username),
                },
            )
            ResponseRevision.objects.update_or_create(
                response=response,
                number=1,
                defaults={
                    "kind": ResponseRevision.Kind.SUBMITTED,
                    "created_by": user,
                    "answers": answers,
                    "form_version": response.form_version,
                },
            )
            # The history says it was handed in when the receipt says (not at loading).
            ResponseRevision.objects.filter(response=response, number=1).update(
                created_at=submitted_at
            )
            built.append(response)
    return built


DEMO_LETTER = {
    "sender_name": "Lise Andersen",
    "sender_organisation": "HovedMED",
    "text": (
        "HovedMED støtter et fælles system, men beder om, at fristen for ferieønsker "
        "flyttes til 1. april, så de decentrale MED-udvalg kan nå at drøfte den."
    ),
}


def register_demo_letter(hearing, moderator):
    """A letter from HovedMED, registered by the moderator (once)."""
    existing = HearingResponse.objects.filter(
        hearing=hearing, channel=Channel.LETTER, sender_name=DEMO_LETTER["sender_name"]
    ).first()
    if existing is not None:
        return existing
    registration = registering.Registration(
        channel=Channel.LETTER,
        received_at=hearing.closes_at - timedelta(days=4),
        **DEMO_LETTER,
    )
    return registering.register(moderator, hearing, registration).response


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
            "library": ["om-hoeringen", "saadan-behandler-vi-dine-svar"],
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
            "publish_responses": "after_moderation",
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


DEMO_TEXT_BLOCKS = [
    (
        "om-hoeringen",
        "Om høringen",
        "<p>Høringen giver dig mulighed for at komme med bemærkninger, før der træffes "
        "en beslutning. Alle svar bliver læst og indgår i den videre behandling.</p>",
    ),
    (
        "saadan-behandler-vi-dine-svar",
        "Sådan behandler vi dine svar",
        "<p>Vi samler alle høringssvar i et høringsnotat. Svarene journaliseres på sagen, "
        "og du kan læse konklusionen her, når høringen er afsluttet.</p>",
    ),
    (
        "kontakt",
        "Spørgsmål til høringen",
        "<p>Har du spørgsmål til høringen, kan du kontakte høringsansvarlig via "
        "kontaktoplysningerne nederst på siden.</p>",
    ),
]


def build_demo_library():
    """The shared library's standard paragraphs, keyed by their slug."""
    blocks = {}
    for slug, title, text in DEMO_TEXT_BLOCKS:
        blocks[slug], __ = TextBlockSnippet.objects.update_or_create(
            slug=slug, defaults={"title": title, "text": text}
        )
    return blocks


def build_demo(stdout=None):
    def say(message):
        if stdout is not None:
            stdout.write(message)

    call_command("import_kle", verbosity=0, stdout=stdout)
    site = Site.objects.get(is_default_site=True)
    site.site_name = "Agora Kommune"
    # Links in e-mails are built from the site's address: the one ``make run`` serves,
    # not Wagtail's default http://localhost/.
    served = urlsplit(settings.WAGTAILADMIN_BASE_URL)
    if served.hostname:
        site.hostname = served.hostname
        site.port = served.port or (443 if served.scheme == "https" else 80)
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

    consent, __ = ConsentText.objects.get_or_create(
        title="Offentliggørelse af høringssvar",
        defaults={
            "text": (
                "<p>Dit svar kan blive offentliggjort sammen med høringens konklusion. "
                "Dit navn vises ikke, hvis du svarer på egne vegne.</p>"
            )
        },
    )
    template, __ = ResponseFormTemplate.objects.get_or_create(name="Standardhøring")
    template.description = "Holdning, bemærkninger og samtykke."
    template.questions = standard_form("template", consent)
    template.save()
    types["Politik og strategi"].default_form_template = template
    types["Politik og strategi"].save()
    forms = {"hjemmearbejde": every_question_form(consent)}

    library = build_demo_library()
    index = HearingIndexPage.objects.child_of(site.root_page).get()
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
        hearing.body = spec["body"] + [
            {"type": "text_block", "value": library[key].pk} for key in spec.get("library", [])
        ]
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
        hearing.publish_responses = spec.get("publish_responses", "never")
        hearing.response_form = forms.get(spec["slug"]) or standard_form(spec["slug"], consent)
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
    statements = build_statements(site)
    say("Statements: " + ", ".join(page.title for page in statements))
    responses = build_demo_responses(hearings["ferieplanlaegning"], users)
    responses.append(register_demo_letter(hearings["ferieplanlaegning"], users["moderator"]))
    say("Responses to the closed hearing: " + ", ".join(r.reference for r in responses))
    parties = build_demo_parties(site, users, hearings)
    say("Hearing parties invited, answered and analysed: " + ", ".join(parties))

    nabo = build_nabo(site, types, subjects, consent, now)
    say(
        f"Second municipality: {nabo['site'].site_name} at {nabo['site'].hostname}, "
        f"users {', '.join(nabo['users'])}, hearing {nabo['hearing'].title}"
    )

    identities = build_identities(site, nabo["site"])
    say("Municipalities: " + ", ".join(m.display_name for m in identities))

    call_command("update_index", verbosity=0)
    call_command("rebuild_references_index", verbosity=0)
    say("Search and reference indexes rebuilt.")
    return {
        "departments": departments,
        "users": users,
        "hearings": hearings,
        "nabo": nabo,
    }


# The second municipality: its own site, home page, hearing index, departments, staff
# groups, users and one open hearing, to show (and test) that nobody sees across.
NABO_HOSTNAME = "nabo.localhost"
NABO_NAME = "Nabo Kommune"
NABO_DEPARTMENTS = [
    ("nabo", "Nabo Kommune", None),
    ("nabo-adm", "Nabo Administration", "nabo"),
    ("nabo-teknik", "Nabo Teknik og Miljø", "nabo"),
]
NABO_USERS = [
    # (username, first name, last name, roles, department code)
    ("nabo-editor", "Nina", "Redaktør", ["Hearing editors", "Response moderators"], "nabo-adm"),
    ("nabo1", "Niels", "Naboesen", [], "nabo-teknik"),
]


def build_nabo(default_site, types, subjects, consent, now):
    """Create or update Nabo Kommune, served at nabo.localhost on the default site's port."""
    site = Site.objects.filter(hostname=NABO_HOSTNAME).first()
    home = HomePage.objects.filter(pk=site.root_page_id).first() if site else None
    if home is None:
        home = HomePage(title=NABO_NAME, slug="nabo-kommune")
        Page.get_first_root_node().add_child(instance=home)
        home.save_revision(log_action=False).publish(log_action=False)
    if site is None:
        site = Site(hostname=NABO_HOSTNAME)
    site.port = default_site.port
    site.root_page = home
    site.site_name = NABO_NAME
    site.is_default_site = False
    site.save()

    index = HearingIndexPage.objects.child_of(home).first()
    if index is None:
        index = HearingIndexPage(title="Høringer", slug="hearings")
        home.add_child(instance=index)  # gets the approval workflow (hearings.sites)
        index.save_revision(log_action=False).publish(log_action=False)
    groups = sites.municipality_groups(site, index)

    departments = {}
    for code, name, parent_code in NABO_DEPARTMENTS:
        department, __ = Department.objects.update_or_create(
            site=site,
            code=code,
            defaults={"name": name, "parent": departments.get(parent_code)},
        )
        departments[code] = department

    users = {}
    User = get_user_model()
    for username, first, last, roles, department_code in NABO_USERS:
        user, created = User.objects.get_or_create(username=username)
        user.first_name, user.last_name = first, last
        user.email = f"{username}@nabo.example"
        user.is_superuser = user.is_staff = False
        user.is_active = True
        if created or not user.check_password(PASSWORD):
            user.set_password(PASSWORD)
        user.save()
        user.groups.add(*[groups[role] for role in roles])
        EmployeeProfile.objects.update_or_create(
            user=user, defaults={"department": departments[department_code]}
        )
        users[username] = user

    slug = "ny-affaldsordning"
    hearing = HearingPage.objects.child_of(index).filter(slug=slug).first()
    is_new = hearing is None
    hearing = HearingPage(slug=slug, live=False) if is_new else hearing.specific
    hearing.title = "Ny affaldsordning i Nabo Kommune"
    hearing.summary = "Forslag om sortering i ti fraktioner og tømning hver anden uge."
    hearing.body = [
        heading("Forslaget"),
        paragraph("Fra 2027 sorteres affald i ti fraktioner, og der tømmes hver anden uge."),
    ]
    hearing.opens_at = now - timedelta(days=2)
    hearing.closes_at = now + timedelta(days=12)
    hearing.hearing_type = types["Politik og strategi"]
    hearing.subject_area = subjects["Økonomi"]
    hearing.hearing_owner = users["nabo-editor"]
    hearing.contact_person = users["nabo-editor"]
    hearing.response_form = standard_form(f"nabo-{slug}", consent)
    if is_new:
        index.add_child(instance=hearing)
    hearing.invited_departments.set([departments["nabo"]])
    revision = hearing.save_revision(user=users["nabo-editor"], log_action=is_new)
    revision.publish(log_action=False)  # Nabo's editor cannot publish: approved as setup
    build_statements(site)
    return {
        "site": site,
        "index": index,
        "departments": departments,
        "users": users,
        "hearing": HearingPage.objects.get(pk=hearing.pk),
    }


# Each demo municipality's identity: name, made-up CVR number, contact and a logo drawn
# for the demo (hearings/data/demo/*.svg, no real municipality's arms).
DEMO_LOGOS = Path(__file__).resolve().parent / "data" / "demo"
IDENTITIES = {
    "default": {
        "name": "Agora Kommune",
        "cvr": "12345678",
        "accent_colour": AccentColour.BLUE,
        "contact_email": "hoeringer@agora.example",
        "contact_phone": "70 10 20 30",
        "contact_address": "Rådhuspladsen 1\n1234 Agora",
        "website": "https://agora.example/",
        "logo": "agora-kommune.svg",
    },
    "nabo": {
        "name": NABO_NAME,
        "cvr": "87654321",
        "accent_colour": AccentColour.GREEN,
        "contact_email": "kontakt@nabo.example",
        "contact_phone": "70 40 50 60",
        "contact_address": "Torvet 2\n5678 Naboby",
        "website": "https://nabo.example/",
        "logo": "nabo-kommune.svg",
    },
}


def build_identities(default_site, nabo_site):
    """Set both demo municipalities' settings; the logo is stored once, not per run."""
    identities = []
    for site, values in ((default_site, IDENTITIES["default"]), (nabo_site, IDENTITIES["nabo"])):
        identity = MunicipalitySettings.for_site(site)
        values = dict(values)
        logo_name = values.pop("logo")
        for field, value in values.items():
            setattr(identity, field, value)
        stored = identity.logo.name if identity.logo else ""
        current = Path(stored).name.startswith(Path(logo_name).stem)
        if not (current and identity.logo.storage.exists(stored)):
            content = (DEMO_LOGOS / logo_name).read_bytes()
            identity.logo.save(logo_name, ContentFile(content), save=False)
        identity.save()
        identities.append(identity)
    return identities


# Hearing parties, their invitations and answers, and the analysis of the closed hearing
# with its memo. Kept apart from ``build_demo``'s own steps, which calls it once.
DEMO_PARTIES = [
    # (name, kind, contact usernames, contact addresses)
    ("HovedMED", PartyKind.MED_COMMITTEE, ["employee2"], ["hovedmed@agora.example"]),
    ("Handicaprådet", PartyKind.COUNCIL, ["employee1"], ["handicapraadet@agora.example"]),
]
DEMO_PARTY_HEARINGS = ["ferieplanlaegning", "hjemmearbejde"]
HANDICAP_LETTER = {
    "sender_name": "Birgit Holm",
    "sender_organisation": "Handicaprådet",
    "text": (
        "Handicaprådet bakker op, men ferieplanlægningen skal kunne bruges med "
        "skærmlæser, og ansatte med handicap skal kunne få hjælp til at søge ferie."
    ),
}
DEMO_THEMES = [
    # (name, summary, the administration's comment, response keys)
    (
        "Fælles system",
        "Flere svar støtter et fælles system; ét svar foretrækker det nuværende.",
        "Administrationen fastholder et fælles system, som giver overblik på tværs.",
        ["employee1", "employee3", "hovedmed"],
    ),
    (
        "Frist for ferieønsker",
        "Fristen 1. marts opleves som for tidlig, især i teknisk service og MED.",
        "Fristen imødekommes: den flyttes til 1. april.",
        ["employee2", "hovedmed"],
    ),
    (
        "Tilgængelighed",
        "Systemet skal kunne bruges af alle ansatte.",
        "Imødekommes: systemet testes med skærmlæser før det tages i brug.",
        ["handicap"],
    ),
]
DEMO_COMMENTS = {
    "employee1": "Vikarer indgår i planen på lige fod med fastansatte.",
    "employee2": "Imødekommes: fristen flyttes til 1. april.",
    "employee3": "Ikke imødekommet: det fælles system giver overblik på tværs.",
    "hovedmed": "Imødekommes: fristen flyttes, så de lokale MED-udvalg kan drøfte den.",
    "handicap": "Imødekommes: tilgængelighed testes, og HR tilbyder hjælp.",
}
DEMO_MEMO_CHANGES = (
    "Fristen for ferieønsker flyttes fra 1. marts til 1. april. Systemet testes med "
    "skærmlæser, før det tages i brug."
)


def build_demo_parties(site, users, hearings):
    """HovedMED and Handicaprådet: invited to the open home-working hearing and the
    closed holiday-planning hearing, their invitations queued, their letters to the
    closed hearing registered as the parties' answers; then themes, free tags and the
    administration's comments on that hearing, and its memo written and approved."""
    parties = {}
    for name, kind, usernames, addresses in DEMO_PARTIES:
        party, __ = HearingParty.objects.update_or_create(
            name=name, site=site, defaults={"kind": kind, "contact_emails": "\n".join(addresses)}
        )
        party.contact_users.set([users[username] for username in usernames])
        parties[name] = party
    for slug in DEMO_PARTY_HEARINGS:
        hearing = hearings[slug]
        hearing.invited_parties.set(parties.values())
        hearing.save_revision(user=users["editor"], log_action=False).publish(
            user=users["approver"], log_action=False
        )
        hearings[slug] = HearingPage.objects.get(pk=hearing.pk)
        invitations.invite(hearings[slug])

    closed = hearings["ferieplanlaegning"]
    letters = {
        "hovedmed": register_demo_letter(closed, users["moderator"]),
        "handicap": register_party_letter(
            closed, users["moderator"], HANDICAP_LETTER, parties["Handicaprådet"]
        ),
    }
    # The HovedMED letter is registered by ``build_demo`` (before parties existed).
    HearingResponse.objects.filter(pk=letters["hovedmed"].pk).update(
        party=parties["HovedMED"], on_behalf_of_name="HovedMED"
    )
    responses = {
        username: HearingResponse.objects.get(hearing=closed, respondent=users[username])
        for username, *__ in HOLIDAY_ANSWERS
    }
    responses.update(
        {key: HearingResponse.objects.get(pk=letter.pk) for key, letter in letters.items()}
    )
    for order, (name, summary, comment, keys) in enumerate(DEMO_THEMES):
        theme, __ = HearingTheme.objects.update_or_create(
            hearing=closed,
            name=name,
            defaults={"summary": summary, "comment": comment, "sort_order": order},
        )
        for key in keys:
            responses[key].themes.add(theme)
    responses["employee2"].tags.add("teknisk service")
    responses["hovedmed"].tags.add("MED")
    for key, comment in DEMO_COMMENTS.items():
        HearingResponse.objects.filter(pk=responses[key].pk).update(administration_comment=comment)

    closed.memo_changes = DEMO_MEMO_CHANGES
    closed.memo = memo.draft_html(closed)
    closed.memo_approved = True
    closed.save_revision(user=users["editor"], log_action=False).publish(
        user=users["approver"], log_action=False
    )
    hearings["ferieplanlaegning"] = HearingPage.objects.get(pk=closed.pk)
    return parties


def register_party_letter(hearing, moderator, letter, party):
    """A letter from a hearing party, registered by the moderator as its answer (once)."""
    existing = HearingResponse.objects.filter(
        hearing=hearing, channel=Channel.LETTER, sender_name=letter["sender_name"]
    ).first()
    if existing is not None:
        return existing
    registration = registering.Registration(
        channel=Channel.LETTER,
        received_at=hearing.closes_at - timedelta(days=3),
        party=party,
        **letter,
    )
    return registering.register(moderator, hearing, registration).response

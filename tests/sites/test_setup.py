"""A municipality's setup: its audience, its approval workflow, its home page, the demo."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from wagtail.models import Page, Site, WorkflowPage

from hearings import sites
from hearings.models import GroupSite, HearingIndexPage, HearingPage
from home.models import HomePage


@pytest.mark.django_db
def test_a_department_of_another_municipality_is_refused_as_audience(two_sites):
    hearing = two_sites["hearings"]["agora"]
    hearing.invited_departments.set([two_sites["departments"]["nabo"]])
    with pytest.raises(ValidationError) as refused:
        hearing.full_clean()
    message = " ".join(refused.value.message_dict["invited_departments"])
    assert "nabo kommune" in message
    hearing.invited_departments.set([two_sites["departments"]["agora"]])
    hearing.full_clean()  # its own municipality's department is fine


@pytest.mark.django_db
def test_the_editor_is_told_in_danish_when_inviting_another_municipalitys_department(two_sites):
    hearing = two_sites["hearings"]["agora"]
    user = two_sites["users"][("superuser", "agora")]
    form_class = HearingPage.get_edit_handler().get_form_class()
    bound = form_class(instance=hearing, parent_page=hearing.get_parent(), for_user=user)
    bound.cleaned_data = {"invited_departments": [two_sites["departments"]["nabo"]]}
    bound._errors = {}
    bound._clean_departments(bound.cleaned_data)
    message = str(bound._errors["invited_departments"][0])
    assert message.startswith("Kun afdelinger i høringens kommune kan inviteres")
    assert "nabo kommune" in message


@pytest.mark.django_db
def test_every_hearing_index_gets_the_hearing_approval_workflow(two_sites):
    workflows = {
        index.pk: WorkflowPage.objects.get(page=index).workflow
        for index in two_sites["indexes"].values()
    }
    assert len(set(w.pk for w in workflows.values())) == 1
    assert next(iter(workflows.values())).name == sites.WORKFLOW_NAME


@pytest.mark.django_db
def test_each_municipality_has_its_own_home_page(two_sites):
    assert HomePage.objects.count() == 2
    root = Page.get_first_root_node()
    assert HomePage.can_create_at(root)
    assert not HomePage.can_create_at(two_sites["indexes"]["nabo"])


@pytest.mark.django_db
def test_the_original_staff_groups_belong_to_the_default_site(two_sites):
    default = Site.objects.get(is_default_site=True)
    for name in ("Hearing editors", "Hearing approvers", "Response moderators"):
        assert GroupSite.objects.get(group__name=name).site == default
    for role in sites.STAFF_ROLES:
        group_site = GroupSite.objects.get(group__name=f"Nabo Kommune: {role}")
        assert group_site.site == two_sites["sites"]["nabo"]


@pytest.mark.django_db
def test_the_demo_has_two_municipalities_and_their_people(client, settings):
    settings.DEBUG = True
    call_command("load_demo", verbosity=0, stdout=open("/dev/null", "w"))
    call_command("load_demo", verbosity=0, stdout=open("/dev/null", "w"))  # idempotent
    nabo = Site.objects.get(hostname="nabo.localhost")
    default = Site.objects.get(is_default_site=True)
    assert nabo.site_name == "Nabo Kommune" and nabo.port == default.port
    assert Site.objects.count() == 2 and HomePage.objects.count() == 2
    index = HearingIndexPage.objects.child_of(nabo.root_page).get()
    assert WorkflowPage.objects.get(page=index).workflow.name == sites.WORKFLOW_NAME
    nabo_hearings = HearingPage.objects.descendant_of(nabo.root_page).live()
    assert [h.phase for h in nabo_hearings] == ["open"]
    nabo_hearing = nabo_hearings.get()

    assert client.login(username="nabo1", password="demo")
    host = {"HTTP_HOST": "nabo.localhost"}
    home = client.get("/", **host).content.decode()
    assert nabo_hearing.title in home
    assert "Ny politik for hjemmearbejde" not in home
    page = client.get(nabo_hearing.get_url_parts()[2], **host)
    assert page.status_code == 200

    assert client.login(username="nabo-editor", password="demo")
    agora_hearing = HearingPage.objects.descendant_of(default.root_page).get(
        slug="ferieplanlaegning"
    )
    agora_response = agora_hearing.responses.handed_in().first()
    assert client.get(f"/api/v1/responses/{agora_response.pk}").status_code == 404
    inspect = reverse("hearing_responses:inspect", args=[agora_response.pk])
    assert client.get(inspect).status_code in (302, 403)
    export = reverse("hearing_responses:export", args=[agora_hearing.pk, "csv"])
    assert client.get(export).status_code in (302, 403)
    dashboard = client.get("/admin/").content.decode()
    assert nabo_hearing.title in dashboard and agora_hearing.title not in dashboard


@pytest.mark.django_db
def test_the_editor_is_offered_only_the_own_municipalitys_departments(client, two_sites):
    client.force_login(two_sites["users"][("editor", "nabo")])
    hearing = two_sites["hearings"]["nabo"]
    answer = client.get(reverse("wagtailadmin_pages:edit", args=[hearing.pk]))
    assert answer.status_code == 200
    offered = set(answer.context["form"].fields["invited_departments"].queryset)
    assert offered == {two_sites["departments"]["nabo"]}
    other = client.get(
        reverse("wagtailadmin_pages:edit", args=[two_sites["hearings"]["agora"].pk])
    )
    assert other.status_code in (302, 403)


@pytest.mark.django_db
def test_a_response_s_pages_are_paths_on_the_server_the_person_came_by(settings):
    """With two sites Wagtail's ``page.url`` is absolute (the site's host): the receipt
    redirect sent a person who came by another name (localhost) to an unknown host."""
    from hearings.demo import build_demo
    from hearings.models import HearingResponse

    settings.DEBUG = True
    build_demo()
    assert Site.objects.count() == 2
    response = HearingResponse.objects.exclude(reference="").first()
    path = response.page_path("receipt")
    assert path.startswith("/hearings/") and path.endswith(f"/response/{response.pk}/receipt/")


def options(html, name):
    """The usernames a <select name=...> in the page editor offers (its labels end in
    the username, in brackets when the person has a name)."""
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S).group(1)
    labels = re.findall(r"<option value=\"\d+\"[^>]*>([^<]*)</option>", select)
    return {re.sub(r"^.*\((.*)\)$", r"\1", label.strip()) for label in labels}


@pytest.mark.django_db
@pytest.mark.parametrize("muni", ["agora", "nabo"])
def test_the_editor_chooses_owner_and_contact_among_the_municipality_s_own_people(
    client, two_sites, muni
):
    other = {"agora": "nabo", "nabo": "agora"}[muni]
    hearing, users = two_sites["hearings"][muni], two_sites["users"]
    users[("employee", muni)].first_name = "Emma"
    users[("employee", muni)].save()
    client.force_login(users[("editor", muni)])
    html = client.get(reverse("wagtailadmin_pages:edit", args=[hearing.pk])).content.decode()
    for name in ("hearing_owner", "contact_person"):
        offered = options(html, name)
        assert {f"employee-{muni}", f"editor-{muni}", f"moderator-{muni}"} <= offered
        assert not {f"{role}-{other}" for role in ("employee", "editor", "moderator")} & offered
        assert "root" not in offered  # the installation's superuser is nobody's colleague
    assert f"Emma (employee-{muni})" in html


@pytest.mark.django_db
def test_a_person_of_another_municipality_is_refused_as_contact(two_sites):
    hearing, users = two_sites["hearings"]["nabo"], two_sites["users"]
    form_class = HearingPage.get_edit_handler().get_form_class()
    form = form_class(
        instance=hearing, parent_page=hearing.get_parent(), for_user=users[("editor", "nabo")]
    )
    field = form.fields["contact_person"]
    with pytest.raises(ValidationError):
        field.clean(users[("employee", "agora")].pk)
    assert field.clean(users[("employee", "nabo")].pk) == users[("employee", "nabo")]


@pytest.mark.django_db
def test_the_page_types_usage_report_is_the_superuser_s_with_several_municipalities(
    client, two_sites
):
    """It counts every municipality's pages and names the one edited last (Agora's
    hearing was shown to Nabo's editor)."""
    report = reverse("wagtailadmin_reports:page_types_usage")
    results = reverse("wagtailadmin_reports:page_types_usage_results")
    client.force_login(two_sites["users"][("editor", "nabo")])
    for address in (report, results):
        refused = client.get(address)
        assert refused.status_code == 302 and refused.url == reverse("wagtailadmin_home")
    assert f'"url": "{report}"' not in client.get(reverse("wagtailadmin_home")).content.decode()

    client.force_login(two_sites["users"][("superuser", "agora")])
    assert f'"url": "{report}"' in client.get(reverse("wagtailadmin_home")).content.decode()
    assert two_sites["hearings"]["nabo"].title in client.get(report).content.decode()

"""``make_multisite`` turns a single-site installation into the per-municipality shape,
losing nothing, and changes nothing the second time; departments stay per municipality
in the admin."""

import io

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.urls import reverse
from wagtail.models import GroupPagePermission, Site, WorkflowPage

from hearings.models import (
    Department,
    GroupSite,
    HearingIndexPage,
    HearingSettings,
    MunicipalitySettings,
    PrivacySettings,
    TextBlockSnippet,
)

pytestmark = pytest.mark.django_db


def run(*args):
    out = io.StringIO()
    call_command("make_multisite", *args, stdout=out)
    return out.getvalue()


def snapshot():
    return {
        "groups": set(GroupSite.objects.values_list("group__name", "site_id")),
        "municipalities": set(MunicipalitySettings.objects.values_list("site_id", "name")),
        "workflows": set(WorkflowPage.objects.values_list("page_id", "workflow_id")),
        "library": set(TextBlockSnippet.objects.values_list("slug", "site_id")),
        "departments": set(Department.objects.values_list("name", "site_id")),
    }


def test_a_single_site_installation_becomes_a_municipality_without_losing_anything(site):
    site.site_name = "Gammel Kommune"
    site.save()
    MunicipalitySettings.objects.all().delete()
    HearingSettings.objects.filter(site=site).delete()
    PrivacySettings.objects.filter(site=site).delete()
    index = HearingIndexPage.objects.child_of(site.root_page).get()
    WorkflowPage.objects.filter(page=index).delete()
    # An older installation's own staff group, with page permissions on the hearings.
    group = Group.objects.create(name="Kommunikation")
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    GroupPagePermission.objects.create(
        group=group,
        page=index,
        permission=Permission.objects.get(codename="change_page"),
    )
    Department.objects.create(site=site, name="Forvaltningen", code="forv")
    TextBlockSnippet.objects.create(slug="om", title="Om høringen", text="<p>x</p>")
    before = snapshot()

    dry = run("--dry-run")
    assert "would: " in dry and snapshot() == before

    done = run()
    assert "Gammel Kommune" in done
    assert MunicipalitySettings.for_site(site).display_name == "Gammel Kommune"
    assert GroupSite.objects.get(group=group).site == site
    assert WorkflowPage.objects.filter(page=index).exists()
    assert HearingSettings.objects.filter(site=site).exists()
    assert PrivacySettings.objects.filter(site=site).exists()
    assert TextBlockSnippet.objects.get(slug="om").site is None  # still shared
    assert "stay shared" in done
    after = snapshot()
    assert before["departments"] == after["departments"]
    assert before["groups"] <= after["groups"]

    again = run()
    assert again.strip() == "1 library item(s) stay shared by every municipality"
    assert snapshot() == after


def test_a_municipality_name_already_set_is_kept(site):
    municipality = MunicipalitySettings.for_site(site)
    municipality.name = "Valgt navn"
    municipality.save()
    run()
    assert MunicipalitySettings.for_site(site).name == "Valgt navn"


def test_a_department_of_another_municipality_is_not_found_in_the_admin(client, two_sites):
    editor = two_sites["users"][("editor", "agora")]
    client.force_login(editor)
    nabo_department = two_sites["departments"]["nabo"]
    name = "wagtailsnippets_hearings_department"
    assert client.get(reverse(f"{name}:edit", args=[nabo_department.pk])).status_code in (
        302,
        403,
        404,
    )
    # Even an editor who may change departments gets only their own municipality's.
    editor.user_permissions.add(
        *Permission.objects.filter(codename__in=["add_department", "change_department"])
    )
    editor = type(editor).objects.get(pk=editor.pk)
    client.force_login(editor)
    form = client.get(reverse(f"{name}:add")).context["form"]
    assert set(form.fields["site"].queryset) == {two_sites["sites"]["agora"]}
    assert nabo_department not in set(form.fields["parent"].queryset)
    answer = client.post(
        reverse(f"{name}:edit", args=[nabo_department.pk]),
        {"site": two_sites["sites"]["nabo"].pk, "name": "Overtaget", "code": "x"},
    )
    assert answer.status_code in (302, 403, 404)
    nabo_department.refresh_from_db()
    assert nabo_department.name != "Overtaget"
    assert Site.objects.count() == 2

"""Who keeps a library item for which municipality: an editor keeps items for their own;
sharing an item with every municipality (or changing a shared one) is for superusers and
holders of "share library items"."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from hearings.models import GroupSite, HearingType

pytestmark = pytest.mark.django_db

ADD = reverse("wagtailsnippets_hearings_hearingtype:add")


def may_manage_hearing_types(user, share=False):
    codenames = ["add_hearingtype", "change_hearingtype", "view_hearingtype"]
    if share:
        codenames.append("share_library_items")
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="hearings", codename__in=codenames)
    )


def add(client, name, site):
    return client.post(
        ADD, {"name": name, "description": "", "site": site.pk if site else ""}, follow=False
    )


def test_an_editor_keeps_an_item_for_their_own_municipality_only(client, staff, site, other_site):
    may_manage_hearing_types(staff["own"])
    client.force_login(staff["own"])
    form = client.get(ADD).context["form"]
    assert set(form.fields["site"].queryset) == {site}
    assert form.fields["site"].required

    assert add(client, "Nabos type", other_site).status_code == 200
    assert add(client, "Fælles type", None).status_code == 200
    assert not HearingType.objects.filter(name__in=["Nabos type", "Fælles type"]).exists()

    assert add(client, "Egen type", site).status_code == 302
    assert HearingType.objects.get(name="Egen type").site == site


def test_a_superuser_or_a_holder_of_the_permission_shares_an_item(client, staff, site):
    client.force_login(staff["root"])
    assert add(client, "Fælles af admin", None).status_code == 302
    assert HearingType.objects.get(name="Fælles af admin").site is None

    may_manage_hearing_types(staff["other"], share=True)
    client.force_login(staff["other"])
    assert add(client, "Fælles af Nabo", None).status_code == 302
    assert HearingType.objects.get(name="Fælles af Nabo").site is None


def test_a_shared_item_is_changed_only_by_those_who_may_share(client, staff):
    shared = HearingType.objects.create(name="Fælles")
    may_manage_hearing_types(staff["own"])
    client.force_login(staff["own"])
    edit = reverse("wagtailsnippets_hearings_hearingtype:edit", args=[shared.pk])
    answer = client.post(edit, {"name": "Ændret", "description": "", "site": ""})
    assert answer.status_code in (302, 403, 404)
    shared.refresh_from_db()
    assert shared.name == "Fælles"


def test_an_editor_without_a_department_keeps_items_for_their_group_s_municipality(
    client, make_user, site, other_site
):
    editor = make_user("group-editor", is_staff=True, groups=["Hearing editors"])
    assert GroupSite.objects.get(group__name="Hearing editors").site == site
    may_manage_hearing_types(editor)
    client.force_login(editor)
    assert add(client, "Via gruppen", other_site).status_code == 200
    assert add(client, "Via gruppen", site).status_code == 302
    assert HearingType.objects.get(name="Via gruppen").site == site

"""The shared library: text blocks in a hearing's body, items shared or kept to one site."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from hearings import access
from hearings.demo import build_demo
from hearings.models import (
    Audience,
    ConsentText,
    HearingPage,
    HearingType,
    ResponseFormTemplate,
    TextBlockSnippet,
)

pytestmark = pytest.mark.django_db


def test_a_text_block_in_a_hearing_body_renders_its_current_text(client, make_hearing):
    block = TextBlockSnippet.objects.create(
        title="Om høringen", slug="om-hoeringen", text="<p>Første udgave.</p>"
    )
    hearing = make_hearing(
        audience=Audience.PUBLIC,
        body=[
            {"type": "paragraph", "value": "<p>Indledning.</p>"},
            {"type": "text_block", "value": block.pk},
        ],
    )
    assert "Første udgave." in client.get(hearing.url).content.decode()

    block.text = "<p>Anden udgave, &lt;rettet&gt;.</p>"
    block.save()
    page = client.get(hearing.url).content.decode()
    assert "Anden udgave, &lt;rettet&gt;." in page
    assert "Første udgave." not in page


def test_a_deleted_text_block_leaves_the_hearing_readable(client, make_hearing):
    block = TextBlockSnippet.objects.create(title="Kontakt", slug="kontakt", text="<p>Ring.</p>")
    hearing = make_hearing(
        audience=Audience.PUBLIC, body=[{"type": "text_block", "value": block.pk}]
    )
    block.delete()
    response = client.get(hearing.url)
    assert response.status_code == 200
    assert "Ring." not in response.content.decode()


LIBRARY = [
    (TextBlockSnippet, lambda name, site: {"title": name, "slug": name, "text": "<p>x</p>"}),
    (ConsentText, lambda name, site: {"title": name, "text": "<p>x</p>"}),
    (ResponseFormTemplate, lambda name, site: {"name": name}),
    (HearingType, lambda name, site: {"name": name}),
]


def make_items(model, fields, site, other_site):
    return {
        "shared": model.objects.create(**fields("shared-item", None)),
        "own": model.objects.create(site=site, **fields("own-item", site)),
        "other": model.objects.create(site=other_site, **fields("other-item", other_site)),
    }


@pytest.mark.parametrize(("model", "fields"), LIBRARY, ids=lambda v: getattr(v, "__name__", ""))
def test_each_person_sees_shared_and_own_site_items(model, fields, site, other_site, staff):
    items = make_items(model, fields, site, other_site)
    names = {item.pk: key for key, item in items.items()}

    def seen(user):
        return {
            names[pk]
            for pk in access.visible_library_items(user, model.objects.all()).values_list(
                "pk", flat=True
            )
        }

    assert seen(staff["own"]) == {"shared", "own"}
    assert seen(staff["other"]) == {"shared", "other"}
    assert seen(staff["root"]) == {"shared", "own", "other"}


@pytest.mark.parametrize(("model", "fields"), LIBRARY, ids=lambda v: getattr(v, "__name__", ""))
def test_the_admin_listing_and_chooser_hide_other_sites_items(
    model, fields, client, site, other_site, staff
):
    items = make_items(model, fields, site, other_site)
    staff["own"].user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="hearings", codename__endswith=model._meta.model_name
        )
    )
    client.force_login(staff["own"])
    meta = model._meta
    listing = client.get(reverse(f"wagtailsnippets_hearings_{meta.model_name}:list"))
    chooser = client.get(reverse(f"wagtailsnippetchoosers_hearings_{meta.model_name}:choose"))
    for response in (listing, chooser):
        assert response.status_code == 200
        html = response.content.decode()
        assert str(items["own"]) in html
        assert str(items["shared"]) in html
        assert str(items["other"]) not in html


def test_the_demo_has_standard_paragraphs_and_a_hearing_uses_them(db):
    build_demo()
    build_demo()  # loading twice creates nothing twice
    titles = set(TextBlockSnippet.objects.values_list("title", flat=True))
    assert {"Om høringen", "Sådan behandler vi dine svar"} <= titles
    assert TextBlockSnippet.objects.count() == len(titles)
    hearing = HearingPage.objects.get(slug="hjemmearbejde")
    used = [child.value.title for child in hearing.body if child.block_type == "text_block"]
    assert used == ["Om høringen", "Sådan behandler vi dine svar"]
    assert "Vi samler alle høringssvar i et høringsnotat." in str(hearing.body)


def test_a_hearing_offers_only_shared_and_its_own_sites_hearing_types(
    make_hearing, site, other_site, staff
):
    items = make_items(HearingType, LIBRARY[3][1], site, other_site)
    hearing = make_hearing()
    form_class = hearing.get_edit_handler().get_form_class()
    form = form_class(instance=hearing, for_user=staff["root"], parent_page=hearing.get_parent())
    offered = set(form.fields["hearing_type"].queryset)
    assert offered == {items["shared"], items["own"]}


@pytest.mark.parametrize(("model", "fields"), LIBRARY, ids=lambda v: getattr(v, "__name__", ""))
def test_another_sites_item_cannot_be_opened_by_its_url(
    model, fields, client, site, other_site, staff
):
    items = make_items(model, fields, site, other_site)
    staff["own"].user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="hearings", codename__endswith=model._meta.model_name
        )
    )
    client.force_login(staff["own"])
    name = f"wagtailsnippets_hearings_{model._meta.model_name}"
    own = client.get(reverse(f"{name}:edit", args=[items["own"].pk]))
    assert own.status_code == 200
    for view in ("edit", "delete", "usage", "history", "copy"):
        response = client.get(reverse(f"{name}:{view}", args=[items["other"].pk]))
        assert response.status_code in (302, 403, 404)
        assert str(items["other"]) not in response.content.decode()
    assert model.objects.filter(pk=items["other"].pk).exists()

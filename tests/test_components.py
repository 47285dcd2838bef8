"""DKFDS components on the public pages: alerts carry DKFDS's icon from the sprite the
portal serves itself, long hearing material folds into an accordion, labels are tags."""

import pytest
from django.contrib.staticfiles import finders
from django.template import Context, Template

from hearings.templatetags.hearing_tags import ACCORDION_FROM_SECTIONS

pytestmark = pytest.mark.django_db


def sections(count):
    body = []
    for number in range(count):
        body.append({"type": "heading", "value": {"text": f"Afsnit {number}", "level": "h2"}})
        body.append({"type": "paragraph", "value": f"<p>Tekst til afsnit {number}.</p>"})
    return body


def test_long_hearing_material_is_an_accordion_with_the_first_section_open(client, make_hearing):
    hearing = make_hearing(
        title="Lang høring",
        body=[{"type": "paragraph", "value": "<p>Indledning.</p>"}]
        + sections(ACCORDION_FROM_SECTIONS),
        audience="public",
    )

    html = client.get(hearing.url).content.decode()

    assert '<ul class="accordion agora-body-accordion">' in html
    assert html.count('class="accordion-button"') == ACCORDION_FROM_SECTIONS
    assert html.count('aria-expanded="true"') == 1
    assert html.index("Indledning.") < html.index("accordion-button")  # the intro stays open
    assert "Tekst til afsnit 2." in html  # in the page, for print and for search


def test_short_hearing_material_stays_plain(client, make_hearing):
    hearing = make_hearing(title="Kort høring", body=sections(2), audience="public")

    html = client.get(hearing.url).content.decode()

    assert "accordion-button" not in html
    assert "<h2>Afsnit 1</h2>" in html


@pytest.mark.parametrize(
    ("kind", "icon"), [("info", "info"), ("success", "check"), ("error", "error")]
)
def test_alerts_show_dkfds_icons_from_the_portals_own_sprite(kind, icon):
    html = Template("{% load hearing_tags %}{% alert_icon kind %}").render(Context({"kind": kind}))

    assert f'href="/static/dkfds/img/all-svg-icons.svg#{icon}"' in html
    assert 'aria-hidden="true"' in html
    sprite = finders.find("dkfds/img/all-svg-icons.svg")
    assert f'id="{icon}"' in open(sprite, encoding="utf-8").read()

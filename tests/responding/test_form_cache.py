"""A fresh answer form's questions are rendered once per process and kept (#16): the
same for everyone with the same form, language and departments; never what one person
typed, their draft or their files; a changed form or another language is rendered anew."""

import re
import uuid

import pytest
from django.template import loader
from django.utils import translation

from hearings.forms import ResponseForm
from hearings.models import HearingPage

from .conftest import valid_post

pytestmark = pytest.mark.django_db

TOKENS = re.compile(r'name="(csrfmiddlewaretoken|token)" value="[^"]*"|value="[^"]*" name="token"')


@pytest.fixture
def renders(monkeypatch):
    """How often the questions template is rendered."""
    seen = []
    original = loader.render_to_string

    def counting(template_name, *args, **kwargs):
        if template_name == "hearings/responding/questions.html":
            seen.append(template_name)
        return original(template_name, *args, **kwargs)

    monkeypatch.setattr("hearings.forms.render_to_string", counting)
    return seen


def the_form(html):
    """The answer form of a page, its tokens blanked."""
    start = html.rindex("<form", 0, html.index("agora-response-form"))
    return TOKENS.sub("TOKEN", html[start : html.index("</form>", start)])


def form_html(client, hearing):
    answer = client.get(hearing.url)
    assert answer.status_code == 200
    return the_form(answer.content.decode())


def test_two_people_get_the_same_questions_rendered_once_with_their_own_tokens(
    client, open_hearing, audience, renders
):
    client.force_login(audience["employee"])
    first = client.get(open_hearing.url).content.decode()
    client.force_login(audience["colleague"])
    second = client.get(open_hearing.url).content.decode()
    assert len(renders) == 1
    tokens = [re.findall(r'name="token" value="([^"]+)"', page) for page in (first, second)]
    assert tokens[0] and tokens[1] and tokens[0] != tokens[1]  # one submission token each
    assert the_form(first) == the_form(second) == form_html(client, open_hearing)
    assert "Din titel" in second  # the questions are there


def test_what_a_person_typed_is_never_kept_for_others(client, open_hearing, audience, renders):
    client.force_login(audience["employee"])
    refused = client.post(
        open_hearing.url, valid_post(uuid.uuid4(), **{"q-short": "Min egen titel", "q-yesno": ""})
    )
    assert refused.status_code == 200 and "Min egen titel" in refused.content.decode()
    client.force_login(audience["colleague"])
    assert "Min egen titel" not in form_html(client, open_hearing)
    assert len(renders) == 2  # the refused post's form was rendered for its author alone


def test_a_draft_is_never_taken_from_or_put_in_the_kept_questions(
    client, open_hearing, audience, renders
):
    client.force_login(audience["employee"])
    draft = valid_post(uuid.uuid4(), action="draft", **{"q-short": "Kladde"})
    client.post(open_hearing.url, draft)
    assert "Kladde" in form_html(client, open_hearing)
    client.force_login(audience["colleague"])
    assert "Kladde" not in form_html(client, open_hearing)


def test_a_changed_form_or_another_language_is_rendered_anew(
    client, open_hearing, audience, renders
):
    client.force_login(audience["employee"])
    form_html(client, open_hearing)
    form = open_hearing.response_form
    data = form.raw_data
    for block in data:
        if block["id"] == "short":
            block["value"]["label"] = "Din nye titel"
    open_hearing.response_form = data
    open_hearing.save_revision().publish()
    hearing = HearingPage.objects.get(pk=open_hearing.pk)
    assert "Din nye titel" in form_html(client, hearing)
    assert len(renders) == 2

    keys = set()
    for language in ("da", "en"):
        with translation.override(language):
            keys.add(ResponseForm(hearing, user=audience["employee"])._questions_cache_key())
    assert len(keys) == 2 and None not in keys

"""Breadcrumbs are complete on every page below the front page: the receipt names the
hearing index ("Høringer") and the hearing, and nothing is skipped."""

import re
import uuid

import pytest
from django.conf import settings
from django.utils import translation

from .conftest import valid_post

pytestmark = pytest.mark.django_db


def crumbs(html):
    nav = re.search(r'<nav class="breadcrumbs".*?</nav>', html, re.S).group(0)
    return [re.sub(r"<[^>]+>", "", item).strip() for item in re.findall(r"<li.*?</li>", nav, re.S)]


def test_the_receipt_and_the_hearing_show_the_whole_path(
    client, open_hearing, audience, django_capture_on_commit_callbacks
):
    client.force_login(audience["employee"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "da"
    with translation.override("da"):
        home, receipt = translation.gettext("Home"), translation.gettext("Receipt")
    index = open_hearing.get_parent().title

    assert crumbs(client.get(open_hearing.url).content.decode()) == [
        home,
        index,
        open_hearing.title,
    ]
    with django_capture_on_commit_callbacks(execute=True):
        answered = client.post(open_hearing.url, valid_post(uuid.uuid4()))
    html = client.get(answered.url).content.decode()

    assert crumbs(html) == [home, index, open_hearing.title, receipt]
    index_path = open_hearing.get_parent().get_url_parts()[2]
    assert f'href="{index_path}" class="breadcrumbs__link"' in html
    assert html.count("<h1") == 1


def test_the_index_search_and_my_data_have_breadcrumbs_and_one_h1(client, audience):
    client.force_login(audience["employee"])
    for path in ("/hearings/", "/search/?q=x", "/my-data/"):
        html = client.get(path).content.decode()
        assert len(crumbs(html)) == 2, path
        assert html.count("<h1") == 1, path

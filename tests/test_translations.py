"""Danish is complete: every message of our code has a Danish translation.

The check runs Django's own makemessages over a copy of our sources (the apps,
templates and the current locale/), so it sees exactly the msgids that
``make messages-update`` would write, merged with the translations we have.
"""

import shutil
import subprocess

import polib
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

OUR_SOURCES = ["agora_site", "hearings", "home", "search", "templates"]
LOCALE = settings.BASE_DIR / "locale"


def messages_of_our_code(workdir):
    """The da catalogue makemessages produces for our sources, merged with locale/da."""
    for name in OUR_SOURCES:
        shutil.copytree(
            settings.BASE_DIR / name,
            workdir / name,
            ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.mo"),
        )
    if LOCALE.exists():
        shutil.copytree(LOCALE, workdir / "locale", ignore=shutil.ignore_patterns("*.mo"))
    call_command("makemessages", locale=["da"], no_obsolete=True, verbosity=0)
    return polib.pofile(str(workdir / "locale" / "da" / "LC_MESSAGES" / "django.po"))


def untranslated(catalogue):
    """Entries without a Danish text; a fuzzy entry is a guess, so it counts as missing."""
    missing = []
    for entry in catalogue:
        if entry.obsolete:
            continue
        texts = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        if "fuzzy" in entry.flags or not all(text.strip() for text in texts):
            where = ", ".join(f"{path}:{line}" for path, line in entry.occurrences[:2])
            missing.append(f"{entry.msgid!r} ({where})")
    return missing


def test_every_message_of_our_code_has_a_danish_translation(tmp_path, monkeypatch, settings):
    monkeypatch.chdir(tmp_path)
    settings.LOCALE_PATHS = [tmp_path / "locale"]

    missing = untranslated(messages_of_our_code(tmp_path))

    assert not missing, f"{len(missing)} message(s) without Danish in locale/da:\n" + "\n".join(
        missing
    )


def test_the_check_finds_a_message_without_danish(tmp_path, monkeypatch, settings):
    monkeypatch.chdir(tmp_path)
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    catalogue = messages_of_our_code(tmp_path)
    # A message every Agora page shows (templates/base.html), with its Danish removed.
    skip_link = catalogue.find("Go to main content")
    assert skip_link is not None
    skip_link.msgstr = ""

    assert any("Go to main content" in line for line in untranslated(catalogue))

    skip_link.msgstr = "Gå til sidens indhold"
    skip_link.flags.append("fuzzy")
    assert any("Go to main content" in line for line in untranslated(catalogue))


def compile_catalogue(directory, entries):
    """Write and compile a da catalogue of ``entries`` (msgid → msgstr) under ``directory``."""
    messages = directory / "da" / "LC_MESSAGES"
    messages.mkdir(parents=True)
    catalogue = polib.POFile()
    catalogue.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "da"}
    for msgid, msgstr in entries.items():
        catalogue.append(polib.POEntry(msgid=msgid, msgstr=msgstr))
    catalogue.save(str(messages / "django.po"))
    subprocess.run(  # noqa: S603 - fixed arguments, files we just wrote
        ["msgfmt", "-o", str(messages / "django.mo"), str(messages / "django.po")],  # noqa: S607
        check=True,
    )


def test_a_catalogue_in_locale_paths_overrides_wagtails_own_danish(tmp_path, settings):
    """The mechanism behind locale/overrides (docs/translations.md): LOCALE_PATHS wins."""
    with translation.override("da"):
        # Wagtail ships Danish for "Add child page"; our override must replace it.
        assert translation.gettext("Add child page") == "Tilføj en underside"
    compile_catalogue(tmp_path / "overrides", {"Add child page": "Tilføj underside (Agora)"})

    settings.LOCALE_PATHS = [*settings.LOCALE_PATHS, tmp_path / "overrides"]

    with translation.override("da"):
        assert translation.gettext("Add child page") == "Tilføj underside (Agora)"


def test_an_earlier_locale_path_wins_over_a_later_one(tmp_path, settings):
    """Our own catalogue (locale/) comes first, so the overrides never change our texts."""
    compile_catalogue(tmp_path / "ours", {"Moderation": "Moderering (vores)"})
    compile_catalogue(tmp_path / "overrides", {"Moderation": "Moderering (override)"})

    settings.LOCALE_PATHS = [tmp_path / "ours", tmp_path / "overrides"]

    with translation.override("da"):
        assert translation.gettext("Moderation") == "Moderering (vores)"


def test_wagtails_danish_typos_are_corrected_by_the_overrides():
    with translation.override("da"):
        submitted = translation.gettext("Page '%(page_title)s' has been submitted for moderation.")
        copied = translation.gettext("Page '%(page_title)s' copied.")
        moved = translation.gettext("Page '%(page_title)s' moved.")
    assert submitted == "Siden '%(page_title)s' er sendt til godkendelse."
    assert "blivet" not in submitted
    assert not copied.startswith("SIde") and not moved.startswith("SIde")


def test_the_admin_scripts_speak_danish(client, admin_user):
    """Wagtail's admin scripts take their strings from /admin/jsi18n/ (domain djangojs),
    which reads locale/overrides too."""
    client.force_login(admin_user)
    catalogue = client.get("/admin/jsi18n/").content.decode()
    assert "Fold alle sammen" in catalogue  # "Collapse all"
    assert "mindst %(min_num)d elementer" in catalogue  # "The minimum number of items is"

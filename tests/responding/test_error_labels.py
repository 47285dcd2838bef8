"""Messages built from a question's label read right: no "?:" or "::"."""

import pytest

from hearings.forms import labelled


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("Hvad mener du?", "Hvad mener du? Udfyld feltet."),
        ("Navn:", "Navn: Udfyld feltet."),
        ("Bemærk!", "Bemærk! Udfyld feltet."),
        ("Din holdning", "Din holdning: Udfyld feltet."),
    ],
)
def test_the_error_summary_joins_label_and_message_without_doubled_punctuation(label, expected):
    assert labelled(label, "Udfyld feltet.") == expected

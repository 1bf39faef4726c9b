"""The letter ships as a template: every measure with its stable id, in the letter's words."""

from __future__ import annotations

from pathlib import Path

import pytest

from haidang.apps.directives.templates import TemplateError, available_templates, get_template, parse_template

LETTER = Path(__file__).resolve().parents[4] / "shared" / "seed" / "000_79cbe43f9bf52cc3.txt"


def _squash(text: str) -> str:
    return " ".join(text.split())


def test_the_letter_is_the_first_template_with_its_twelve_items() -> None:
    template = get_template("tang-cuong-attt-quoc-khanh")
    assert [item.code for item in template.items] == [f"1{c}" for c in "abcdefgh"] + [f"2{c}" for c in "abcd"]
    assert {item.code for item in template.items if item.applies_to == ("unit",)} == {f"1{c}" for c in "abcdefgh"}
    assert "telecom" in next(item for item in template.items if item.code == "2c").applies_to
    checks = {item.code: item.auto_check for item in template.items if item.auto_check}
    assert checks == {
        "1a": "duty_roster",
        "1d": "websites_clean",
        "1e": "vulnerability_warnings",
        "1h": "backups_verified",
    }
    assert template in available_templates()


@pytest.mark.skipif(not LETTER.exists(), reason="the shared seed letter is not beside this checkout")
def test_item_texts_are_the_letters_words() -> None:
    letter = _squash(LETTER.read_text(encoding="utf-8"))
    for item in get_template("tang-cuong-attt-quoc-khanh").items:
        assert _squash(item.text) in letter, item.code


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("key='x'\nversion='1'\ntitle='t'\n[directive]\nsubject='s'\n", "malformed"),
        (
            "key='x'\nversion='1'\ntitle='t'\n[directive]\nsubject='s'\n"
            "[[items]]\nid='1a'\napplies_to=['unit']\ntext='a'\n[[items]]\nid='1a'\napplies_to=['unit']\ntext='b'\n",
            "repeated",
        ),
        (
            "key='x'\nversion='1'\ntitle='t'\n[directive]\nsubject='s'\n[[items]]\nid='1a'\napplies_to=['bank']\ntext='a'\n",
            "applies_to",
        ),
        (
            "key='x'\nversion='1'\ntitle='t'\n[directive]\nsubject='s'\n"
            "[[items]]\nid='1a'\napplies_to=['unit']\ntext='a'\nauto_check='magic'\n",
            "auto_check",
        ),
        ("key = [", "malformed"),
    ],
)
def test_a_broken_template_is_refused_with_the_reason(raw: str, message: str) -> None:
    with pytest.raises(TemplateError, match=message):
        parse_template(raw)


def test_an_unknown_template_is_refused() -> None:
    with pytest.raises(TemplateError):
        get_template("khong-co")

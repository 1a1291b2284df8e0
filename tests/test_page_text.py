"""The page-text check (``placekit.testing.assert_plain_text``): what it catches, and the
plain words it lets pass."""

from __future__ import annotations

import html

import ipywidgets as w
import pytest

from placekit.testing import assert_plain_text, leaks, page_text


@pytest.mark.parametrize(
    "text,what",
    [
        ("Wicked index SD\tNone", "None"),
        ("Agreement: None.", "None"),
        ("Mean score nan", "nan"),
        ("Share NaN %", "nan"),
        ("Date NaT", "nan"),
        ("Count <NA>", "nan"),
        ("95 % low -0.0 %", "-0.0"),
        ("Change: -0", "-0.0"),
        ("Change: −0.00", "-0.0"),
        ("Channels: ['phone', 'email']", "a Python list"),
        ('Codes ["a"]', "a Python list"),
        ("Scores [1, 2.5, None]", "a Python list"),
        ("Nothing: []", "a Python list"),
        ("Answer {'mode': 'lead'}", "a Python dict"),
        ("Channel face_to_face is not allowed", "an internal name"),
        ("Field gut_call", "an internal name"),
    ],
)
def test_each_kind_of_internal_value_is_caught(text: str, what: str) -> None:
    found = leaks(text)
    assert any(f.startswith(f"{what}:") for f in found), found
    with pytest.raises(AssertionError, match="the page shows internal values"):
        assert_plain_text(f"<p>{html.escape(text)}</p>")  # as a page shows it, escaped


@pytest.mark.parametrize(
    "text",
    [
        "None of these issues has been agreed yet.",
        "Tied: tame and wicked, 2 each",
        "Wicked index SD — (needs 2 or more members)",
        "Nan Jones (Age UK) joined on 2026-01-05.",
        "Agreement −0.05 — poor; change -0.5 on last time; 10-0 in favour.",
        "Download team_distribution.csv or open https://example.org/a_b/c_d.",
        "Write to first_last@example.org",
        "Wicked with tame components: leadership",
        "Noneteen is not a word, but NoneSuch is a name.",
    ],
)
def test_plain_words_pass(text: str) -> None:
    assert leaks(text) == []
    assert_plain_text(f"<p>{html.escape(text)}</p>")


def test_allow_lets_a_named_text_pass() -> None:
    assert leaks("Our project is called open_doors", allow=["open_doors"]) == []


def test_only_what_a_reader_sees_is_checked() -> None:
    html = (
        '<style>.pk-app .gut_call { color: red }</style><a href="?a_b=None">Open</a>'
        "<p>Fish &amp; chips</p><script>var x_y = [1, 2];</script>"
    )
    assert page_text(html).split() == ["Open", "Fish", "&", "chips"]
    assert_plain_text(html)


def test_a_widget_tree_is_read_as_it_shows_not_by_its_stored_values() -> None:
    # A choice's stored value ("face_to_face") is not on the page; its label is.
    choice = w.RadioButtons(options=[("Face to face", "face_to_face")], value="face_to_face")
    page = w.VBox([w.HTML("<p>How did they get in touch?</p>"), choice])
    assert_plain_text(page)
    page.children = [*page.children, w.HTML("<td>None</td>")]
    with pytest.raises(AssertionError, match="None"):
        assert_plain_text(page)
    labelled = w.RadioButtons(options=[("gut_call", 1)], description="Pick")
    with pytest.raises(AssertionError, match="gut_call"):
        assert_plain_text(labelled)
    typed = w.Textarea(value="['a', 'b']")
    with pytest.raises(AssertionError, match="a Python list"):
        assert_plain_text(w.VBox([typed]))

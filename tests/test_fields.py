"""Field declarations: what each type accepts, and the inputs the wizard makes for them."""

from __future__ import annotations

from placekit.exercise import Field
from placekit.web.wizard import make_input
from placekit.widgets.checkboxes import CheckboxGroup

OFFER = Field(
    "offer",
    "What could it offer?",
    type="multichoice",
    required=True,
    choices=(("space", "Space"), ("staff_time", "Staff time"), ("data", "Data")),
)


def test_a_multichoice_answer_is_a_list_of_known_options() -> None:
    assert OFFER.check(["space", "data"]) is None
    assert OFFER.check([]) == "What could it offer?: this is required"
    assert OFFER.check(["space", "money"]) == "What could it offer?: choose from the options"
    assert OFFER.check("space") == "What could it offer?: choose from the options"


def test_a_multichoice_input_is_a_checkbox_per_option_read_as_one_value() -> None:
    group = make_input(OFFER, ["data", "gone"])  # "gone": an option since removed
    assert isinstance(group, CheckboxGroup)
    boxes = group.children[1:]
    assert [b.description for b in boxes] == ["Space", "Staff time", "Data"]
    assert [b.value for b in boxes] == [False, False, True]
    assert group.value == ("data",)

    seen = []
    group.observe(lambda change: seen.append(change["new"]), "value")
    boxes[0].value = True  # the member ticks "Space"
    assert group.value == ("space", "data")  # in the options' order, not the ticking order
    group.value = ("staff_time",)  # set from Python: the boxes follow
    assert [b.value for b in boxes] == [False, True, False]
    assert seen[0] == ("space", "data") and seen[-1] == ("staff_time",)


def test_a_read_only_multichoice_cannot_be_ticked() -> None:
    group = make_input(OFFER, ["space"], disabled=True)
    assert all(box.disabled for box in group.children[1:])

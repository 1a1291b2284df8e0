"""What the citizen–state relationship map stores, and its scales, declared as data.

A team lists its services; for each it places the service now, and where it should be, on
four scales from 1 to 5 and on the recipient / consumer / co-producer scale. The scales
are given by the Leading GM material this exercise follows (see the README); the wording
of every question and hint is the kit's own.
"""

from __future__ import annotations

from dataclasses import dataclass

from placekit import Field, RecordKind

MIN_SERVICES = 1
MAX_SERVICES = 12
WHEN = (("now", "now"), ("future", "should be"))


@dataclass(frozen=True)
class Axis:
    id: str
    low: str  # the pole at 1
    high: str  # the pole at 5
    question: str
    hint: str

    @property
    def title(self) -> str:
        return f"{self.low} ↔ {self.high}"

    def choices(self) -> tuple[tuple[int, str], ...]:
        low, high = self.low.lower(), self.high.lower()
        return (
            (1, f"1 – {self.low}"),
            (2, f"2 – mostly {low}"),
            (3, "3 – in between"),
            (4, f"4 – mostly {high}"),
            (5, f"5 – {self.high}"),
        )

    def words(self, value: int) -> str:
        """A position in words: 2 → "mostly transactional"."""
        low, high = self.low.lower(), self.high.lower()
        return {1: low, 2: f"mostly {low}", 3: f"between {low} and {high}",
                4: f"mostly {high}", 5: high}[value]  # fmt: skip


AXES = (
    Axis(
        "touch",
        "Transactional",
        "High-touch",
        "Is it a transaction, or a relationship?",
        "1: apply, pay or receive, and it is done. 5: people and staff know each other and"
        " work at it over time.",
    ),
    Axis(
        "compulsion",
        "Voluntary",
        "Enforced",
        "Do people choose it, or is it required of them?",
        "1: people come to it because they want it. 5: it is imposed: enforcement, a"
        " statutory order, a condition.",
    ),
    Axis(
        "experience",
        "Experienced individually",
        "Experienced collectively",
        "Is it experienced one person at a time, or together?",
        "1: each person on their own, one case at a time. 5: a street, a group or a"
        " community experiences it together.",
    ),
    Axis(
        "provider",
        "Provided by the state",
        "Contracted out",
        "Who delivers it?",
        "1: a public body's own staff. 5: a contractor, a charity or a social enterprise,"
        " paid to deliver it.",
    ),
)
AXIS = {a.id: a for a in AXES}

ROLES = (
    ("recipient", "Recipient: the service is done to or for people"),
    ("consumer", "Consumer: people choose and use it, as customers"),
    ("coproducer", "Co-producer: people and the service make it work together"),
)
ROLE_RANK = {"recipient": 1, "consumer": 2, "coproducer": 3}
ROLE_WORDS = {"recipient": "recipient", "consumer": "consumer", "coproducer": "co-producer"}


def placement_fields() -> tuple[Field, ...]:
    found = []
    for when, words in WHEN:
        for axis in AXES:
            found.append(
                Field(
                    f"{axis.id}_{when}",
                    f"{axis.question} ({words})",
                    type="scale",
                    required=True,
                    low=1,
                    high=5,
                    choices=axis.choices(),
                    hint=axis.hint,
                )
            )
        found.append(
            Field(
                f"role_{when}",
                f"Are the people who use it recipients, consumers or co-producers? ({words})",
                type="choice",
                required=True,
                choices=ROLES,
            )
        )
    return tuple(found)


SERVICE = RecordKind(
    "service",
    "team",
    (
        Field(
            "name",
            "Service",
            required=True,
            max_length=120,
            hint="For example “Housing repairs”, “Youth offending”, “Libraries”.",
        ),
        Field("provider", "Who runs it? (optional)", max_length=120),
        Field("users", "Who uses it? (optional)", max_length=200),
    ),
    "A service the team places on the map; shared by the team.",
)

PLACEMENT = RecordKind(
    "placement",
    "team",
    placement_fields(),
    "Where the team places one service now, and where it should be (record: the service).",
)

COPRODUCTION = RecordKind(
    "coproduction",
    "team",
    (
        # The choices are the assets offered as "assets", given at run time (data.asset_names).
        Field("assets", "Assets from your asset map that could co-produce it", type="multichoice"),
        Field(
            "others",
            "Other people or groups who could co-produce it (one per line, optional)",
            type="lines",
        ),
    ),
    "Who could help make one service work with it, not for it (record: the service).",
)

AGREEMENT = RecordKind(
    "agreement",
    "team",
    (
        Field("fingerprint", "What was agreed", max_length=64),
        Field("agreed_on", "Agreed on", type="date"),
        Field("by", "Confirmed by", max_length=120),
    ),
    "That the team checked and agreed the map, and the map it agreed (as a fingerprint).",
)

KINDS = (SERVICE, PLACEMENT, COPRODUCTION, AGREEMENT)

"""What stops a member moving on (pure: Responses in, FieldErrors out)."""

from __future__ import annotations

from collections.abc import Callable

from placekit import FieldError, Responses
from placekit_assets import data
from placekit_assets.schema import ACTION, ASSET, CATEGORY, MAP, name_key, normalise_postcode

DEFICIT_WORDS = (
    "why",
    "problem",
    "lack",
    "lacking",
    "deficit",
    "failing",
    "failure",
    "poor",
    "isolated",
    "deprived",
    "deprivation",
    "need",
    "needs",
    "wrong",
    "broken",
    "not",
)


def deficit_words(question: str) -> list[str]:
    """Words that frame a question around what is wrong (a prompt, never an error)."""
    words = [w.strip(".,?!:;\"'“”").lower() for w in (question or "").split()]
    return [w for w in DEFICIT_WORDS if w in words]


def validate_frame(responses: Responses) -> list[FieldError]:
    errors = MAP.errors(responses.get("map", "map"))
    return [FieldError(message, field=f"map.{name}") for name, message in errors.items()]


def asset_errors(
    responses: Responses, asset_id: str, number: int | None = None
) -> list[FieldError]:
    asset = responses.get("asset", asset_id)
    label = asset.get("name") or (f"asset {number}" if number else "a new asset")
    found = []
    for name, message in ASSET.errors(asset).items():
        if name == "name":
            message = f"Give {label} a name" if not asset.get("name") else f"{label}: {message}"
        found.append(FieldError(message, field=f"{asset_id}.{name}", record=asset_id))
    if asset.get("name"):
        same = [
            a
            for a, v in data.assets(responses).items()
            if name_key(v.get("name")) == name_key(asset["name"])
        ]
        if same[0] != asset_id:  # the later of two copies is the one to change
            found.append(
                FieldError(
                    f"“{asset['name']}” is already on the map: change the name, or delete"
                    " this copy",
                    field=f"{asset_id}.name",
                    record=asset_id,
                )
            )
    postcode = asset.get("postcode")
    if postcode and normalise_postcode(postcode) is None:
        found.append(
            FieldError(
                f"{label}: “{postcode}” is not a UK postcode (for example NE1 4ST)",
                field=f"{asset_id}.postcode",
                record=asset_id,
            )
        )
    if asset.get("category") == "individual" and not asset.get("consent_recorded"):
        found.append(
            FieldError(
                f"{label}: record a person's gifts only once they have agreed to be on the map",
                field=f"{asset_id}.consent_recorded",
                record=asset_id,
            )
        )
    return found


def validate_category(category: str) -> Callable[[Responses], list[FieldError]]:
    def check(responses: Responses) -> list[FieldError]:
        mine = [a for a, v in data.assets(responses).items() if v.get("category") == category]
        return [e for n, a in enumerate(mine, 1) for e in asset_errors(responses, a, n)]

    check.__doc__ = f"Every {CATEGORY[category].label} asset is complete."
    return check


def validate_inventory(responses: Responses) -> list[FieldError]:
    return [
        e for n, a in enumerate(data.assets(responses), 1) for e in asset_errors(responses, a, n)
    ]


def action_errors(responses: Responses, action_id: str, number: int) -> list[FieldError]:
    action = responses.get("action", action_id)
    label = action.get("title") or f"action {number}"
    found = [
        FieldError(f"{label}: {message}", field=f"{action_id}.{name}", record=action_id)
        for name, message in ACTION.errors(action).items()
    ]
    live = data.assets(responses)
    gone = [a for a in action.get("assets") or [] if a not in live]
    if gone and not found:
        found.append(
            FieldError(
                f"{label}: {len(gone)} of its assets has been deleted; choose its assets again",
                field=f"{action_id}.assets",
                record=action_id,
            )
        )
    return found


def validate_actions(responses: Responses) -> list[FieldError]:
    return [
        e for n, a in enumerate(data.actions(responses), 1) for e in action_errors(responses, a, n)
    ]


def locked_until_assets(responses: Responses) -> str | None:
    if len(data.assets(responses)) < 2:
        return "Record at least two assets first (step 2), so there is something to connect."
    return None

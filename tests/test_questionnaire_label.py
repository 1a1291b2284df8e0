"""A questionnaire rated for each of a list says its own word for them (here "service"),
never the trust audit's "organisation", in its pages' messages, tables and notes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from placekit import hookimpl
from placekit.questionnaires import close_round, set_targets, submit
from placekit.testing import TestWorkbook

TRUST = Path(__file__).resolve().parents[1] / (
    "plugins/placekit-questionnaires/placekit_questionnaires/questionnaires/trust-audit.toml"
)


@pytest.fixture
def services(tmp_path: Path, register_plugin: Callable[..., None]) -> Path:
    text = TRUST.read_text(encoding="utf-8")
    text = text.replace('id = "trust-audit"', 'id = "service-audit"')
    text = text.replace('label = "organisation"', 'label = "service"')
    text = text.replace('plural = "organisations"', 'plural = "services"')
    text = text.replace("Which organisation do you work for?", "Which service are you in?")
    text = text.replace("your own organisation ({target})", "your own service ({target})")
    path = tmp_path / "service-audit.toml"
    path.write_text(text, encoding="utf-8")

    class Plugin:
        @hookimpl
        def register_questionnaires(self, register: Callable[[Path], None]) -> None:
            register(path)

    register_plugin(Plugin(), "service-audit")
    return path


def test_the_list_is_named_in_the_questionnaires_own_word(
    services: Path, placekit_workbook: TestWorkbook
) -> None:
    wb = placekit_workbook
    team = wb.responses("service-audit")
    assert set_targets(team, ["Only one"]) == "List at least two services, one per line"
    assert set_targets(team, ["Hospital discharge", "Reablement", "Housing options"]) is None
    names = ["Hospital discharge", "Reablement", "Housing options"]
    for i in range(6):
        name = f"r{i}"
        wb.join(name, anonymous=True)
        mine = wb.responses("service-audit", name)
        own, partner = names[i % 3], names[(i + 1) % 3]
        mine.save("profile", "r1", {"org": own, "partners": [partner]}, 0)
        for target in (own, partner):
            record = "r1." + __import__(
                "placekit.questionnaires.rounds"
            ).questionnaires.rounds.target_id(target)
            answers = {item.id: 4 for item in mine.exercise.questionnaire.items}
            mine.save("answers", record, answers, 0)
        submit(mine)
    close_round(wb.responses("service-audit"))
    summary = wb.summary("service-audit")
    shown = " ".join(
        [*summary.tables, *summary.notes]
        + [" ".join(map(str, t.columns)) for t in summary.tables.values()]
    )
    assert "Ratings by rater service" in summary.tables
    assert "Service rated" in shown
    assert "rganisation" not in shown

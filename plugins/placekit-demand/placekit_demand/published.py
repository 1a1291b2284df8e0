"""Published failure-demand levels (EXERCISES.md D.3): context for a team's figure, never a
target. Shown beside the headline so a team can see where it sits, and labelled so."""

from __future__ import annotations

import pandas as pd

CAPTION = (
    "Published levels, for context only: these are not targets. Studies differ in what they"
    " counted and how; your own figure, and what causes it, is what matters."
)

FIGURES: tuple[tuple[str, str, str], ...] = (
    (
        "40–60% of demand routinely; 80%+ in some (health and social care, utilities)",
        "Command-and-control service organisations",
        "Vanguard, Failure demand (beyondcommandandcontrol.com)",
    ),
    (
        "70–90% in telecoms, police and local authorities; 30–60% in financial services;"
        " lowest Vanguard found 15%",
        "Vanguard “typical volumes”",
        "Vanguard library note",
    ),
    (
        "Up to 80%",
        "Local-government call centres",
        "Seddon, cited in Wikipedia, Failure demand",
    ),
    (
        "30% of 535 non-urgent incidents showed unnecessary repeat activity",
        "Gloucestershire Constabulary, two weeks in 2017",
        "Walley & Jennison-Phillips, Public Money & Management (2021)",
    ),
    (
        "80–90% of council contacts called “avoidable” (treat with caution: secondary)",
        "NI 14 era, 2009",
        "Baringa (2024)",
    ),
)


def table() -> pd.DataFrame:
    return pd.DataFrame(FIGURES, columns=["Published level", "Context", "Source"])

"""A download link that carries its file in the page, so it works without a file server."""

from __future__ import annotations

import base64

from placekit.widgets.html import esc


def download_link(filename: str, media_type: str, payload: bytes, label: str) -> str:
    """An ``<a download>`` holding ``payload`` as a data URL, named ``filename``."""
    data = base64.b64encode(payload).decode("ascii")
    return (
        f'<a class="pk-download" download="{esc(filename)}" '
        f'href="data:{media_type};base64,{data}">{esc(label)}</a>'
    )

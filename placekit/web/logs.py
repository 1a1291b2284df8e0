"""Where errors go: the server's terminal and a log file beside the database, never the page."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from placekit.data.store import database_url, default_db_path

_done = False


def log_path() -> Path:
    """``PLACEKIT_LOG``, else ``placekit.log`` beside an SQLite database (``PLACEKIT_DB``'s
    file, or the default one); a PostgreSQL database has no folder, so the default data
    folder then."""
    if os.environ.get("PLACEKIT_LOG"):
        return Path(os.environ["PLACEKIT_LOG"])
    url = database_url()
    sqlite = url.startswith("sqlite:///") and url != "sqlite:///:memory:"
    database = Path(url.removeprefix("sqlite:///")) if sqlite else default_db_path()
    return database.with_name("placekit.log")


def setup_logging() -> None:
    """Send PlaceKit's log (tracebacks included) to stderr and the log file, once."""
    global _done
    if _done:
        return
    _done = True
    logger = logging.getLogger("placekit")
    logger.setLevel(logging.INFO)
    fmt = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    handlers: list[logging.Handler] = [logging.StreamHandler()]
    try:
        path = log_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        handlers.append(logging.FileHandler(path, encoding="utf-8"))
    except OSError:
        pass  # a read-only home still gets the terminal log
    for handler in handlers:
        handler.setFormatter(fmt)
        logger.addHandler(handler)

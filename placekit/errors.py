"""The base of every error PlaceKit raises on purpose.

``except placekit.PlaceKitError`` catches them all (a conflicting save, an invalid link, an
unreadable file, a malformed questionnaire, a refused plugin) and nothing else, so a bug
still shows as itself.
"""

from __future__ import annotations


class PlaceKitError(Exception):
    """Something PlaceKit refused, with a message meant for the person who caused it."""

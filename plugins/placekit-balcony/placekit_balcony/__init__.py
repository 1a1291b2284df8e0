"""Balcony and dance floor: a private weekly reflection (adaptive leadership)."""

"""Reframing: a PlaceKit exercise."""

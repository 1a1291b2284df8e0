"""PlaceKit exercise: wicked / tame / critical problem triage (after Keith Grint)."""

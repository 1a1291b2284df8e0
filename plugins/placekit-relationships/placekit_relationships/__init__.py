"""PlaceKit exercises on relationships: the ally map and power map (section E)."""

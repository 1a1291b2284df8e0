"""Asset mapping (ABCD) for PlaceKit: an inventory of what a place already has."""

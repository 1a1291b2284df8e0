"""PlaceKit questionnaires declared as data files (see ``questionnaires/``)."""

"""PlaceKit workbook templates: ready designs declared as data files (see ``designs/``)."""

"""For analysts in JupyterLab: ``placekit.open(code)`` and the workbook it returns."""

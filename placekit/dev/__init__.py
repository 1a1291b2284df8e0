"""For developers: the plugin scaffold and the demo workbook."""

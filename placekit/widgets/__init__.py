"""Building blocks for pages: HTML helpers, buttons, tables, charts, the palette, radar,
stopwatch, checkbox groups, the confirm box, record lists, the file-import widget and
download links. Views: what they save goes through the page's context and ``Responses``.
"""

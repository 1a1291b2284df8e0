"""Data: the store, workbooks and members, the privacy policy, one exercise's responses,
links between exercises, upgrades of old databases, and how a table becomes a file.

Nothing here imports widgets or the web shell.
"""

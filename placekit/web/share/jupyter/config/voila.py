"""Voila settings for PlaceKit that its command line cannot carry well.

``placekit serve`` puts this folder on JUPYTER_CONFIG_PATH. A dict setting given on the
command line prints a deprecation warning at every start, and its per-key form would pass
the number as a string.
"""

from placekit.web.serve import MAX_UPLOAD_BYTES

c = get_config()  # noqa: F821 - provided by traitlets when it loads this file
c.Voila.tornado_settings = {"websocket_max_message_size": MAX_UPLOAD_BYTES}

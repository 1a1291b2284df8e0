"""Running an exercise live in the room: a session the facilitator starts and ends
(``sessions``), and the short code people type to join it (``join_codes``)."""

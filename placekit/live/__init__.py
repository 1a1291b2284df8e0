"""Running an exercise live in the room: a session the facilitator starts and ends
(``sessions``), the short code people type to join it (``join_codes``), the facilitator's
controls (``panel``: the step the room is on, ``timer``, ``reveal``), members' pages saying
they are in the room (``presence``), and what the room's screen shows (``room``), read once
for however many screens watch it (``watch``)."""

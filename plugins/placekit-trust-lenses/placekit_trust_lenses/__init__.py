"""Trust lenses: Covey's behaviours and Horsager's pillars, as questionnaires declared as data."""

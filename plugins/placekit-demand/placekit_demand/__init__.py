"""PlaceKit exercise: demand analysis — value and failure demand (John Seddon, Vanguard)."""

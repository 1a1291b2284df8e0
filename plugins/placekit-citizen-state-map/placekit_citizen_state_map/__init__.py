"""The citizen–state relationship map: a PlaceKit exercise."""

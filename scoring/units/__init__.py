"""What a unit carries over from the units it was formed from (the 2025 reorganisation):
the label that replaces a rank change (`lineage`) and the checked writes of a unit's
predecessors (`predecessors`)."""

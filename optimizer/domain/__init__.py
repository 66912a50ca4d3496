"""Domain types, validation and plan files: the part every stage shares."""

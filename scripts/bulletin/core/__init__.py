"""The pure core: the domain model, the fields of an item, secrecy levels, times, names and typography. No I/O."""

"""Management commands behind the `peoplebase` command line."""

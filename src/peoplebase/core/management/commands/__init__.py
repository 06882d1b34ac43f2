"""Peoplebase's own management commands: serve, worker, createuser and demo."""

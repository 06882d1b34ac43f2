"""Importing contacts from files: reading, mapping, checking, writing in batches, undoing."""

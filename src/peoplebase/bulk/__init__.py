"""Bulk actions on many contacts at once, run as resumable background jobs."""

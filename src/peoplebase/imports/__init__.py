"""Contact imports: file readers, column mapping and import jobs."""

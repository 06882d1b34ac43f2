"""Contact exports: CSV and vCard writers and the export surfaces."""

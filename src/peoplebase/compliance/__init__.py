"""GDPR: a person's right of access (an export of everything held) and right to erasure."""

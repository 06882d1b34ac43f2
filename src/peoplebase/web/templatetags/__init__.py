"""Template tags and filters shared by every Peoplebase page."""

"""WSGI entry point (used by `peoplebase serve` through waitress)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peoplebase.settings")
application = get_wsgi_application()

"""WSGI entry point (used by `peoplebase serve` through waitress)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peoplebase.settings")
application = get_wsgi_application()

from peoplebase.core.runtime import load_application, tune_garbage_collector  # noqa: E402

load_application()
tune_garbage_collector()

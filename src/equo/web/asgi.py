"""ASGI entry point (``uvicorn equo.web.asgi:application``); Equo's views are synchronous."""

from __future__ import annotations

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "equo.web.settings.base")

application = get_asgi_application()

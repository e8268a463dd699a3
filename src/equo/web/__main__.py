"""Django's manage.py for Equo: ``python -m equo.web <command>`` (e.g. ``migrate``, ``shell``).

Like the WSGI entry point it defaults to the production settings; set ``EQUO_ENV=development``
to work on the development database.
"""

from __future__ import annotations

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "equo.web.settings.base")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()

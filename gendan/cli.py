"""The `gendan` command: serve, worker, demo, and every Django management command."""

import os
import sys

USAGE = """usage: gendan COMMAND [ARGS]

  serve [--bind HOST:PORT] [--workers N]   production web server (gunicorn, static files via whitenoise)
  worker                                   background worker (django-tasks database backend) and scheduler
  demo                                     create the demo company (idempotent) and print the logins
  <django command> …                       any Django management command (migrate, createsuperuser, …)
"""


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gendan.settings")
    command = argv[0] if argv else "help"
    if command in ("help", "-h", "--help"):
        print(USAGE)
        return
    if command == "serve":
        serve(argv[1:])
    elif command == "worker":
        run_django(["worker", *argv[1:]])
    else:
        run_django(argv)


def run_django(args: list[str]) -> None:
    from django.core.management import execute_from_command_line

    execute_from_command_line(["gendan", *args])


def serve(args: list[str]) -> None:
    import django
    from gunicorn.app.wsgiapp import run

    django.setup()  # fail here, clearly, on a bad configuration (e.g. no SECRET_KEY)
    bind = os.environ.get("GENDAN_BIND", "127.0.0.1:8000")
    workers = os.environ.get("GENDAN_WEB_WORKERS", "3")
    sys.argv = ["gunicorn", "gendan.wsgi:application", "--bind", bind, "--workers", workers,
                "--access-logfile", "-", "--timeout", "120", *args]
    run()


if __name__ == "__main__":
    main()

#!/bin/sh
# web: migrate, then serve with gunicorn (whitenoise serves static files).
# worker: the django-q2 cluster that runs the scheduled jobs.
set -e
case "${1:-web}" in
  web)
    python manage.py migrate --no-input
    python manage.py createcachetable
    exec gunicorn agora_site.wsgi:application \
      --bind "0.0.0.0:${PORT:-8000}" \
      --workers "${GUNICORN_WORKERS:-2}" \
      --timeout "${GUNICORN_TIMEOUT:-60}" \
      --access-logfile - --error-logfile -
    ;;
  worker)
    exec python manage.py qcluster
    ;;
  *)
    exec "$@"
    ;;
esac

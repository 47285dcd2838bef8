# Agora production image. Step for step what `make run` does, for production:
# npm install of DKFDS, pip install, compile translations, collect static files;
# the entrypoint migrates and starts gunicorn (web) or the django-q2 worker (worker).

# --- front-end assets (DKFDS from npm, never committed) ---
FROM node:20-slim AS assets
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

# --- the application ---
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=agora_site.settings.production \
    AGORA_VAR_DIR=/app/var \
    PORT=8000

# WeasyPrint needs Pango and fonts; gettext compiles the translations.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core gettext \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 1000 agora
WORKDIR /app

COPY requirements.txt ./
RUN pip install --no-cache-dir -r requirements.txt

COPY --chown=agora:agora . .
COPY --from=assets --chown=agora:agora /build/node_modules ./node_modules

# Build-time only values: nothing here reaches the running container.
RUN python manage.py compilemessages --ignore=node_modules -v 0 \
    && SECRET_KEY=build-only DATABASE_URL=sqlite:////tmp/build.sqlite3 \
       python manage.py collectstatic --no-input -v 0 \
    && mkdir -p /app/var && chown -R agora:agora /app/var /app/static_collected

USER agora
VOLUME ["/app/var"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "docker/healthcheck.py"]
ENTRYPOINT ["docker/entrypoint.sh"]
CMD ["web"]

# Ward Gaps production image: one Streamlit worker per core behind nginx (Debian's package), the
# committed read-only extract baked in. Build: docker build -t wardgaps .  Run: see compose.yaml.
FROM python:3.11-slim-bookworm

# nginx from Debian's packages is the balancer; the launcher runs it unprivileged on a high port.
# Chromium (Debian's, found at /usr/bin/chromium by the app) draws the charts' PNG/SVG downloads;
# without it (--build-arg WITH_CHROMIUM=0, a smaller image) the pages say so. Briefing packs need
# no browser (their maps and charts are drawn with matplotlib).
ARG WITH_CHROMIUM=1
RUN apt-get update \
    && apt-get install -y --no-install-recommends nginx $([ "$WITH_CHROMIUM" = 1 ] && echo chromium) \
    && rm -rf /var/lib/apt/lists/*

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    HOME=/tmp \
    STREAMLIT_SERVER_FILE_WATCHER_TYPE=none \
    STREAMLIT_SERVER_RUN_ON_SAVE=false \
    STREAMLIT_SERVER_HEADLESS=true \
    STREAMLIT_BROWSER_GATHER_USAGE_STATS=false

WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt

COPY .streamlit .streamlit
COPY dashboard.py .
COPY pages pages
COPY wardgaps wardgaps
COPY queries queries
COPY data data
COPY deploy deploy

# No root at run time; the root filesystem can be mounted read-only (nginx and Streamlit write /tmp).
RUN useradd --system --uid 10001 --no-create-home wardgaps
USER 10001
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=90s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8080/_stcore/health', timeout=2)"]
# Set WARDGAPS_ORIGIN to the public origin (e.g. https://wardgaps.example.org): browsers from any
# other origin cannot open the WebSocket. WARDGAPS_PUBLIC=1 serves the public transparency view.
ENTRYPOINT ["python", "-m", "wardgaps.serve"]
CMD ["--workers", "auto", "--host", "0.0.0.0", "--port", "8080"]

# Ward Gaps production images: one Streamlit worker per container (plain `streamlit run`, every
# server setting from .streamlit/config.toml). Build: docker build -t wardgaps .
# Run: compose.yaml (two replicas behind the stock nginx image); see deploy/README.md.
#
# The default target, "public", is the public transparency view: it holds only the public extract,
# made from the committed full extract by the publish step in a build stage of its own
# (python -m wardgaps publish: the disclosure rules applied once). The full extract never reaches
# the public image, so no one with the image can read a figure the public view hides.
# The "officer" target (docker build --target officer) holds the full extract, for a deployment
# only officers and councillors can reach.
FROM python:3.11-slim-bookworm AS runtime

# Chromium (Debian's, found at /usr/bin/chromium by the app) draws the charts' PNG/SVG downloads;
# without it (--build-arg WITH_CHROMIUM=0, a smaller image) the pages say so. Briefing packs need
# no browser (their maps and charts are drawn with matplotlib); the tagged PDF pack is laid out by
# WeasyPrint, which needs Pango and HarfBuzz's subsetter from Debian (its fonts come with the app).
ARG WITH_CHROMIUM=1
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
        $([ "$WITH_CHROMIUM" = 1 ] && echo chromium) \
    && rm -rf /var/lib/apt/lists/*

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    HOME=/tmp

WORKDIR /app
# Every package from the lock file (make lock: CPython 3.11, Linux x86_64), each checked against its hash.
COPY requirements.lock .
RUN pip install --no-cache-dir --require-hashes -r requirements.lock

COPY .streamlit .streamlit
COPY dashboard.py .
COPY pages pages
COPY wardgaps wardgaps
COPY queries queries
COPY data/versions.json data/versions.json

# No root at run time; the root filesystem can be mounted read-only (Streamlit writes /tmp only).
RUN useradd --system --uid 10001 --no-create-home wardgaps
# Streamlit's port (server.port, default 8501; STREAMLIT_SERVER_PORT to change it). Set
# STREAMLIT_SERVER_COOKIE_SECRET to one secret shared by every replica.
EXPOSE 8501
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=2)"]
ENTRYPOINT ["python", "-m", "streamlit", "run", "dashboard.py"]


# The publish step: the full extract in, the public extract out (checked by its own data contract).
FROM runtime AS publish
COPY data/wardgaps.duckdb data/wardgaps.duckdb
RUN python -m wardgaps publish --db data/wardgaps.duckdb --out /publish/public.duckdb


# The officer view: the full extract (and no public one).
FROM runtime AS officer
COPY data/wardgaps.duckdb data/wardgaps.duckdb
USER 10001


# The public view (the default target): the public extract only.
FROM runtime AS public
COPY --from=publish /publish/public.duckdb data/public.duckdb
ENV WARDGAPS_PUBLIC=1
USER 10001

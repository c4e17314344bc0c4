# cxbench: the dashboard on the embedded demo data (or your own, see README "Deployment").
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    CX_CHROMIUM=/usr/bin/chromium

# Debian chromium renders PNG/SVG chart exports server-side (kaleido); fonts for the charts:
# DejaVu (Latin, Cyrillic) and Noto CJK, so Chinese comments and names are glyphs, not boxes.
RUN apt-get update \
    && apt-get install -y --no-install-recommends chromium fonts-dejavu-core fonts-noto-cjk \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .
# Run as a non-root user that owns only the data folder (database, uploads).
RUN useradd --create-home --uid 10001 cxbench \
    && python -m cx demo --db data/cx.duckdb --quiet \
    && chown -R cxbench:cxbench /app/data
USER cxbench

EXPOSE 8501
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4).status == 200 else 1)"

CMD ["python", "-m", "components.server", "--server.port=8501", "--server.address=0.0.0.0"]

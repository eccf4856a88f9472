# tradebot: slim image, non-root, state in a volume.
FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY core ./core
COPY handlers ./handlers
COPY services ./services
COPY locales ./locales
RUN python -m venv /opt/venv && /opt/venv/bin/pip install .

FROM python:3.11-slim
ARG TRADEBOT_COMMIT=unknown
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    TRADEBOT_COMMIT=${TRADEBOT_COMMIT} \
    DATA_DIR=/app/data \
    DATABASE_URL=sqlite+aiosqlite:////app/data/tradebot.db \
    HEALTH_PORT=8081 \
    HEALTH_HOST=0.0.0.0
RUN useradd --create-home --uid 10001 tradebot \
    && mkdir -p /app/data && chown tradebot:tradebot /app/data
COPY --from=build /opt/venv /opt/venv
WORKDIR /app
USER tradebot
VOLUME ["/app/data"]
EXPOSE 8080 8081
# `tradebot health` asks GET http://127.0.0.1:$HEALTH_PORT/healthz (DB, Redis, scheduler).
HEALTHCHECK --interval=60s --timeout=10s --start-period=60s --retries=3 \
    CMD ["tradebot", "health"]
ENTRYPOINT ["tradebot"]
CMD ["run"]

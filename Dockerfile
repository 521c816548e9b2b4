# lens-gpt: a Swift build stage and a slim runtime that runs as a non-root user.
FROM swift:6.1-bookworm AS build
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      libssl-dev libsqlite3-dev libxml2-dev zlib1g-dev libcurl4-openssl-dev libhiredis-dev pkg-config \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# The manifest first, so that dependency resolution is cached apart from source changes.
COPY Package.swift ./
RUN swift package resolve
COPY Sources ./Sources
RUN swift build -c release --product lens-gpt --static-swift-stdlib \
 && install -D .build/release/lens-gpt /out/lens-gpt

FROM debian:bookworm-slim
# Shared libraries the binary links, curl for the health check, and Chromium with its driver
# for the offline demo (the production setup drives the browser sidecar instead).
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      libssl3 libsqlite3-0 libxml2 zlib1g libcurl4 libhiredis0.14 ca-certificates curl chromium chromium-driver \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /home/lensgpt --create-home lensgpt \
 && mkdir /data && chown lensgpt:lensgpt /data
COPY --from=build /out/lens-gpt /usr/local/bin/lens-gpt
COPY web /app/web
WORKDIR /app
USER lensgpt
ENV LENS_GPT_HOST=0.0.0.0 \
    LENS_GPT_PORT=3002 \
    LENS_GPT_DATA_DIR=/data \
    LENS_GPT_WEB_DIR=/app/web
VOLUME ["/data"]
EXPOSE 3002
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD curl -fsS http://127.0.0.1:3002/healthz || exit 1
ENTRYPOINT ["lens-gpt"]
CMD ["serve"]

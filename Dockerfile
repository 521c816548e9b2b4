# lens-gpt: a Swift build stage, then slim runtimes that run as a non-root user.
#   docker build .                  the gateway (no browser: it drives the compose `browser` sidecar)
#   docker build --target demo .    the all-in-one offline demo (its own Chromium, headed on Xvfb)
# `scripts/docker-context-check` (run by .ci/run) rebuilds this stage's context from the COPY lines
# and .dockerignore in a temp directory and runs the same `swift` commands there.
FROM swift:6.1-bookworm AS build
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      libssl-dev libsqlite3-dev libxml2-dev zlib1g-dev libcurl4-openssl-dev libpsl-dev libhiredis-dev pkg-config \
      libzbar-dev libzxing-dev libtesseract-dev libleptonica-dev libpng-dev libwebp-dev libjpeg-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# The manifest declares the test targets too, so their folders come along (a manifest whose
# targets have no sources does not load). Package.resolved is not in the repository (versions
# come from the manifest), so a clean clone has none to copy.
COPY Package.swift ./
COPY Plugins ./Plugins
COPY Tests ./Tests
COPY Sources ./Sources
RUN swift build -c release --product lens-gpt --static-swift-stdlib \
 && install -D .build/release/lens-gpt /out/lens-gpt

FROM debian:bookworm-slim AS runtime
# Shared libraries the binary links, and curl for the health check.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      libssl3 libsqlite3-0 libxml2 zlib1g libcurl4 libpsl5 publicsuffix libhiredis0.14 ca-certificates curl \
      libzbar0 libzxing2 libtesseract5 liblept5 libpng16-16 libwebp7 libjpeg62-turbo tesseract-ocr-eng iso-codes \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /home/lensgpt --create-home lensgpt \
 && mkdir /data && chown lensgpt:lensgpt /data \
 && mkdir -p /tmp/.X11-unix && chmod 1777 /tmp/.X11-unix
COPY --from=build /out/lens-gpt /usr/local/bin/lens-gpt
COPY web /app/web
WORKDIR /app
ENV LENS_GPT_HOST=0.0.0.0 \
    LENS_GPT_PORT=3002 \
    LENS_GPT_DATA_DIR=/data \
    LENS_GPT_WEB_DIR=/app/web
VOLUME ["/data"]
EXPOSE 3002
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD curl -fsS http://127.0.0.1:3002/healthz || exit 1
ENTRYPOINT ["lens-gpt"]

# The all-in-one offline demo: the gateway plus Chromium, chromedriver and Xvfb, which
# `serve --demo --xvfb` starts itself (headed, as Google sees an ordinary browser).
FROM runtime AS demo
USER root
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium chromium-driver xvfb \
 && rm -rf /var/lib/apt/lists/*
USER lensgpt
CMD ["serve", "--demo", "--xvfb"]

# The gateway (the default target, built last): no browser in the image.
FROM runtime AS gateway
USER lensgpt
CMD ["serve"]

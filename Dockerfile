# burgernet-voice: built in one stage, run from dist/ with production dependencies only, non-root, tini as PID 1.
# Not built on the machine this was written on (no container engine there): see README.md, "Production".
ARG NODE_IMAGE=node:22-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
# Dev dependencies for tsc and the console bundle (esbuild's binary is an optional dependency: keep optionals here).
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# Optional production dependencies are the embedded PostgreSQL binaries (the image always has DATABASE_URL) and
# pg-cloudflare (Workers only): neither goes into the image.
RUN npm ci --omit=dev --omit=optional --ignore-scripts --no-audit --no-fund && npm cache clean --force

FROM ${NODE_IMAGE}
# tini reaps zombies and forwards SIGTERM to node, which then drains (in-flight requests, claims handed back).
RUN apt-get update && apt-get install -y --no-install-recommends tini && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production PORT=3000 HOST=0.0.0.0
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
# sharp's prebuilt binding and libvips are optional dependencies, one per platform, which the deps stage leaves out:
# the build stage installed the ones of this image's platform (@img/sharp-linux-x64 and its libvips on amd64).
COPY --from=build /app/node_modules/@img ./node_modules/@img
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY sql ./sql
COPY voice-scripts ./voice-scripts
COPY templates ./templates
# The commit this image is built from (`--build-arg BUILD_COMMIT=$(git rev-parse HEAD)`; deploy/compose.yaml passes
# it on): /healthz and burgernet_build_info show it, and the OCI labels let a registry or `docker inspect` say it.
# Declared last, so a new commit rebuilds only these metadata layers.
ARG BUILD_COMMIT=unknown
LABEL org.opencontainers.image.title="burgernet-voice" \
      org.opencontainers.image.description="Burgernet phone service: mass alerts by voice and SMS, IVR and operator results" \
      org.opencontainers.image.licenses="EUPL-1.2" \
      org.opencontainers.image.revision="${BUILD_COMMIT}"
ENV BUILD_COMMIT=${BUILD_COMMIT}
USER node
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["/usr/bin/tini", "--"]
# What `npm start` runs, without npm in between (npm would be PID 2 and swallow the signal's exit code).
CMD ["node", "--max-semi-space-size=4", "dist/server.js"]

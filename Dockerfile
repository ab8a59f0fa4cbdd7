# Switchyard image: one image, three roles (`web`, `worker`, `migrate`; `start` runs web + worker).
# Build:  docker build -t switchyard .      Run: see docker-compose.yml.

FROM node:20-bookworm-slim AS build
# isolated-vm 5.0.4 has no prebuilt binary for this Node: node-gyp compiles it.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
# Manifests first so the (slow) dependency layer is cached across source changes.
COPY package.json package-lock.json ./
COPY plugins/sdk/package.json plugins/sdk/package.json
COPY plugins/testing/package.json plugins/testing/package.json
# The lockfile was made where the registry mirror lacks some other-OS optional builds (esbuild,
# rollup, msgpackr); npm ci may call it out of sync, npm install accepts it.
RUN npm ci --no-audit --no-fund || npm install --no-audit --no-fund
COPY . .
RUN npx remix vite:build \
 && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    SWITCHYARD_DATA_DIR=/data
WORKDIR /app
COPY --from=build --chown=node:node /app /app
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 3000
# The flags bin/switchyard.mjs would otherwise re-exec itself for: isolated-vm needs
# --no-node-snapshot, and the sources are TypeScript run through tsx, the SDK's included (its
# `switchyard-source` export condition, decision 028). PID 1 is then node itself.
ENTRYPOINT ["node", "--no-node-snapshot", "--conditions=switchyard-source", "--import", "tsx", "bin/switchyard.mjs"]
CMD ["start"]

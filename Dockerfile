# syntax=docker/dockerfile:1
# dlp-sla-bot as a container: see docs/deploy.md. Three stages so the image holds no compiler, no TypeScript and
# no dev dependency: `build` compiles dist/, `deps` installs the production tree, `runtime` is what runs.
ARG NODE_IMAGE=node:20-bookworm-slim

# Compiles dist/ with the dev dependencies (TypeScript); nothing of this stage but dist/ reaches the image.
FROM ${NODE_IMAGE} AS build
WORKDIR /src
ENV npm_config_yes=true npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false
COPY package.json package-lock.json .npmrc ./
# No lifecycle scripts: `prepare` would build before the sources are here, and tsc needs no native binding.
RUN npm ci --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY src ./src
COPY commands ./commands
COPY adapters ./adapters
COPY bench ./bench
# tsc's incremental record (dist/.tsbuildinfo) only speeds up the next build on a developer's machine.
RUN npm run build --silent && rm -f dist/.tsbuildinfo

# The production tree exactly as package-lock.json pins it. Install scripts are off for every package and run for
# better-sqlite3 alone (its native binding; package.json's allowScripts says the same), so the compilers it may
# fall back to stay in this stage.
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
ENV npm_config_yes=true npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false
RUN apt-get update \
  && apt-get install --yes --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json .npmrc ./
RUN npm ci --omit=dev --ignore-scripts && npm rebuild better-sqlite3 && npm cache clean --force

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    DLP_BOT_CONFIG=/etc/dlp-bot/dlp-bot.yaml \
    DLP_BOT_HEALTH_PORT=9464
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /src/dist ./dist
COPY package.json LICENSE ./
COPY bin ./bin
# Everything the bot writes goes under /data (the store, its -wal and -shm, backups): the rest of the file system
# can be mounted read-only. The working folder is /data too, so a relative path can never land in the image.
RUN mkdir -p /data /etc/dlp-bot && chown node:node /data
VOLUME ["/data"]
WORKDIR /data
USER node
# 3000: Slack in HTTP mode; 3978: Teams /api/messages; 9464: the ops listener (/livez, /readyz, /metrics).
EXPOSE 3000 3978 9464
# Asks the ops listener's /livez. Only this check reads DLP_BOT_HEALTH_PORT: the config's `ops.port` must be the same
# port (9464 unless you change both). The slim image has no curl, so Node asks.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.DLP_BOT_HEALTH_PORT}/livez`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "/app/bin/dlp-bot.js"]
CMD ["serve"]

# The cable-ingest image used by docker-compose.yml (watcher and workers share it), on Node 24 LTS.
# scripts/dockerfile-steps.mjs performs these steps without Docker (a test runs it), so a broken build fails CI.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY src ./src
COPY test ./test
COPY bench ./bench
COPY tools ./tools
RUN npx tsc -p tsconfig.json && npm prune --omit=dev

FROM node:24-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
# glibc's malloc keeps buffers of 128 KiB and more in mappings of their own, returned when freed
# (README, "Memory"): left to itself it raises that bound to the largest buffer freed, and RSS grew.
ENV MALLOC_MMAP_THRESHOLD_=131072
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY reference ./reference
COPY kibana ./kibana
USER node
# Both roles in one process by default (compose runs them apart, each with a smaller cap). The
# young generation as Node 20's: Node 24's, twice as large, had capped roles marking back to back.
CMD ["node", "--max-old-space-size=320", "--max-semi-space-size=16", "dist/src/ops/cli.js", "run"]

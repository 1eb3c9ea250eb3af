# syntax=docker/dockerfile:1
# Omega's image: the gateway (the default command) or a worker (`node --enable-source-maps
# dist/worker/main.js`), one image for both. See compose.yaml for a whole deployment.
#   docker build -t omega .
#   docker run -e DATABASE_URL=postgresql://... -p 4000:4000 omega
# DATABASE_URL is required: the embedded PostgreSQL of `npm start` is a dev dependency, not in here.

ARG NODE_IMAGE=node:20-slim
# The npm of development and CI: its "allowScripts" (package.json) decides which install scripts run.
ARG NPM_VERSION=11.19.1

# --- build: every dependency, then `npm run build` (Prisma client, GraphiQL's files, the web app,
# then dist/), then the deployment's files copied into /deploy (scripts/buildDeployment.mjs: the same
# list the CI smoke test of the build installs and starts, test/deploy/prodBuild.ts).
FROM ${NODE_IMAGE} AS build
ARG NPM_VERSION
RUN npm install --global --no-audit --no-fund npm@${NPM_VERSION}
WORKDIR /src
COPY package.json package-lock.json ./
# Install scripts are skipped in this layer: the postinstall generates from sources not copied yet,
# and `npm run build` below generates everything anyway.
RUN --mount=type=cache,target=/root/.npm npm ci --ignore-scripts --no-audit --no-fund
COPY . .
RUN npm run build && node scripts/buildDeployment.mjs /deploy

# --- runtime: the build and the production dependencies only (no tsx, prisma CLI, vite, sources).
FROM ${NODE_IMAGE} AS runtime
ARG NPM_VERSION
RUN npm install --global --no-audit --no-fund npm@${NPM_VERSION} && rm -rf /root/.npm
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=4000
WORKDIR /app
COPY --from=build /deploy/ ./
# --omit=optional too: otherwise npm keeps the prisma CLI (an optional peer of @prisma/client, and a
# dev dependency) and TypeScript. The postinstall checks the build in dist/ is complete.
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --omit=optional --no-audit --no-fund
# The files stay root's and read-only to the process: Omega writes nothing to its folder.
USER node
EXPOSE 4000
# Ready (GET /health/ready: database reachable, migrations current, worker heartbeat fresh) rather
# than merely alive (/health). node itself asks: the slim image has no curl. A worker container has
# no HTTP port: compose.yaml turns this check off for the workers.
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 4000) + '/health/ready', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "--enable-source-maps", "dist/main.js"]

# syntax=docker/dockerfile:1
# The MCP server over Streamable HTTP, for a team (see README, Deploy). Two stages: the build stage
# compiles with the dev dependencies; the runtime stage has the production dependencies and dist/ only.
#
#   docker build -t hostaway-mcp .
#   docker run -p 3000:3000 -e MCP_AUTH_TOKEN=$(openssl rand -hex 24) hostaway-mcp
#
# Bound to 0.0.0.0 the server refuses to start without MCP_AUTH_TOKEN (16 characters or more), which
# clients send as `Authorization: Bearer <token>`. Without HOSTAWAY_ACCOUNT_ID and HOSTAWAY_API_KEY it
# serves the demo (the built-in sandbox).
#
# Node.js 24 is an LTS line with security fixes until April 2028 and the newest one CI tests on; 26,
# which entered LTS in October 2026, also runs the server: --build-arg NODE_VERSION=26.
ARG NODE_VERSION=24

FROM node:${NODE_VERSION}-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# All dependencies, without install scripts: `prepare` would build before the sources are here.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts/build-bin.mjs scripts/build-views.mjs ./scripts/
COPY src ./src
COPY views ./views
RUN npm run build

FROM node:${NODE_VERSION}-slim AS runtime
ENV NODE_ENV=production \
    MCP_HTTP_HOST=0.0.0.0 \
    MCP_HTTP_PORT=3000 \
    HOSTAWAY_DATA_DIR=/data \
    HOSTAWAY_TOKEN_FILE=/data/hostaway-token.json
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY LICENSE README.md ./
# Live mode keeps the Hostaway access token, and the write store when DATABASE_URL is unset, in /data.
RUN mkdir -p /data && chown node:node /data
VOLUME ["/data"]
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.MCP_HTTP_PORT + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/cli.js", "http"]

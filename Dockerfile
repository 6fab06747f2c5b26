# syntax=docker/dockerfile:1
# Build stage: install all dependencies and compile TypeScript to dist/.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` (tsc) runs below, once the sources are copied.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json index.ts ./
COPY schemas ./schemas
COPY parsers ./parsers
COPY transforms ./transforms
COPY src ./src
COPY test/bench ./test/bench
COPY test/support ./test/support
RUN npx tsc -p tsconfig.build.json

# Runtime stage: production dependencies, the compiled output and the bundled fixtures only.
FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production \
    ONCO_EDI_HOME=/home/node/.onco-edi
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY fixtures ./fixtures
COPY schemas ./schemas
USER node
VOLUME ["/home/node/.onco-edi"]
# The entrypoint is the CLI: `docker run IMAGE serve`, `IMAGE worker --outbox /out` or
# `IMAGE batch --inbox /in --outbox /out` (README "Clearinghouse service").
# onco-edi serve --host 0.0.0.0 (the web application; its default port)
EXPOSE 8080
ENTRYPOINT ["node", "/app/dist/src/cli/main.js"]
CMD ["--help"]

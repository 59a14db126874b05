# One image for every Hookline service; the command picks the app:
#   docker run IMAGE                                  the embedded all-in-one (npm start)
#   docker run IMAGE dist/apps/ingress/src/main.js    ingress | matcher | executor | admin-api
#   docker run IMAGE dist/libs/persistence/src/migrate.cli.js    apply migrations and exit
# About 400 MB unpacked: the Node 24 slim base (~200 MB) and production node_modules (~200 MB).

# Build: every dependency, the TypeScript compiled to dist/, then only production dependencies kept.
# The full image has python and a compiler in case isolated-vm has no prebuilt binary for the arch.
FROM node:24-bookworm AS build
WORKDIR /src
COPY package.json package-lock.json .nvmrc tsconfig.base.json tsconfig.json tsconfig.build.json ./
COPY scripts scripts
COPY apps apps
COPY libs libs
# postinstall checks the Node version, runs `npm run build` and builds the console (apps/console/dist).
RUN npm ci --no-fund --no-audit \
  && npm prune --omit=dev --no-fund --no-audit \
  && rm -rf node_modules/node-linux-* node_modules/node-darwin-* node_modules/.bin/node

# Runtime: compiled JavaScript and production dependencies, owned by root, run as `node`. Nothing
# under /app is written at run time, so the root filesystem can be read-only; the embedded mode
# keeps its data in /data (mount a volume there).
FROM node:24-bookworm-slim
ENV NODE_ENV=production DATA_DIR=/data
WORKDIR /app
COPY --from=build /src/package.json ./
COPY --from=build /src/node_modules node_modules
COPY --from=build /src/dist dist
COPY --from=build /src/apps/console/dist apps/console/dist
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT || 3000}/health/live`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "--enable-source-maps", "--no-node-snapshot", "--disable-warning=TimeoutNegativeWarning"]
# --liftoff-only: PGlite's WebAssembly without V8's optimising compiler, whose work on it took the
# process to about 800 MB for a moment at every start (235 MB without it). --max-semi-space-size=16:
# V8's young generation grew to 128 MB under load. --heap-growing-percent=50: V8's heap grew to
# 250 MB under load for about 100 MB of live objects; see docs/operations.md.
CMD ["--liftoff-only", "--max-semi-space-size=16", "--heap-growing-percent=50", "dist/apps/embedded/src/main.js"]

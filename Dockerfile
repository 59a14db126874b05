# The console's static files, built with the devDependencies this stage alone installs.
FROM node:24-bookworm-slim AS console
WORKDIR /app
COPY package.json package-lock.json .nvmrc ./
RUN npm ci --ignore-scripts --no-fund --no-audit
COPY apps/console apps/console
RUN node node_modules/vite/bin/vite.js build apps/console

# One image for every Hookline service; the command picks the app.
FROM node:24-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json .nvmrc ./
COPY scripts/require-node.js scripts/build-console.js scripts/
# The image has Node 24 already: drop the Node package that npm brings for older systems.
RUN npm ci --omit=dev --no-fund --no-audit && rm -rf node_modules/node-linux-* node_modules/.bin/node
COPY tsconfig.base.json tsconfig.json ./
COPY apps apps
COPY libs libs
COPY --from=console /app/apps/console/dist apps/console/dist
USER node
EXPOSE 3000
# Override with apps/ingress/src/main.ts, apps/matcher/src/main.ts, ...
CMD ["node", "--no-node-snapshot", "-r", "@swc-node/register", "apps/embedded/src/main.ts"]

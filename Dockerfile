# One image for every Hookline service; the command picks the app.
FROM node:24-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json .nvmrc ./
COPY scripts/require-node.js scripts/require-node.js
# The image has Node 24 already: drop the Node package that npm brings for older systems.
RUN npm ci --omit=dev --no-fund --no-audit && rm -rf node_modules/node-linux-* node_modules/.bin/node
COPY tsconfig.base.json tsconfig.json ./
COPY apps apps
COPY libs libs
USER node
EXPOSE 3000
# Override with apps/ingress/src/main.ts, apps/matcher/src/main.ts, ...
CMD ["node", "--no-node-snapshot", "-r", "@swc-node/register", "apps/embedded/src/main.ts"]

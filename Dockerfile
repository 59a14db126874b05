# One image for every Hookline service; the command picks the app.
FROM node:24-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json .nvmrc ./
COPY scripts/ensure-node.sh scripts/ensure-node.sh
RUN npm ci --omit=dev --no-fund --no-audit
COPY tsconfig.base.json tsconfig.json ./
COPY apps apps
COPY libs libs
USER node
EXPOSE 3000
# Override with apps/ingress/src/main.ts, apps/matcher/src/main.ts, ...
CMD ["node", "--no-node-snapshot", "-r", "@swc-node/register", "apps/embedded/src/main.ts"]

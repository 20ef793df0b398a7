# One image for the API and the worker (the command picks the entrypoint).
FROM node:22-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true
COPY package.json package-lock.json ./
# npm ci's postinstall patches postgres.js (see the script).
COPY infra/patch-postgres.mjs infra/
RUN npm ci --no-audit --no-fund
COPY . .
USER node
EXPOSE 3000
CMD ["node_modules/.bin/tsx", "api/main.ts"]

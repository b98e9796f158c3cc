# Keelson: one image for the web server and the workers (choose with --role).
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

# helm and kustomize for the gitops controller, built from the same pinned Go modules as the test cluster.
FROM golang:1.26-bookworm AS tools
WORKDIR /src
COPY tests/cluster/helm helm
COPY tests/cluster/kustomize kustomize
RUN cd helm && CGO_ENABLED=0 go build -mod=readonly -trimpath -o /out/helm helm.sh/helm/v3/cmd/helm \
 && cd ../kustomize && CGO_ENABLED=0 go build -mod=readonly -trimpath -o /out/kustomize sigs.k8s.io/kustomize/kustomize/v5

FROM node:20-bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends git ca-certificates bubblewrap slirp4netns iproute2 util-linux python3 && rm -rf /var/lib/apt/lists/*
COPY --from=tools /out/helm /out/kustomize /usr/local/bin/
WORKDIR /app
# Inside a container the web server must listen on every interface (npm start elsewhere: 127.0.0.1).
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 KEELSON_SKIP_BUILD=1 KEELSON_DATA_DIR=/data PORT=3000 KEELSON_HOST=0.0.0.0
COPY --from=build /app /app
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 3000
CMD ["node", "--import", "tsx", "scripts/start.ts", "--role", "web"]

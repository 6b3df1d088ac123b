# syntax=docker/dockerfile:1
# Strongroom: one image, three roles chosen by the command —
#   docker run IMAGE api        GraphQL API on STRONGROOM_API_PORT (4000)
#   docker run IMAGE resolver   gRPC resolver on STRONGROOM_RESOLVER_PORT (50051, mTLS)
#                               + /metrics /healthz /readyz on STRONGROOM_RESOLVER_METRICS_PORT (9464)
#   docker run IMAGE migrate    apply pending migrations, then exit (a release job)
# Nothing secret is in the image: DATABASE_URL, master keys, TLS files and the runner
# policy come from the environment and mounted files at run time (docs/operations.md).

ARG NODE_IMAGE=node:20-bookworm-slim

# --- toolchain: better-sqlite3 and pkcs11js are native addons; npm compiles them when no
# prebuilt binary matches the platform, which needs python3, make and a C++ compiler.
# (pkcs11js loads the HSM vendor's PKCS#11 library at run time: mount it, see docs/operations.md.)
FROM ${NODE_IMAGE} AS toolchain
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app

# --- build: every dependency (TypeScript and Vite are dev dependencies), then tsc → dist/
# and the admin console → dist/console.
FROM toolchain AS build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY services ./services
RUN npm run build

# --- deps: production dependencies only, native addons compiled here, for the runtime stage.
FROM toolchain AS deps
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# --- runtime: no compiler, no dev dependencies, no sources, not root.
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
# Owned by root and not writable by the service user: the code cannot be changed at run time.
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist/services ./dist/services
# The admin console the API serves at / (static files only; the API reads them at start).
COPY --from=build /app/dist/console ./dist/console
# The GraphQL SDL is read at start from ../../schema relative to the compiled api/ folder.
COPY schema ./dist/schema
COPY package.json ./
COPY bin ./bin
# The image's unprivileged `node` user, by number so that Kubernetes' runAsNonRoot can verify it.
USER 1000:1000
EXPOSE 4000 50051 9464
# Healthy when the API's or the resolver's plain-HTTP /healthz answers 200 (whichever role
# runs here; the ports follow the same variables as the app). `migrate` exits before it matters.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "const h=require('node:http');const ports=[process.env.STRONGROOM_API_PORT||4000,process.env.STRONGROOM_RESOLVER_METRICS_PORT||9464];let left=ports.length;const miss=()=>{if(--left===0)process.exit(1)};for(const port of ports){h.get({host:'127.0.0.1',port,path:'/healthz',timeout:3000},(r)=>{r.resume();r.statusCode===200?process.exit(0):miss()}).on('timeout',function(){this.destroy()}).on('error',miss)}"]
ENTRYPOINT ["node", "dist/services/cli/main.js"]
CMD ["api"]

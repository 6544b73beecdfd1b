# syntax=docker/dockerfile:1
# integration-planner's production image: Node 24 runs src/*.ts directly (type stripping, no build
# step), with production dependencies only, as the unprivileged `node` user, with no secrets inside:
# configuration comes from the environment at run time (see README "Configuration").
#
# test/integration/container.test.ts reads this file and replays its COPY/RUN/ENV/WORKDIR/CMD
# steps without Docker (copy into an empty directory, same install command, start as CMD does,
# check /readyz). It fails on instructions it cannot replay: keep to these, or teach it.

# Dependencies: exactly the lock file, no devDependencies, and no install scripts (no production
# dependency has one).
FROM node:24-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --prefer-offline --no-audit --no-fund

FROM node:24-slim AS runtime
ENV NODE_ENV=production
# PGlite's directory when DATABASE_URL is unset: one process only, mount a volume here to keep
# plans. Production runs on Postgres (DATABASE_URL) and then writes nothing to the filesystem.
ENV DATA_DIR=/home/node/data
# Heap sized for a container. V8 sizes its heap from the host's memory (4 GB on a 24 GiB node) and
# lets it grow far beyond what is live: 200 plans running at once (`npm run bench -- --only load`,
# which starts the service as this image does) peaked at ~345 MB resident with this cap alone and
# at ~270 MB with CMD's --optimize-for-size as well (V8 keeps the heap near its live size and
# compacts more; ~12 % fewer plans/min when CPU-bound). 256 MB of old space fits
# PLAN_WORKER_CONCURRENCY up to about 160; the service warns at start-up when the limit is tight
# for its concurrency. Override NODE_OPTIONS (and the container's memory limit) to size it
# differently. (--optimize-for-size also sets 1 MB semi-spaces, so --max-semi-space-size would be
# ignored; Node takes it only on the command line, not in NODE_OPTIONS.)
ENV NODE_OPTIONS="--max-old-space-size=256"
# glibc's malloc gives each thread that allocates (libuv's pool, V8's GC helpers) an arena of its
# own and hands memory back late: two arenas took ~10 MB off the load bench's peak (270–281 MB
# instead of 277–294 MB).
ENV MALLOC_ARENA_MAX=2
WORKDIR /app
# Owned by root, readable by `node`: the process cannot change its own code or dependencies.
COPY --from=deps /app/node_modules ./node_modules
COPY package.json package-lock.json ./
COPY migrations ./migrations
COPY prompts ./prompts
COPY src ./src
# The base image's `node` user (uid 1000; Kubernetes manifests set runAsUser: 1000 to match).
USER node
EXPOSE 3000
# Docker's view of readiness: database reachable, migrations applied, job queue running. No curl in
# slim images, so Node's fetch does it. (Kubernetes ignores this and uses its own probes.)
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Exec-form CMD: Node is PID 1 and receives SIGTERM itself (no shell in between); main.ts handles
# it by draining HTTP, giving running plans SHUTDOWN_GRACE_SECONDS and exiting 0. Same command as
# `npm start` (container.test.ts holds the two equal).
STOPSIGNAL SIGTERM
CMD ["node", "--optimize-for-size", "src/main.ts"]

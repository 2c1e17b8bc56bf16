#!/usr/bin/env bash
# Runs pretrain.mjs in a restart loop: after a crash (e.g. a native addon rebuilt under the running
# process: SIGILL) it resumes from the newest checkpoint. Arguments are passed to pretrain.mjs.
#   nohup tools/pretrain/run-background.sh --output-dir /tmp/pretrain/run ... > /tmp/pretrain/run.log 2>&1 &
# A private copy of the native addon and its JS (made once, reused by every restart) keeps a rebuild
# of packages/tensor-native from hitting the run: overwriting a loaded .node file crashes it (SIGILL).
set -u
here="$(cd "$(dirname "$0")" && pwd)"
pkg="$(cd "$here/../../packages/tensor-native" && pwd)"
snap="${PRETRAIN_NATIVE_COPY:-/tmp/pretrain/native}"
if [ -z "${ATTN_NATIVE_PATH:-}" ] && [ -f "$pkg/prebuilds/linux-x64/attn_native.node" ]; then
  if [ ! -f "$snap/tensor-native/dist/index.js" ]; then
    mkdir -p "$snap/tensor-native/node_modules/@attn"
    cp "$pkg/prebuilds/linux-x64/attn_native.node" "$snap/attn_native.node"
    cp -r "$pkg/dist" "$snap/tensor-native/dist"
    cp "$pkg/package.json" "$snap/tensor-native/package.json"
    ln -sfn "$pkg/../tensor" "$snap/tensor-native/node_modules/@attn/tensor"
  fi
  export ATTN_NATIVE_PATH="$snap/attn_native.node"
  export ATTN_PRETRAIN_NATIVE_JS="$snap/tensor-native/dist/index.js"
fi
for attempt in $(seq 1 "${PRETRAIN_MAX_RESTARTS:-50}"); do
  node "$here/pretrain.mjs" "$@"
  rc=$?
  echo "[run-background] $(date -u +%FT%TZ) pretrain.mjs exited with $rc (attempt $attempt)"
  [ "$rc" -eq 0 ] && exit 0
  sleep 5
done
exit 1

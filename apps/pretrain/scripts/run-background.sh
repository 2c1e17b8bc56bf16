#!/usr/bin/env bash
# Runs `attn-pretrain train` in a restart loop: after a crash (e.g. packages/tensor-native rebuilt under the
# running process: SIGILL) the same command resumes from the newest checkpoint. Arguments go to `train`.
#   nohup apps/pretrain/scripts/run-background.sh --output-dir runs/pretrain/run ... > runs/pretrain/run.log 2>&1 &
# A private copy of the native addon (made once, reused by every restart) keeps a rebuild of
# packages/tensor-native from hitting the run: overwriting a loaded .node file crashes it.
set -u
here="$(cd "$(dirname "$0")" && pwd)"
cli="$here/../dist/cli.js"
addon="$here/../../../packages/tensor-native/prebuilds/linux-x64/attn_native.node"
snap="${PRETRAIN_NATIVE_COPY:-/tmp/attn-pretrain-native}"
if [ -z "${ATTN_NATIVE_PATH:-}" ] && [ -f "$addon" ]; then
  mkdir -p "$snap"
  [ -f "$snap/attn_native.node" ] || cp "$addon" "$snap/attn_native.node"
  export ATTN_NATIVE_PATH="$snap/attn_native.node"
fi
for attempt in $(seq 1 "${PRETRAIN_MAX_RESTARTS:-50}"); do
  node "$cli" train "$@"
  rc=$?
  echo "[run-background] $(date -u +%FT%TZ) attn-pretrain train exited with $rc (attempt $attempt)"
  [ "$rc" -eq 0 ] && exit 0
  sleep 5
done
exit 1

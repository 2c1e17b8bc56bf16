# Sourced by tools/run-ner-conll.sh and tools/run-qa-squad.sh (needs $root): bundles an app from
# TypeScript source and decides its --model flags.
#   prepare_app_run <ner|qa> <tokenizer a preset starts with>
# Sets: bundle (the app's .cjs), model_flags (array); exports ATTN_NATIVE_PATH (when the addon is
# built) and ATTN_BACKEND (default wasm).
# MODEL: a preset (random weights; TOKENIZER or the given vocabulary) or an HF model directory (its own
# tokenizer unless TOKENIZER is set).
prepare_app_run() {
  local app="$1" preset_tokenizer="$2"
  # A private directory per run, with a private copy of the addon: a .node file rewritten while a
  # process has it mapped (a rebuild, or a second run copying over it) kills that process (SIGBUS).
  bundle="$(mktemp -d "${TMPDIR:-/tmp}/attn-run-$app-XXXXXX")/attn-$app.cjs"
  node "$root/tools/bundle-app.mjs" "$app" "$bundle"
  local addon="${ATTN_NATIVE_PATH:-$root/packages/tensor-native/prebuilds/linux-x64/attn_native.node}"
  if [ -f "$addon" ]; then
    cp "$addon" "$(dirname "$bundle")/attn_native.node"
    export ATTN_NATIVE_PATH="$(dirname "$bundle")/attn_native.node"
  fi
  export ATTN_BACKEND="${ATTN_BACKEND:-wasm}"
  local model="${MODEL:-bert-tiny}"
  model_flags=(--model "$model")
  case "$model" in
    bert-tiny|bert-mini|bert-small|bert-medium|bert-base) model_flags+=(--tokenizer "${TOKENIZER:-$preset_tokenizer}") ;;
    *) if [ -n "${TOKENIZER:-}" ]; then model_flags+=(--tokenizer "$TOKENIZER"); fi ;;
  esac
}

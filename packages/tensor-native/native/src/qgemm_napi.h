/* N-API wrappers of the dynamic int8 Linear (qgemm.h), registered by addon.c. */
#ifndef ATTN_QGEMM_NAPI_H
#define ATTN_QGEMM_NAPI_H

#include <node_api.h>

/* int8Pack(weights: Int8Array [n*k], scales: Float32Array [n], n, k) -> ArrayBuffer */
napi_value attn_js_int8_pack(napi_env env, napi_callback_info info);
/* int8Linear(heap, xOff, outOff, biasOff | null, m, packed: ArrayBuffer) */
napi_value attn_js_int8_linear(napi_env env, napi_callback_info info);
/* int8Isa() -> "avx512vnni" | "avx2" | "portable" */
napi_value attn_js_int8_isa(napi_env env, napi_callback_info info);

#endif

/* N-API entry points of dropout_mask.c, listed by addon.c. */
#ifndef ATTN_DROPOUT_MASK_NAPI_H
#define ATTN_DROPOUT_MASK_NAPI_H

#include <node_api.h>

napi_value attn_js_dropout_mask(napi_env env, napi_callback_info info);
napi_value attn_js_xoshiro_jump(napi_env env, napi_callback_info info);

#endif

/* N-API entry points of the tiled attention kernels (flash_attention_napi.c), listed by addon.c. */
#ifndef ATTN_FLASH_ATTENTION_NAPI_H
#define ATTN_FLASH_ATTENTION_NAPI_H

#include <node_api.h>

napi_value attn_js_flash_attention(napi_env env, napi_callback_info info);
napi_value attn_js_flash_attention_grad(napi_env env, napi_callback_info info);
napi_value attn_js_flash_dropout_mask(napi_env env, napi_callback_info info);

#endif

{
  "targets": [
    {
      "target_name": "attn_native",
      "sources": ["src/addon.c", "src/gemm.c", "src/elementwise.c", "src/thread_pool.c", "src/vector_math.c", "src/fused.c", "src/adamw.c", "src/encoder_layer.c", "src/embeddings.c", "src/qgemm.c", "src/qgemm_napi.c", "src/flash_attention.c", "src/flash_attention_napi.c", "src/dropout_mask.c", "src/dropout_mask_napi.c"],
      "defines": ["NAPI_VERSION=8"],
      "cflags": ["-O3", "-std=c11", "-D_GNU_SOURCE", "-fno-math-errno", "-Wall"],
      "cflags!": ["-O2", "-O0"],
      "ldflags": ["-pthread", "-Wl,-z,nodelete"],
      "libraries": ["-lm"]
    }
  ]
}

/* One-core GFLOP/s of @attn/tensor-native's GEMM with a weight packed once (attn_gemm_pack / attn_gemm_prepacked), on
 * BERT-mini and BERT-base inference products at m = 200 (a thread's share of a short batch), each the best of 5; the
 * reference is gemm_packed_ort.py (onnxruntime's MLAS, a one-node MatMul with a constant weight, which it prepacks),
 * run in the same minute. Not part of any build:
 *   S=packages/tensor-native/native/src; gcc -O3 -std=c11 -D_GNU_SOURCE -fno-math-errno -I$S tools/bench/gemm_packed.c \
 *     $S/gemm.c $S/thread_pool.c -o /tmp/gemm_packed -pthread -lm && /tmp/gemm_packed 1
 *   /tmp/hfvenv/bin/python tools/bench/gemm_packed_ort.py 1          (argument: threads) */
#include "gemm.h"
#include "thread_pool.h"
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
static double now(){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec+t.tv_nsec*1e-9;}
int main(int argc,char**argv){
  int th=argc>1?atoi(argv[1]):1; attn_set_num_threads(th);
  long sh[][3]={{200,768,256},{200,256,256},{200,1024,256},{200,256,1024},{400,1024,256},{200,3072,768},{200,768,3072},{64,512,128},{64,128,512}};
  for(int s=0;s<9;s++){long m=sh[s][0],n=sh[s][1],k=sh[s][2];
    float*a=aligned_alloc(64,4*m*k),*b=aligned_alloc(64,4*k*n),*c=aligned_alloc(64,4*m*n);
    for(long i=0;i<m*k;i++)a[i]=(i%7)*0.1f; for(long i=0;i<k*n;i++)b[i]=(i%5)*0.1f;
    void*p=aligned_alloc(64,(attn_gemm_packed_size(k,n)+63)&~63L); attn_gemm_pack(b,k,n,p);
    long reps=(long)(3e9/(2.0*m*n*k)); double best=1e9;
    for(int r=0;r<5;r++){double t=now();for(long i=0;i<reps;i++)attn_gemm_prepacked(a,m,p,c);t=(now()-t)/reps;if(t<best)best=t;}
    printf("%ld x %ld x %ld: %.1f GFLOP/s\n",m,n,k,2.0*m*n*k/best/1e9);}
}

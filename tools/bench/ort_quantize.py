"""onnxruntime's dynamic int8 quantization of an exported model, as tools/bench/int8.mjs compares against:

    python ort_quantize.py model.onnx model.int8.onnx

quantize_dynamic with per_channel=True and QInt8 weights (symmetric, per output channel); the activations are
quantized to uint8 at run time (DynamicQuantizeLinear, one scale per tensor), the MatMuls run as
MatMulIntegerToFloat / DynamicQuantizeMatMul. Every other setting is ORT's default. Prints one JSON line."""
import json
import os
import sys

from onnxruntime.quantization import QuantType, quantize_dynamic


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: ort_quantize.py IN.onnx OUT.onnx")
    src, dst = sys.argv[1], sys.argv[2]
    quantize_dynamic(src, dst, per_channel=True, weight_type=QuantType.QInt8)
    print("BENCH_RESULT " + json.dumps({"side": "ort-quantize", "onnx": dst, "bytes": os.path.getsize(dst), "fp32Bytes": os.path.getsize(src)}))


if __name__ == "__main__":
    main()

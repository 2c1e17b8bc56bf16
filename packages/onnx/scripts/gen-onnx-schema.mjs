#!/usr/bin/env node
// Regenerates src/onnx_schema.json (protobufjs's JSON descriptor) from proto/onnx.proto, the schema as the onnx
// project ships it (onnx 1.23.1, IR version 13). The JSON is committed so that the package needs no .proto parser
// and no file access at runtime (browsers); run this after replacing proto/onnx.proto.
import protobuf from 'protobufjs';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const proto = fileURLToPath(new URL('../proto/onnx.proto', import.meta.url));
const out = fileURLToPath(new URL('../src/onnx_schema.json', import.meta.url));
// keepCase: field names stay as onnx.proto spells them (op_type, raw_data), not camelCased.
const root = new protobuf.Root().loadSync(proto, { keepCase: true });
writeFileSync(out, `${JSON.stringify(root.toJSON({ keepComments: false }))}\n`);
console.log(`wrote ${out}`);

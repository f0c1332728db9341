// gen_proto.mjs: writes the .proto files of the subset of Milvus's client API that simvus serves,
// from the protobufjs JSON descriptors the pinned Milvus Node SDK ships
// (dist/milvus/proto-json/milvus.js), loaded and resolved with the SDK's own protobufjs.
//
//   node gen_proto.mjs SDK_DIR OUT_DIR
//
// SDK_DIR holds node_modules/@zilliz/milvus2-sdk-node (real/milvus/sdk after `npm ci`). Writes
// OUT_DIR/milvus/proto/<package>.proto, one file per protobuf package (milvus.proto.common ->
// common.proto, ...), holding only the messages and enums reachable from the methods in METHODS
// and from BYTES_PAYLOADS, and a `service MilvusService` with only those methods: gRPC answers
// UNIMPLEMENTED for every other method by itself. Field numbers, names, labels, enums, oneofs
// (proto3 `optional` included) and maps are kept exactly; every option is dropped (custom options
// need Milvus's extension definitions, the Go and Java ones mean nothing here). Type references
// are fully qualified. Before writing, the text is parsed back with protobufjs and checked field
// by field against the SDK's descriptors. Every file is written on every run (the build's
// dependency tracking expects fresh outputs).
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const METHODS = [
  'Connect', 'CreateCollection', 'DescribeCollection', 'HasCollection', 'DropCollection',
  'ShowCollections', 'Insert', 'Delete', 'Upsert', 'Flush', 'GetFlushState', 'CreateIndex',
  'DescribeIndex', 'LoadCollection', 'GetLoadingProgress', 'GetLoadState', 'ReleaseCollection',
  'Search', 'Query', 'GetCollectionStatistics',
];
// Messages the requests carry serialized in `bytes` fields: SearchRequest.placeholder_group holds a
// PlaceholderGroup, CreateCollectionRequest.schema a CollectionSchema.
const BYTES_PAYLOADS = ['milvus.proto.common.PlaceholderGroup', 'milvus.proto.schema.CollectionSchema'];
const SERVICE = 'milvus.proto.milvus.MilvusService';
const FILE_PREFIX = 'milvus/proto/';

function fail(message) {
  console.error(`gen_proto.mjs: ${message}`);
  process.exit(1);
}

if (process.argv.length !== 4) fail('usage: node gen_proto.mjs SDK_DIR OUT_DIR');
const [sdkDir, outDir] = process.argv.slice(2).map(p => path.resolve(p));
const sdkRequire = createRequire(path.join(sdkDir, 'package.json'));
let sdkMain;
try {
  sdkMain = sdkRequire.resolve('@zilliz/milvus2-sdk-node');
} catch (e) {
  fail(`no @zilliz/milvus2-sdk-node under ${sdkDir}/node_modules: run .ci/setup ` +
       `(npm ci --prefix real/milvus/sdk)`);
}
// The SDK's own protobufjs and descriptors, exactly as the SDK loads them.
const fromSdk = createRequire(sdkMain);
const protobuf = fromSdk('protobufjs');
const descriptors = fromSdk('./proto-json/milvus').default;
const sdkVersion = fromSdk('../../package.json').version;
const root = protobuf.Root.fromJSON(descriptors);
root.resolveAll();

const service = root.lookupService(SERVICE);
for (const m of METHODS) {
  if (!service.methods[m]) fail(`${SERVICE} has no method ${m} in SDK ${sdkVersion}`);
}

// ---------------------------------------------------------------- reachability
const reachable = new Set();  // protobufjs Type / Enum objects
function reach(node) {
  if (reachable.has(node)) return;
  reachable.add(node);
  // A nested type needs its enclosing message (a message, not a package).
  if (node.parent instanceof protobuf.Type) reach(node.parent);
  if (node instanceof protobuf.Type) {
    for (const field of node.fieldsArray) {
      if (field.resolvedType) reach(field.resolvedType);
    }
  }
}
for (const m of METHODS) {
  const method = service.methods[m];
  method.resolve();
  reach(method.resolvedRequestType);
  reach(method.resolvedResponseType);
}
for (const name of BYTES_PAYLOADS) reach(root.lookupType(name));

// The protobuf package of a node: its chain of enclosing namespaces that are not messages.
function packageOf(node) {
  let p = node.parent;
  while (p instanceof protobuf.Type) p = p.parent;
  return p.fullName.replace(/^\./, '');
}
function fileOf(pkg) {
  return FILE_PREFIX + pkg.split('.').pop() + '.proto';
}

// ---------------------------------------------------------------- emitting text
const deps = new Map();  // file -> Set of files it imports
function typeName(field, fromFile) {
  if (!field.resolvedType) return field.type;  // a scalar
  const target = fileOf(packageOf(field.resolvedType));
  if (target !== fromFile) deps.get(fromFile).add(target);
  return field.resolvedType.fullName;  // ".milvus.proto.common.Status"
}

function reservedLines(reserved, indent) {
  if (!reserved || reserved.length === 0) return [];
  const items = reserved.map(r => {
    if (typeof r === 'string') return JSON.stringify(r);
    return r[0] === r[1] ? `${r[0]}` : `${r[0]} to ${r[1] === 0x1fffffff ? 'max' : r[1]}`;
  });
  return [`${indent}reserved ${items.join(', ')};`];
}

function emitEnum(e, indent) {
  const lines = [`${indent}enum ${e.name} {`];
  const values = Object.entries(e.values);
  if (new Set(values.map(([, v]) => v)).size !== values.length) {
    lines.push(`${indent}  option allow_alias = true;`);
  }
  for (const [name, number] of values) lines.push(`${indent}  ${name} = ${number};`);
  lines.push(...reservedLines(e.reserved, indent + '  '));
  lines.push(`${indent}}`);
  return lines;
}

function fieldLine(field, file, inOneof) {
  const name = field.name;
  if (field.map) {
    return `map<${field.keyType}, ${typeName(field, file)}> ${name} = ${field.id};`;
  }
  let label = '';
  if (field.repeated) label = 'repeated ';
  else if (field.options && field.options.proto3_optional) label = 'optional ';
  else if (field.required) fail(`${field.fullName}: proto2 required fields are not expected`);
  if (inOneof) label = '';
  return `${label}${typeName(field, file)} ${name} = ${field.id};`;
}

function emitType(t, indent, file) {
  const lines = [`${indent}message ${t.name} {`];
  for (const nested of t.nestedArray) {
    if (!reachable.has(nested)) continue;
    if (nested instanceof protobuf.Type) lines.push(...emitType(nested, indent + '  ', file));
    else if (nested instanceof protobuf.Enum) lines.push(...emitEnum(nested, indent + '  '));
  }
  const synthetic = new Set();
  for (const oneof of t.oneofsArray) {
    const isSynthetic = oneof.fieldsArray.length === 1 &&
        oneof.fieldsArray[0].options && oneof.fieldsArray[0].options.proto3_optional;
    if (isSynthetic) synthetic.add(oneof);
  }
  const emittedOneofs = new Set();
  for (const field of t.fieldsArray) {
    const oneof = field.partOf && !synthetic.has(field.partOf) ? field.partOf : null;
    if (!oneof) {
      lines.push(`${indent}  ${fieldLine(field, file, false)}`);
      continue;
    }
    if (emittedOneofs.has(oneof)) continue;
    emittedOneofs.add(oneof);
    lines.push(`${indent}  oneof ${oneof.name} {`);
    for (const member of oneof.fieldsArray) {
      lines.push(`${indent}    ${fieldLine(member, file, true)}`);
    }
    lines.push(`${indent}  }`);
  }
  lines.push(...reservedLines(t.reserved, indent + '  '));
  if (t.extensions && t.extensions.length) fail(`${t.fullName}: extension ranges are not expected`);
  lines.push(`${indent}}`);
  return lines;
}

// Top-level reachable declarations per file, in the descriptors' order.
const bodies = new Map();
function collect(ns) {
  for (const node of ns.nestedArray) {
    if (node instanceof protobuf.Type || node instanceof protobuf.Enum) {
      if (!reachable.has(node) || node.parent instanceof protobuf.Type) continue;
      const file = fileOf(packageOf(node));
      if (!bodies.has(file)) {
        bodies.set(file, {pkg: packageOf(node), lines: []});
        deps.set(file, new Set());
      }
      const body = bodies.get(file);
      body.lines.push('', ...(node instanceof protobuf.Type ? emitType(node, '', file)
                                                            : emitEnum(node, '')));
    } else if (node instanceof protobuf.Namespace && !(node instanceof protobuf.Service)) {
      collect(node);
    }
  }
}
collect(root);

const serviceFile = fileOf(packageOf(service));
if (!bodies.has(serviceFile)) fail(`no reachable type in ${serviceFile}`);
{
  const lines = ['', `service ${service.name} {`];
  for (const m of METHODS) {
    const method = service.methods[m];
    for (const t of [method.resolvedRequestType, method.resolvedResponseType]) {
      const target = fileOf(packageOf(t));
      if (target !== serviceFile) deps.get(serviceFile).add(target);
    }
    const req = (method.requestStream ? 'stream ' : '') + method.resolvedRequestType.fullName;
    const resp = (method.responseStream ? 'stream ' : '') + method.resolvedResponseType.fullName;
    lines.push(`  rpc ${m}(${req}) returns (${resp}) {}`);
  }
  lines.push('}');
  bodies.get(serviceFile).lines.push(...lines);
}

// protoc refuses import cycles between files.
function checkAcyclic() {
  const state = new Map();
  const visit = (file, trail) => {
    if (state.get(file) === 'done') return;
    if (state.get(file) === 'open') fail(`import cycle: ${[...trail, file].join(' -> ')}`);
    state.set(file, 'open');
    for (const d of deps.get(file) || []) visit(d, [...trail, file]);
    state.set(file, 'done');
  };
  for (const file of deps.keys()) visit(file, []);
}
checkAcyclic();

const texts = new Map();
for (const [file, body] of [...bodies].sort(([a], [b]) => a.localeCompare(b))) {
  const header = [
    `// Generated by real/milvus/gen_proto.mjs from @zilliz/milvus2-sdk-node@${sdkVersion}`,
    `// (dist/milvus/proto-json/milvus.js): the part of Milvus's client API simvus serves. Do not edit.`,
    'syntax = "proto3";',
    '',
    `package ${body.pkg};`,
  ];
  const imports = [...deps.get(file)].sort().map(d => `import "${d}";`);
  if (imports.length) header.push('', ...imports);
  texts.set(file, [...header, ...body.lines, ''].join('\n'));
}

// ---------------------------------------------------------------- check: parse back, compare
{
  const check = new protobuf.Root();
  for (const [file, text] of texts) {
    protobuf.parse(text, check, {keepCase: true});
  }
  check.resolveAll();
  const describe = field => JSON.stringify({
    id: field.id, rule: field.repeated ? 'repeated' : (field.options?.proto3_optional ? 'optional' : ''),
    type: field.resolvedType ? field.resolvedType.fullName : field.type, key: field.keyType || '',
    oneof: field.partOf ? field.partOf.name : '',
  });
  for (const node of reachable) {
    const copy = check.lookup(node.fullName);
    if (!copy) fail(`check: ${node.fullName} missing from the generated files`);
    if (node instanceof protobuf.Enum) {
      if (JSON.stringify(copy.values) !== JSON.stringify(node.values)) {
        fail(`check: enum ${node.fullName} differs`);
      }
      continue;
    }
    const names = t => t.fieldsArray.map(f => f.name).join(',');
    if (names(copy) !== names(node)) fail(`check: ${node.fullName} fields differ`);
    for (const field of node.fieldsArray) {
      if (describe(copy.fields[field.name]) !== describe(field)) {
        fail(`check: ${field.fullName}: ${describe(copy.fields[field.name])} != ${describe(field)}`);
      }
    }
  }
  const copied = check.lookupService(SERVICE);
  for (const m of METHODS) {
    const a = copied.methods[m], b = service.methods[m];
    if (a.resolvedRequestType.fullName !== b.resolvedRequestType.fullName ||
        a.resolvedResponseType.fullName !== b.resolvedResponseType.fullName) {
      fail(`check: method ${m} differs`);
    }
  }
  if (Object.keys(copied.methods).length !== METHODS.length) fail('check: extra methods');
}

for (const [file, text] of texts) {
  const target = path.join(outDir, file);
  fs.mkdirSync(path.dirname(target), {recursive: true});
  fs.writeFileSync(target, text);
}

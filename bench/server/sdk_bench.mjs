// sdk_bench.mjs: insert rows/s and search QPS through the official Milvus Node SDK, against any
// Milvus API address (a `simvus up` cluster, its single-process form, or a Milvus).
//
//   node bench/server/sdk_bench.mjs ADDRESS [--rows N] [--dim D] [--batch B] [--searches S]
//                                           [--concurrency C] [--label L]
//
// Inserts N seeded random rows in batches of B (rows/s over the whole insert, acknowledged),
// flushes, builds HNSW (COSINE, M 16, efConstruction 64), loads, then runs S searches (topk 10, ef 64,
// Bounded consistency, as Milvus's default) with C in flight (QPS, p50 / p99 latency). Prints
// one JSON line with the figures.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '../../real/milvus/sdk/package.json'));
const { MilvusClient, DataType, ConsistencyLevelEnum } = require('@zilliz/milvus2-sdk-node');

const args = process.argv.slice(2);
if (args.length < 1) {
  console.error('usage: node sdk_bench.mjs ADDRESS [--rows N] [--dim D] [--batch B] ' +
                '[--searches S] [--concurrency C] [--label L]');
  process.exit(2);
}
const address = args[0];
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return at >= 0 && at + 1 < args.length ? args[at + 1] : fallback;
};
const rows = Number(option('--rows', 20000));
const dim = Number(option('--dim', 128));
const batch = Number(option('--batch', 1000));
const searches = Number(option('--searches', 2000));
const concurrency = Number(option('--concurrency', 8));
const label = option('--label', address);

// A seeded generator (mulberry32): the same rows every run.
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6D2B79F5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = rng(42);
const vector = () => Array.from({ length: dim }, () => random());

function check(status, what) {
  const s = status?.status ?? status;
  if (s && (s.code ?? 0) !== 0) throw new Error(`${what}: ${s.code} ${s.reason}`);
  if (s && s.error_code && s.error_code !== 'Success') throw new Error(`${what}: ${s.error_code} ${s.reason}`);
}

const client = new MilvusClient({ address, timeout: 120000 });
await client.connectPromise;
const collection = `bench_${process.pid}`;
check(await client.createCollection({
  collection_name: collection,
  fields: [
    { name: 'pk', data_type: DataType.Int64, is_primary_key: true },
    { name: 'vec', data_type: DataType.FloatVector, dim },
  ],
}), 'createCollection');

const insertStart = performance.now();
for (let first = 0; first < rows; first += batch) {
  const data = [];
  for (let pk = first; pk < Math.min(rows, first + batch); ++pk) data.push({ pk, vec: vector() });
  check(await client.insert({ collection_name: collection, data }), 'insert');
}
const insertSeconds = (performance.now() - insertStart) / 1000;

const flushStart = performance.now();
check(await client.flushSync({ collection_names: [collection] }), 'flush');
const flushSeconds = (performance.now() - flushStart) / 1000;
const indexStart = performance.now();
check(await client.createIndex({
  collection_name: collection, field_name: 'vec', index_type: 'HNSW', metric_type: 'COSINE',
  params: { M: 16, efConstruction: 64 },
}), 'createIndex');
for (;;) {
  const described = await client.describeIndex({ collection_name: collection });
  check(described, 'describeIndex');
  const d = described.index_descriptions[0];
  if (d.state === 'Finished' || d.state === 3) break;
  if (d.state === 'Failed' || d.state === 4) throw new Error(`index failed: ${d.index_state_fail_reason}`);
  await new Promise(r => setTimeout(r, 100));
}
const indexSeconds = (performance.now() - indexStart) / 1000;
check(await client.loadCollectionSync({ collection_name: collection }), 'load');

const queries = Array.from({ length: 100 }, () => vector());
const latencies = [];
let next = 0;
const searchStart = performance.now();
async function worker() {
  while (next < searches) {
    const i = next++;
    const t0 = performance.now();
    const result = await client.search({
      collection_name: collection, data: [queries[i % queries.length]], limit: 10,
      params: { ef: 64 }, consistency_level: ConsistencyLevelEnum.Bounded,
    });
    check(result, 'search');
    latencies.push(performance.now() - t0);
  }
}
await Promise.all(Array.from({ length: concurrency }, worker));
const searchSeconds = (performance.now() - searchStart) / 1000;
latencies.sort((a, b) => a - b);
const pct = q => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];

await client.releaseCollection({ collection_name: collection });  // simvus cannot drop yet
await client.closeConnection();
console.log(JSON.stringify({
  label, rows, dim, batch,
  insert_rows_per_s: Math.round(rows / insertSeconds),
  flush_s: +flushSeconds.toFixed(2), index_s: +indexSeconds.toFixed(2),
  searches, concurrency,
  search_qps: Math.round(searches / searchSeconds),
  search_p50_ms: +pct(0.5).toFixed(2), search_p99_ms: +pct(0.99).toFixed(2),
}));

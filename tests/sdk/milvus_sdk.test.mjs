// The official Milvus Node SDK (@zilliz/milvus2-sdk-node, pinned by real/milvus/sdk) against
// simvus's Milvus API, unchanged: `node --test tests/sdk/milvus_sdk.test.mjs` with
// SIMVUS_MILVUS_ADDRESS=host:port naming a running server (however it was started: the ctest
// fixture runs `simvus up --detach`). SIMVUS_MILVUS_SDK_DIR overrides where the SDK is installed.
//
// One collection goes through a user's whole path: create (INT64 pk, VARCHAR, INT64, DOUBLE and
// BOOL scalars, an 8-dim FLOAT_VECTOR), insert 600 rows, flush, HNSW index, load, filtered
// searches with nq = 3 checked against a brute-force computation here, count(*) and queries,
// deletes by id and by filter, an upsert, all read back with Strong consistency; then the bad
// inputs, which must get Milvus's error codes. The steps run in order and share the collection.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { spawn } from 'node:child_process';

const here = path.dirname(fileURLToPath(import.meta.url));
const sdkDir = process.env.SIMVUS_MILVUS_SDK_DIR ?? path.join(here, '../../real/milvus/sdk');
const sdkRequire = createRequire(path.join(sdkDir, 'package.json'));
const sdk = sdkRequire('@zilliz/milvus2-sdk-node');
const { MilvusClient, DataType, ErrorCode, promisify } = sdk;
// The SDK's own grpc-js, for its status codes.
const grpc = createRequire(sdkRequire.resolve('@zilliz/milvus2-sdk-node'))('@grpc/grpc-js');
const grpcStatus = grpc.status;

const address = process.env.SIMVUS_MILVUS_ADDRESS;
if (!address) throw new Error('set SIMVUS_MILVUS_ADDRESS=host:port of a simvus Milvus API server');

const DIM = 8;
const ROWS = 600;
const TAGS = ['red', 'green', 'blue'];
const STRONG = 'Strong';  // the name: the SDK replaces a falsy level (Strong is 0) by the default
const collection = `sdk_${process.pid}_${Date.now() % 1000000}`;
const client = new MilvusClient({ address, timeout: 60000, logLevel: 'error' });

// Milvus's error codes (merr) and what the SDK sees in `status`.
const CODE = {
  collectionNotFound: 100, collectionNotLoaded: 101, partitionNotFound: 200, indexNotFound: 700,
  databaseNotFound: 800, parameterInvalid: 1100, unsupported: 3000,
};

// ---------------------------------------------------------------- the data and the oracle
function random(seed) {  // mulberry32: the same rows on every run
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rnd = random(20261201);
const f32 = x => Math.fround(x);
const vector = () => Array.from({ length: DIM }, () => f32(rnd() * 2 - 1));
const rows = Array.from({ length: ROWS }, (_, i) => ({
  id: i + 1,
  tag: TAGS[i % 3],
  n: (i * 7) % 97,
  price: (i % 13) + 0.25,
  ok: i % 4 !== 0,
  vec: vector(),
}));
const live = new Map(rows.map(r => [r.id, r]));  // what a Strong read must see

function cosine(a, b) {
  let dot = 0, na = 0, nb = 0;
  for (let i = 0; i < a.length; ++i) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return dot / Math.sqrt(na * nb);
}
// The exact top-k by cosine similarity among live rows passing `keep`.
function bruteForce(query, k, keep) {
  return [...live.values()].filter(keep)
      .map(r => ({ id: r.id, score: cosine(query, r.vec) }))
      .sort((a, b) => b.score - a.score || a.id - b.id)
      .slice(0, k);
}

function assertOk(status, what) {
  assert.equal(status.error_code, ErrorCode.SUCCESS, `${what}: ${JSON.stringify(status)}`);
  assert.equal(Number(status.code), 0, `${what}: ${JSON.stringify(status)}`);
}
function assertError(status, code, legacy, what) {
  assert.ok(status, `${what}: no status`);
  assert.equal(Number(status.code), code, `${what}: ${JSON.stringify(status)}`);
  assert.equal(status.error_code, legacy, `${what}: ${JSON.stringify(status)}`);
  assert.ok(status.reason.length > 0, `${what}: an error needs a reason`);
}
async function countStrong(expr = '') {
  const res = await client.query({
    collection_name: collection, expr, output_fields: ['count(*)'], consistency_level: STRONG,
  });
  assertOk(res.status, `count(*) where '${expr}'`);
  return Number(res.data[0]['count(*)']);
}
async function waitFor(what, probe, seconds = 120) {
  const until = Date.now() + seconds * 1000;
  for (;;) {
    const last = await probe();
    if (last === true) return;
    if (Date.now() > until) assert.fail(`${what}: not after ${seconds} s (last: ${JSON.stringify(last)})`);
    await new Promise(r => setTimeout(r, 300));
  }
}

const SCHEMA = [
  { name: 'id', data_type: DataType.Int64, is_primary_key: true, autoID: false },
  { name: 'tag', data_type: DataType.VarChar, max_length: 16 },
  { name: 'n', data_type: DataType.Int64 },
  { name: 'price', data_type: DataType.Double },
  { name: 'ok', data_type: DataType.Bool },
  { name: 'vec', data_type: DataType.FloatVector, dim: DIM },
];

// ---------------------------------------------------------------- the user's path
test('connect: Connect answers with an identifier and server info', async () => {
  await client.connectPromise;
  assert.equal(client.connectStatus, sdk.CONNECT_STATUS.CONNECTED);
  assert.equal(client.serverInfo.build_tags, 'simvus');
});

test('create and describe a collection', async () => {
  const created = await client.createCollection({
    collection_name: collection, fields: SCHEMA, consistency_level: STRONG,
  });
  assertOk(created, 'createCollection');
  // The same schema again is accepted, as in Milvus.
  assertOk(await client._createCollection({ collection_name: collection, fields: SCHEMA,
                                            consistency_level: STRONG }), 'create again');
  const has = await client.hasCollection({ collection_name: collection });
  assert.equal(has.value, true);
  assert.equal((await client.hasCollection({ collection_name: `${collection}_nope` })).value, false);

  const d = await client.describeCollection({ collection_name: collection });
  assertOk(d.status, 'describeCollection');
  assert.equal(d.collection_name, collection);
  assert.notEqual(d.collectionID, '0');
  assert.equal(d.shards_num, 1);
  assert.equal(d.consistency_level, STRONG);
  assert.ok(BigInt(d.created_timestamp) > 0n);
  assert.equal(d.schema.autoID, false);
  assert.deepEqual(d.schema.fields.map(f => [f.name, f.data_type, f.fieldID, f.is_primary_key]), [
    ['id', 'Int64', '100', true], ['tag', 'VarChar', '101', false], ['n', 'Int64', '102', false],
    ['price', 'Double', '103', false], ['ok', 'Bool', '104', false],
    ['vec', 'FloatVector', '105', false],
  ]);
  assert.equal(d.schema.fields[5].dim, String(DIM));
  assert.equal(d.schema.fields[1].max_length, '16');

  const shown = await client.showCollections();
  assertOk(shown.status, 'showCollections');
  assert.ok(shown.data.some(c => c.name === collection && c.id === d.collectionID));
});

test('insert 600 rows, flush, row count', async () => {
  const res = await client.insert({ collection_name: collection, data: rows });
  assertOk(res.status, 'insert');
  assert.equal(Number(res.insert_cnt), ROWS);
  assert.deepEqual(res.IDs.int_id.data.map(Number), rows.map(r => r.id));
  assert.equal(res.succ_index.length, ROWS);
  assert.ok(BigInt(res.timestamp) > 0n);

  const flushed = await client.flushSync({ collection_names: [collection] });
  assertOk(flushed.status, 'flushSync');
  assert.equal(flushed.flushed, true);
  const stats = await client.getCollectionStatistics({ collection_name: collection });
  assertOk(stats.status, 'getCollectionStatistics');
  assert.equal(stats.data.row_count, String(ROWS));
});

test('an index with another metric is refused; loading without an index is refused', async () => {
  const wrong = await client.createIndex({
    collection_name: collection, field_name: 'vec', index_type: 'HNSW', metric_type: 'L2',
    params: { M: 16, efConstruction: 64 },
  });
  assertError(wrong, CODE.parameterInvalid, ErrorCode.IllegalArgument, 'createIndex L2 on COSINE');
  assert.match(wrong.reason, /metric type not match/);
  const load = await client.loadCollectionAsync({ collection_name: collection });
  assertError(load, CODE.indexNotFound, ErrorCode.IndexNotExist, 'load before any index');
  const described = await client.describeIndex({ collection_name: collection });
  assertError(described.status, CODE.indexNotFound, ErrorCode.IndexNotExist, 'describeIndex');
});

test('HNSW index: built for every flushed row', async () => {
  const res = await client.createIndex({
    collection_name: collection, field_name: 'vec', index_type: 'HNSW', metric_type: 'COSINE',
    params: { M: 16, efConstruction: 64 },
  });
  assertOk(res, 'createIndex');
  await waitFor('the index to finish', async () => {
    const d = await client.describeIndex({ collection_name: collection });
    assertOk(d.status, 'describeIndex');
    const index = d.index_descriptions[0];
    assert.equal(index.field_name, 'vec');
    const params = Object.fromEntries(index.params.map(p => [p.key, p.value]));
    assert.equal(params.index_type, 'HNSW');
    assert.equal(params.metric_type, 'COSINE');
    assert.deepEqual(JSON.parse(params.params), { M: 16, efConstruction: 64 });
    return (index.state === 'Finished' && Number(index.indexed_rows) === ROWS &&
            Number(index.total_rows) === ROWS) || index;
  });
});

test('load: loading progress reaches 100, load state Loaded', async () => {
  const res = await client.loadCollectionSync({ collection_name: collection });
  assertOk(res, 'loadCollectionSync');
  const progress = await client.getLoadingProgress({ collection_name: collection });
  assertOk(progress.status, 'getLoadingProgress');
  assert.equal(progress.progress, '100');
  const state = await client.getLoadState({ collection_name: collection });
  assertOk(state.status, 'getLoadState');
  assert.equal(state.state, 'LoadStateLoaded');
});

const queries = [vector(), vector(), vector()];
const FILTER = 'tag == "red" and n > 20';
const keep = r => r.tag === 'red' && r.n > 20;

async function checkedSearch(what) {
  const res = await client.search({
    collection_name: collection, data: queries, limit: 10, filter: FILTER,
    output_fields: ['tag', 'n'], consistency_level: STRONG, params: { ef: 200 },
  });
  assertOk(res.status, what);
  assert.equal(res.results.length, queries.length, `${what}: one result list per query`);
  let found = 0, expected = 0;
  res.results.forEach((hits, q) => {
    const exact = bruteForce(queries[q], 10, keep);
    assert.equal(hits.length, exact.length, `${what}: query ${q} hit count`);
    for (let i = 0; i < hits.length; ++i) {
      const hit = hits[i];
      const row = live.get(Number(hit.id));
      assert.ok(row, `${what}: query ${q} returned id ${hit.id}, which is deleted or unknown`);
      assert.ok(keep(row), `${what}: id ${hit.id} does not pass the filter ${FILTER}`);
      assert.equal(hit.tag, row.tag);
      assert.equal(Number(hit.n), row.n);
      assert.ok(Math.abs(hit.score - cosine(queries[q], row.vec)) < 1e-4,
                `${what}: id ${hit.id} score ${hit.score} vs ${cosine(queries[q], row.vec)}`);
      if (i > 0) assert.ok(hits[i - 1].score >= hit.score - 1e-6, `${what}: not best first`);
    }
    const ids = new Set(hits.map(h => Number(h.id)));
    found += exact.filter(e => ids.has(e.id)).length;
    expected += exact.length;
  });
  // HNSW is approximate; on 600 rows with ef 200 it finds (nearly) every true neighbour.
  assert.ok(found >= 0.9 * expected, `${what}: recall ${found}/${expected} below 0.9`);
  return res;
}

test('search nq=3 with a filter: hits match a brute-force computation', async () => {
  await checkedSearch('search');
});

test('count(*) and queries read what was inserted', async () => {
  assert.equal(await countStrong(), ROWS);
  assert.equal(await countStrong('tag == "red"'), rows.filter(r => r.tag === 'red').length);
  assert.equal(await countStrong('ok == false and price > 5'),
               rows.filter(r => !r.ok && r.price > 5).length);
  const got = await client.query({
    collection_name: collection, expr: 'id in [1, 2, 3]', output_fields: ['*'],
    consistency_level: STRONG,
  });
  assertOk(got.status, 'query *');
  assert.equal(got.data.length, 3);
  for (const r of got.data) {
    const row = live.get(Number(r.id));
    assert.equal(r.tag, row.tag);
    assert.equal(Number(r.n), row.n);
    assert.equal(r.price, row.price);
    assert.equal(r.ok, row.ok);
    assert.deepEqual(r.vec.map(f32), row.vec);
  }
  const limited = await client.query({
    collection_name: collection, expr: 'n < 50', output_fields: ['n'], limit: 5,
    consistency_level: STRONG,
  });
  assertOk(limited.status, 'query with limit');
  assert.equal(limited.data.length, 5);
  for (const r of limited.data) assert.ok(Number(r.n) < 50);
});

test('deletes by id and by filter are gone from Strong reads', async () => {
  // The best hits of the first query, and some others.
  const first = bruteForce(queries[0], 5, keep).map(h => h.id);
  const ids = [...new Set([...first, 10, 11, 12])];
  const res = await client.delete({ collection_name: collection, ids });
  assertOk(res.status, 'delete by ids');
  assert.equal(Number(res.delete_cnt), ids.length);
  for (const id of ids) live.delete(id);

  const byFilter = [...live.values()].filter(r => r.n < 10).map(r => r.id);
  const res2 = await client.deleteEntities({ collection_name: collection, expr: 'n < 10' });
  assertOk(res2.status, 'delete by filter');
  assert.equal(Number(res2.delete_cnt), byFilter.length);
  for (const id of byFilter) live.delete(id);

  assert.equal(await countStrong(), live.size);
  const gone = await client.query({
    collection_name: collection, expr: `id in [${ids.join(', ')}]`, output_fields: ['id'],
    consistency_level: STRONG,
  });
  assertOk(gone.status, 'query deleted ids');
  assert.equal(gone.data.length, 0);
  assert.equal(await countStrong('n < 10'), 0);
  await checkedSearch('search after deletes');
});

test('upsert replaces a row', async () => {
  const changed = { ...live.get(100), tag: 'blue', n: 96 };
  const res = await client.upsert({ collection_name: collection, data: [changed] });
  assertOk(res.status, 'upsert');
  assert.equal(Number(res.upsert_cnt), 1);
  live.set(100, changed);
  const got = await client.query({
    collection_name: collection, expr: 'id == 100', output_fields: ['tag', 'n'],
    consistency_level: STRONG,
  });
  assertOk(got.status, 'query upserted');
  assert.deepEqual(got.data.map(r => [r.id, r.tag, Number(r.n)]), [['100', 'blue', 96]]);
  assert.equal(await countStrong(), live.size);
});

test('an L2 collection: metric_type as the vector field\'s type param, exact FLAT search', async () => {
  const name = `${collection}_l2`;
  const fields = [SCHEMA[0], { ...SCHEMA[5], type_params: { metric_type: 'L2' } }];
  assertOk(await client._createCollection({ collection_name: name, fields,
                                            consistency_level: STRONG }), 'create L2');
  const d = await client.describeCollection({ collection_name: name });
  assertOk(d.status, 'describe L2');
  assert.equal(d.schema.fields[1].metric_type, 'L2');
  const small = rows.slice(0, 50).map(r => ({ id: r.id, vec: r.vec }));
  assertOk((await client.insert({ collection_name: name, data: small })).status, 'insert L2');
  // No metric_type: the collection's; FLAT answers exactly, from growing data here.
  assertOk(await client.createIndex({ collection_name: name, field_name: 'vec', index_type: 'FLAT' }),
           'createIndex FLAT');
  const index = await client.describeIndex({ collection_name: name });
  const params = Object.fromEntries(index.index_descriptions[0].params.map(p => [p.key, p.value]));
  assert.equal(params.metric_type, 'L2');
  assertOk(await client.loadCollectionSync({ collection_name: name }), 'load L2');
  const query = vector();
  const res = await client.search({ collection_name: name, data: [query], limit: 5,
                                    consistency_level: STRONG });
  assertOk(res.status, 'search L2');
  const l2 = v => v.reduce((sum, x, i) => sum + (x - query[i]) ** 2, 0);
  const exact = small.map(r => ({ id: r.id, score: l2(r.vec) }))
      .sort((a, b) => a.score - b.score).slice(0, 5);
  assert.deepEqual(res.results.map(h => Number(h.id)), exact.map(e => e.id));
  res.results.forEach((h, i) => assert.ok(Math.abs(h.score - exact[i].score) < 1e-4));
  assertOk(await client.releaseCollection({ collection_name: name }), 'release L2');
});

// ---------------------------------------------------------------- bad input
test('unknown collection: code 100, CollectionNotExists', async () => {
  const name = `${collection}_missing`;
  const d = await client.describeCollection({ collection_name: name });
  assertError(d.status, CODE.collectionNotFound, ErrorCode.CollectionNotExists, 'describe');
  assert.equal(d.status.reason, `collection not found[collection=${name}]`);
  const q = await client.query({ collection_name: name, expr: 'id > 0', output_fields: ['id'] });
  assertError(q.status, CODE.collectionNotFound, ErrorCode.CollectionNotExists, 'query');
  // The SDK describes the collection before an insert and throws its answer.
  await assert.rejects(client.insert({ collection_name: name, data: [rows[0]] }), thrown => {
    assertError(thrown.status, CODE.collectionNotFound, ErrorCode.CollectionNotExists, 'insert');
    return true;
  });
  const load = await client.getLoadState({ collection_name: name });
  assertOk(load.status, 'getLoadState of a missing collection');
  assert.equal(load.state, 'LoadStateNotExist');
});

test('wrong dimension: insert and search get code 1100, IllegalArgument', async () => {
  const short = { ...rows[0], id: 100001, vec: vector().slice(0, 5) };
  const ins = await client.insert({ collection_name: collection, data: [short] });
  assertError(ins.status, CODE.parameterInvalid, ErrorCode.IllegalArgument, 'insert dim 5');
  const long = { ...rows[0], id: 100002, vec: [...vector(), ...vector()] };
  const ins2 = await client.insert({ collection_name: collection, data: [long] });
  assertError(ins2.status, CODE.parameterInvalid, ErrorCode.IllegalArgument, 'insert dim 16');
  const s = await client.search({
    collection_name: collection, data: [vector().slice(0, 4)], limit: 3, consistency_level: STRONG,
  });
  assertError(s.status, CODE.parameterInvalid, ErrorCode.IllegalArgument, 'search dim 4');
  assert.match(s.status.reason, /dimension/);
  assert.equal(await countStrong(), live.size, 'nothing of the refused inserts was stored');
});

test('malformed placeholder group and other bad search input', async () => {
  const base = {
    collection_name: collection, dsl: '', dsl_type: 'BoolExprV1', output_fields: [],
    search_params: [{ key: 'topk', value: '3' }, { key: 'anns_field', value: 'vec' }],
    consistency_level: STRONG, nq: 1,
  };
  const garbage = await promisify(client.channelPool, 'Search',
                                  { ...base, placeholder_group: Buffer.from([0xff, 0x01, 0x02]) },
                                  10000);
  assertError(garbage.status, CODE.parameterInvalid, ErrorCode.IllegalArgument, 'garbage bytes');
  const bad_filter = await client.search({
    collection_name: collection, data: [vector()], limit: 3, filter: 'nosuchfield > 1',
    consistency_level: STRONG,
  });
  assertError(bad_filter.status, CODE.parameterInvalid, ErrorCode.IllegalArgument, 'bad filter');
  const bad_topk = await client.search({
    collection_name: collection, data: [vector()], limit: 20000, consistency_level: STRONG,
  });
  assertError(bad_topk.status, CODE.parameterInvalid, ErrorCode.IllegalArgument, 'topk 20000');
  const metric = await client.search({
    collection_name: collection, data: [vector()], limit: 3, metric_type: 'IP',
    consistency_level: STRONG,
  });
  assertError(metric.status, CODE.parameterInvalid, ErrorCode.IllegalArgument, 'metric IP');
});

test('schemas simvus does not support are refused with Milvus errors', async () => {
  const autoId = await client._createCollection({
    collection_name: `${collection}_auto`,
    fields: [{ ...SCHEMA[0], autoID: true }, SCHEMA[5]],
  });
  assertError(autoId, CODE.unsupported, ErrorCode.UnexpectedError, 'autoID');
  const float = await client._createCollection({
    collection_name: `${collection}_float`,
    fields: [SCHEMA[0], { name: 'f', data_type: DataType.Float }, SCHEMA[5]],
  });
  assertError(float, CODE.unsupported, ErrorCode.UnexpectedError, 'Float field');
  const dynamic = await client._createCollection({
    collection_name: `${collection}_dyn`, fields: [SCHEMA[0], SCHEMA[5]], enable_dynamic_field: true,
  });
  assertError(dynamic, CODE.unsupported, ErrorCode.UnexpectedError, 'dynamic field');
  const bigDim = await client._createCollection({
    collection_name: `${collection}_bigdim`,
    fields: [SCHEMA[0], { name: 'vec', data_type: DataType.FloatVector, dim: 40000 }],
  });
  assertError(bigDim, CODE.parameterInvalid, ErrorCode.IllegalArgument, 'dim 40000');
  const partition = await client.insert({
    collection_name: collection, partition_name: 'p1', data: [{ ...rows[1], id: 100003 }],
  });
  // merr's oldCode gives partition not found the legacy MetaFailed.
  assertError(partition.status, CODE.partitionNotFound, 'MetaFailed', 'partition');
  const other = new MilvusClient({ address, database: 'other', timeout: 60000, logLevel: 'error' });
  const inOther = await other.describeCollection({ collection_name: collection });
  assertError(inOther.status, CODE.databaseNotFound, ErrorCode.UnexpectedError, 'database');
  await other.closeConnection();
});

test('a cancelled call or a client that goes away does not stop the server', async () => {
  // A plain gRPC stub of the SDK's service: the SDK's own retry interceptor would send a
  // cancelled call again.
  const Stub = sdk.getGRPCService({ serviceName: 'milvus.proto.milvus.MilvusService' },
                                  sdk.LOADER_OPTIONS);
  const stub = new Stub(address, grpc.credentials.createInsecure());
  try {
    const cancelled = await new Promise(resolve => {
      const call = stub.Flush({ collection_names: [collection] },
                              { deadline: new Date(Date.now() + 60000) }, err => resolve(err));
      call.cancel();
    });
    assert.equal(cancelled?.code, grpcStatus.CANCELLED);
    const late = await new Promise(resolve => {
      stub.Query({ collection_name: collection, expr: 'id > 0', output_fields: ['count(*)'] },
                 { deadline: new Date(Date.now() + 1) }, err => resolve(err));
    });
    assert.equal(late?.code, grpcStatus.DEADLINE_EXCEEDED);
  } finally {
    stub.close();
  }
  // A client process killed with calls in flight: its connection drops mid-call.
  const script = `
    const { MilvusClient } = require(${JSON.stringify(sdkRequire.resolve('@zilliz/milvus2-sdk-node'))});
    const c = new MilvusClient({ address: ${JSON.stringify(address)}, logLevel: 'error' });
    (async () => {
      await c.connectPromise;
      console.log('started');
      for (;;) {
        await Promise.all([0, 1, 2, 3].map(() => c.query({ collection_name: ${JSON.stringify(collection)},
          expr: 'id > 0', output_fields: ['count(*)'], consistency_level: 'Strong' })));
      }
    })();`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise((resolve, reject) => {
    child.stdout.on('data', data => { if (String(data).includes('started')) resolve(); });
    child.on('exit', code => reject(new Error(`the client process exited (${code}) before starting`)));
  });
  await new Promise(r => setTimeout(r, 150));
  child.kill('SIGKILL');
  await new Promise(resolve => child.on('exit', resolve));
  assert.equal(await countStrong(), live.size);
  await checkedSearch('search after cancelled calls');
});

test('methods simvus does not serve answer UNIMPLEMENTED (the SDK reads an empty answer)', async () => {
  const res = await client.getVersion();
  assert.equal(res.version, undefined);
});

test('release: reads of a released collection get code 101', async () => {
  assertOk(await client.releaseCollection({ collection_name: collection }), 'release');
  const state = await client.getLoadState({ collection_name: collection });
  assert.equal(state.state, 'LoadStateNotLoad');
  const s = await client.search({
    collection_name: collection, data: [vector()], limit: 3, consistency_level: STRONG,
  });
  assertError(s.status, CODE.collectionNotLoaded, ErrorCode.UnexpectedError, 'search released');
  const drop = await client.dropCollection({ collection_name: collection });
  assertError(drop, CODE.unsupported, ErrorCode.UnexpectedError, 'drop (simvus cannot drop)');
  await client.closeConnection();
});

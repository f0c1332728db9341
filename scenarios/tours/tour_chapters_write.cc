// The chapters of the write side: TSO and snapshots (1.1.1, 1.1.2), the write path (1.1.3),
// checkpoints and replay (1.1.9). Each note's text is what the seed teaches at that event; the
// event's own text follows it in the tour.
#include "scenarios/tours/tour_chapters.h"

namespace simvus::scenarios::tours {

Chapter TsoSnapshotChapter() {
  Chapter c;
  c.name = "tso-snapshot";
  c.section = "1.1.1, 1.1.2";
  c.scenario = "timeline";
  c.title = {"TSO and snapshot isolation: the seed's timeline, t0 .. t4",
             "TSO 与快照隔离:种子文档的时间轴 t0 .. t4"};
  c.intro = {
      "The seed's 1.1.1 timeline, run for real: insert A (t0), insert B (t1), Strong query Q1 "
      "(t2), delete A (t3), Strong query Q2 (t4). Watch one clock order everything: RootCoord's "
      "TSO stamps every write and every Strong read, and the query node reads the snapshot at a "
      "timestamp. Q1 must see {A, B} and Q2 {B}.",
      "把 1.1.1 的时间轴真正跑一遍:t0 插入 A,t1 插入 B,t2 发起强一致查询 Q1,t3 删除 A,t4 "
      "发起查询 Q2。请注意整个集群只有一个时钟:根协调器 Root Coord 分配的 TSO 为每次写入和每次"
      "强一致读打上时间戳,Query Node 按时间戳读取快照。Q1 应看到 [A, B],Q2 应看到 [B]。"};
  c.try_set = "proxy.timeTickInterval=50";
  c.notes = {
      {"tso.init",
       "",
       "",
       "1.1.2",
       {"RootCoord is the Timestamp Oracle (TSO). Before handing out any timestamp it reads the "
        "window it last saved in the meta store (etcd) and starts above it, so no timestamp is "
        "ever issued twice, even across a restart. A TSO timestamp is (physical ms << 18) | "
        "logical: below, the number before the dot is the millisecond, the one after it a "
        "counter within that millisecond.",
        "根协调器 Root Coord 就是 TSO(Timestamp Oracle)。分配任何时间戳之前,它先从元数据存储 "
        "Metadata Storage(etcd)读出上次保存的时间窗口,并从窗口之上开始,所以即使重启也不会重复"
        "分配同一个时间戳。TSO = (物理毫秒 << 18) | 逻辑计数:下文中点号前是物理时间(毫秒),点号"
        "后是同一毫秒内的逻辑计数。"},
       {"TSO (re)starts above its saved window", "TSO 从保存的窗口之上启动"},
       "",
       1},
      {"session.register",
       "",
       "",
       "1.1.1",
       {"Compute nodes are stateless (storage/compute separation): a node only registers a "
        "session, a lease in the meta store, so the coordinators know it is alive. Everything it "
        "holds can be rebuilt from the log, the object store and the meta store.",
        "存储计算分离:计算节点无状态,节点只在元数据存储中注册一个会话(带租约),让协调器知道它"
        "还活着。它持有的一切都可以从 Log Broker、对象存储和元数据存储中重建。"},
       {"a node registers its session (lease)", "节点注册会话(租约)"},
       "common.session.ttl",
       1},
      {"ddl.create",
       "",
       "",
       "1.1.5",
       {"CreateCollection: RootCoord manages DDL and metadata. Each shard of the collection is a "
        "virtual channel (vchannel) placed on a physical channel (pchannel, a log topic); the "
        "schema is saved in the meta store.",
        "创建集合:Root Coord 管理 DDL 和元数据。集合的每个分片 Shard 对应一个虚拟通道 "
        "vchannel,落在日志代理的一个物理通道 pchannel 上;Schema 存入元数据存储。"},
       {"a collection is created", "创建集合"},
       "",
       0},
      {"data.assign",
       "",
       "",
       "1.1.2",
       {"The seed's quiz, answered by the run: it is DataCoord, not RootCoord, that decides which "
        "DataNode consumes a channel, and it records the decision in the meta store. RootCoord "
        "only allocates timestamps; requests come from clients.",
        "种子文档里的判断题,由这次运行给出答案:决定由哪个 Data Node 消费某个 channel "
        "的是数据协调器 "
        "Data Coord,而不是根协调器;它把分配结果记录到元数据存储。根协调器只负责分配 TSO,请求是客户"
        "端发起的。"},
       {"DataCoord assigns a channel to a DataNode", "Data Coord 把 channel 分配给 Data Node"},
       "",
       1},
      {"data.watch",
       "",
       "",
       "1.1.2",
       {"Only now, with a channel assigned by DataCoord, does the DataNode start consuming it from "
        "the log broker.",
        "Data Node 拿到 Data Coord 分配的 channel 之后,才开始从 Log Broker 消费这个 channel。"},
       {"a DataNode subscribes to its channel", "Data Node 订阅它的 channel"},
       "",
       1},
      {"query.watch",
       "",
       "",
       "1.1.8",
       {"The query node subscribes to the same channel: it sees the same writes as the data node "
        "without ever talking to it (log subscription). Readers and writers are separate.",
        "Query Node 订阅同一个 channel:它和 Data Node 看到相同的数据变更,两者无需直接通信(日志订阅"
        "机制,读写分离)。"},
       {"a query node subscribes to the channel", "Query Node 订阅 channel"},
       "",
       1},
      {"proxy.tso",
       "",
       "",
       "1.1.2",
       {"Step 2 of the seed's pseudocode: the proxy asks RootCoord for a globally unique timestamp "
        "(alloc_timestamp). All rows of one request share it; it fixes the order of this write "
        "among all others.",
        "伪代码第 2 步:Proxy 向 Root Coord 申请一个全局唯一的时间戳(alloc_timestamp)。同一请求的"
        "所有行共享这个时间戳,它决定了这次写入在全局中的先后顺序。"},
       {"the TSO stamps a request", "TSO 为请求打上时间戳"},
       "",
       2},
      {"data.open-segment",
       "",
       "",
       "1.1.3",
       {"DataCoord opens a growing segment for the channel (the seed's generate_segment_id and "
        "metadata_store.save).",
        "Data Coord 为该 channel 创建一个 Growing Segment(对应伪代码的 generate_segment_id 和 "
        "metadata_store.save)。"},
       {"DataCoord opens a growing segment", "Data Coord 创建 Growing Segment"},
       "dataCoord.segment.maxSize",
       1},
      {"proxy.segment",
       "",
       "",
       "1.1.3",
       {"The proxy gets a segment id for the rows from DataCoord; the allocation is valid only "
        "for a while ({dataCoord.segment.assignmentExpiration}).",
        "Proxy 从 Data Coord 取得这些行所属的 Segment ID;这个分配只在一段时间内有效"
        "({dataCoord.segment.assignmentExpiration})。"},
       {"DataCoord assigns rows to a segment", "Data Coord 为行分配 Segment"},
       "",
       1},
      {"log.produce",
       "",
       "",
       "1.1.3",
       {"Log first: the write goes into the log broker (Kafka here) with its timestamp, and is "
        "acknowledged once it is there. The log is the single source of truth (\"log as data\").",
        "日志先行:数据连同时间戳写入 Log Broker(这里是 Kafka),写进日志即向客户端确认。Log Broker "
        "是数据的“唯一真实来源”(日志即数据)。"},
       {"the write is appended to the log", "写入日志"},
       "",
       2},
      {"query.consume",
       "delete",
       "",
       "1.1.1",
       {"t3: the delete reaches the query node's delete buffer with its own timestamp. A read at "
        "MVCC ts M applies it only if its ts < M: Q1 (earlier) still saw A; Q2 will not.",
        "t3:删除带着自己的时间戳进入 Query Node 的删除缓冲区。MVCC 时间戳为 M 的读只在删除的 ts < "
        "M 时"
        "应用它:更早的 Q1 仍然看到了 A,Q2 将看不到。"},
       {"a query node consumes a delete", "Query Node 消费删除"},
       "",
       1},
      {"data.buffer",
       "delete",
       "",
       "1.1.3",
       {"The data node buffers the delete too (it will be stored as an L0 deltalog): the log "
        "carries deletes exactly like inserts.",
        "Data Node 同样缓冲这个删除(之后存为 L0 deltalog):日志承载删除的方式与插入完全相同。"},
       {"a data node buffers a delete", "Data Node 缓冲删除"},
       "",
       1},
      {"data.buffer",
       "",
       "",
       "1.1.3",
       {"The data node consumes the message into its in-memory buffer; nothing is in the object "
        "store yet (process_data: buffer.append).",
        "Data Node 消费消息,写入内存缓冲区;此时还没有写入对象存储(process_data 中的 "
        "buffer.append)。"},
       {"a data node buffers the write", "Data Node 写入缓冲区"},
       "",
       1},
      {"query.consume",
       "",
       "",
       "1.1.8",
       {"The query node consumes the same message into a growing segment: the write is "
        "searchable before any flush (incremental data, stream and batch in one view).",
        "Query Node 消费同一条消息,放入内存中的 Growing Segment:数据在 Flush 之前就能被查询到"
        "(增量数据,流批一体)。"},
       {"a query node consumes the write", "Query Node 消费写入"},
       "",
       1},
      {"timetick.send",
       "",
       "",
       "1.1.2",
       {"A time tick: RootCoord writes a watermark into each channel every "
        "{proxy.timeTickInterval}, the promise that no message with a smaller timestamp will "
        "follow on that channel.",
        "时间戳水印(time tick):Root Coord 每 {proxy.timeTickInterval} 向每个 channel 写入一个"
        "水印,承诺此后该 channel 上不会再出现更小时间戳的消息。"},
       {"a time tick (watermark) enters a channel", "水印 time tick 进入 channel"},
       "proxy.timeTickInterval",
       0},
      {"proxy.search",
       "",
       "",
       "1.1.2",
       {"A Strong read: the proxy takes a fresh TSO timestamp as the read's guarantee ts. Every "
        "write acknowledged before now has a smaller timestamp, so the read must see it.",
        "强一致读(Strong):Proxy 取一个新的 TSO 作为读的保证时间戳(guarantee ts)。此前确认的"
        "写入时间戳都更小,所以这次读必须看到它们。"},
       {"a Strong read takes a fresh TSO ts", "强一致读取一个新的 TSO"},
       "",
       2},
      {"query.wait",
       "",
       "",
       "1.1.2",
       {"The query node has not yet seen the watermark pass the guarantee ts (its tSafe is "
        "lower): a write with a smaller ts could still be in flight, so it waits. The wait is at "
        "most about one time tick interval, {proxy.timeTickInterval}.",
        "Query Node 还没看到水印越过保证时间戳(tSafe 更小):更小时间戳的写入可能还在路上,所以它"
        "等待。等待最多约一个 time tick 间隔({proxy.timeTickInterval})。"},
       {"the read waits for tSafe >= guarantee ts", "读等待 tSafe >= 保证时间戳"},
       "proxy.timeTickInterval",
       2},
      {"query.tsafe",
       "lifts tSafe",
       "",
       "1.1.2",
       {"The time tick arrives and lifts tSafe above the guarantee ts: every write before it has "
        "been consumed, so the read may run.",
        "time tick 到达,把 tSafe 抬到保证时间戳之上:之前的写入都已被消费,读可以执行了。"},
       {"a time tick lets the read run", "time tick 放行读请求"},
       "",
       2},
      {"query.search",
       "",
       "",
       "1.1.1",
       {"Snapshot isolation: the search runs at MVCC ts M (its tSafe): it sees every insert with "
        "ts <= M and applies every delete with ts < M, and nothing later.",
        "快照隔离:查询在 MVCC 时间戳 M(即 tSafe)上执行,看到所有 ts <= M 的插入,应用所有 "
        "ts < M 的删除,更晚的一概看不到。"},
       {"a search reads the snapshot at MVCC ts", "在 MVCC 时间戳上读取快照"},
       "",
       2},
  };
  c.recap = {
      "One clock ordered everything. RootCoord's TSO stamped each insert, delete and Strong read; "
      "the log kept the writes in timestamp order; time ticks carried a watermark into every "
      "channel; each read waited until tSafe passed its guarantee ts and then read the snapshot "
      "at MVCC ts M. Q1 (t2) saw {A, B} and Q2 (t4) saw {B}: the seed's 1.1.1 timeline.",
      "一个时钟决定了一切的顺序。Root Coord 的 TSO 为每次插入、删除和强一致读打上时间戳;Log "
      "Broker 按时间戳顺序保存写入;time tick 把水印带进每个 channel;每次读都等到 tSafe 越过保证"
      "时间戳,再读取 MVCC 时间戳 M 上的快照。Q1(t2)看到 [A, B],Q2(t4)看到 [B]:正是 1.1.1 的"
      "时间轴。"};
  c.simplified = {
      "The seed calls the TSO a watermark of data \"persisted to Object Storage\". In Milvus (and "
      "here) the watermark reads wait for is the time tick / tSafe: \"consumed from the log\"; "
      "persistence has its own mark, the flush ts and the channel checkpoint (tours write-path "
      "and checkpoint-replay). simvus runs one proxy here, a simulated clock, and 2 pchannels "
      "instead of Milvus's 16 (rootCoord.dmlChannelNum).",
      "种子文档把 TSO 说成“数据已持久化到 Object Storage”的水印。在 Milvus(以及 simvus)中,读请求"
      "等待的水印是 time tick / tSafe,表示“已从日志消费”;持久化有它自己的标记:flush ts 和 channel "
      "checkpoint(见 write-path 与 checkpoint-replay 两个导览)。这里只有一个 Proxy,时钟是模拟的,"
      "pchannel 只有 2 个(Milvus 默认 rootCoord.dmlChannelNum = 16)。"};
  return c;
}

Chapter WritePathChapter() {
  Chapter c;
  c.name = "write-path";
  c.section = "1.1.3";
  c.scenario = "flush";
  c.title = {"The write path: proxy, TSO, DataCoord, log, data node, flush to the object store",
             "数据写入高层级流程:Proxy、TSO、Data Coord、日志、Data Node、Flush 到对象存储"};
  c.intro = {
      "Three clients write (inserts, deletes, upserts) into a collection of 2 shards while "
      "segments fill up, seal and flush to S3, which answers 503 for a while. Follow the seed's "
      "1.1.3 steps: validate and stamp (TSO), assign a segment (DataCoord), log first, buffer in "
      "the data node, seal at the threshold, flush to the object store. Segments here are tiny "
      "({dataCoord.segment.maxSize}) so that they seal often.",
      "三个客户端向一个 2 分片的集合写入(插入、删除、upsert),Segment 不断写满、Seal、Flush 到 "
      "S3,期间 S3 会有一段时间返回 503。请按 1.1.3 的步骤观察:验证与分配顺序(TSO)、分配 Segment"
      "(Data Coord)、日志先行、Data Node 写缓冲、达到阈值 Seal、Flush 到对象存储。这里的 Segment "
      "很小({dataCoord.segment.maxSize}),所以会频繁 Seal。"};
  c.try_set = "dataCoord.segment.maxSize=0.008";
  c.notes = {
      {"ddl.create",
       "",
       "",
       "1.1.5",
       {"The collection has 2 shards; each shard is a vchannel on a pchannel of the log broker. "
        "Rows are routed to a shard by the hash of their primary key, so each shard is an "
        "independent pipeline.",
        "集合有 2 个分片 Shard,每个分片是 Log Broker 上某个 pchannel 中的一个 vchannel。行按主键的 "
        "hash 值路由到分片(像按邮编分拣),每个分片是一条独立的流水线。"},
       {"a collection is created", "创建集合"},
       "",
       0},
      {"data.assign",
       "",
       "",
       "1.1.3",
       {"Step 5 (DataCoord): it assigns each channel to a data node and records that in the meta "
        "store.",
        "第 5 步(Data Coord):把每个 channel 分配给一个 Data Node,并记录到元数据存储。"},
       {"DataCoord assigns a channel to a DataNode", "Data Coord 把 channel 分配给 Data Node"},
       "",
       1},
      {"proxy.tso",
       "",
       "",
       "1.1.3",
       {"Steps 1-4: the client's request reaches the proxy, which validates it (the collection "
        "exists, the rows match the schema) and gets a globally unique timestamp from RootCoord's "
        "TSO. Validation is done at the proxy because Milvus has no complex transactions.",
        "第 1-4 步:客户端请求到达 Proxy,Proxy 验证请求合法性(集合存在、数据符合 Schema),并从 "
        "Root Coord 的 TSO 取得全局唯一时间戳。由于 Milvus 没有复杂事务,DML 验证前移到 Proxy。"},
       {"the TSO stamps a request", "TSO 为请求打上时间戳"},
       "",
       2},
      {"data.open-segment",
       "",
       "",
       "1.1.3",
       {"Step 5: DataCoord decides where the rows go: a new growing segment, recorded in the meta "
        "store. It will seal by capacity at dataCoord.segment.maxSize "
        "({dataCoord.segment.maxSize}) x sealProportion ({dataCoord.segment.sealProportion}) "
        "divided by the row size.",
        "第 5 步:Data Coord 决定数据存放位置:新建一个 Growing Segment,并记录到元数据存储。它会在 "
        "dataCoord.segment.maxSize({dataCoord.segment.maxSize})× sealProportion"
        "({dataCoord.segment.sealProportion})÷ 行大小时按容量 Seal。"},
       {"DataCoord opens a growing segment", "Data Coord 创建 Growing Segment"},
       "dataCoord.segment.maxSize",
       2},
      {"proxy.segment",
       "",
       "",
       "1.1.3",
       {"The proxy asks DataCoord for segment ids in batches (AssignSegmentID) so that the "
        "central node is not asked row by row.",
        "Proxy 分批向 Data Coord 获取 Segment 信息(AssignSegmentID),避免中心节点负担过重。"},
       {"DataCoord assigns rows to a segment", "Data Coord 为行分配 Segment"},
       "",
       1},
      {"log.produce",
       "",
       "",
       "1.1.3",
       {"Step 6, log first: every change is written to the log broker before anything else; the "
        "client's write is acknowledged once it is in the log (durability and strict order).",
        "第 6 步,日志先行:所有数据变更必须首先写入 Log Broker;写入日志后即向客户端确认(保证持久性"
        "和严格顺序)。这是“日志即数据”理念的核心体现。"},
       {"the write is appended to the log", "写入日志"},
       "",
       2},
      {"data.buffer",
       "insert",
       "",
       "1.1.3",
       {"Steps 7 & 8: the data node consumes the insert into its memory buffer, per segment.",
        "第 7、8 步:Data Node 订阅并消费 Insert 消息,按 Segment 写入内存缓冲区。"},
       {"a data node buffers an insert", "Data Node 缓冲 Insert"},
       "",
       1},
      {"data.buffer",
       "delete",
       "",
       "1.1.5",
       {"A delete is buffered too, per channel: it will be written as an L0 segment (deltalog "
        "only) when the delete buffer fills ({dataNode.segment.deleteBufBytes}) or at a flush.",
        "删除也会被缓冲(按 channel):当删除缓冲区写满({dataNode.segment.deleteBufBytes})或 Flush "
        "时,它被写成一个 L0 Segment(只有 deltalog)。"},
       {"a data node buffers a delete", "Data Node 缓冲 Delete"},
       "dataNode.segment.deleteBufBytes",
       1},
      {"query.consume",
       "",
       "",
       "1.1.3",
       {"\"At this point the data can already be consumed by query nodes for real-time "
        "queries\": the query node puts the same message into its growing segment.",
        "“数据先写入内存缓冲区(此时即可被 Query Node 订阅消费用于实时查询)”:Query Node 把同一条"
        "消息放入它的 Growing Segment。"},
       {"a query node consumes the write", "Query Node 消费写入"},
       "",
       1},
      {"data.seal",
       "capacity",
       "",
       "1.1.3",
       {"Step 8, the threshold: the growing segment is full, DataCoord seals it (Growing -> "
        "Sealed): no new rows go into it. It is flushed once the channel's time tick passes the "
        "last row allocation, so no row in flight is left behind.",
        "第 8 步,达到阈值:Growing Segment 写满,Data Coord 将其 Seal(Growing -> Sealed),不再写入"
        "新行。等 channel 的 time tick 越过最后一次行分配之后再 Flush,保证不遗漏在途的行。"},
       {"a segment seals by capacity", "Segment 按容量 Seal"},
       "dataCoord.segment.maxSize",
       4},
      {"data.seal",
       "",
       "",
       "1.1.3",
       {"A manual Flush seals every growing segment of the collection, whatever its size.",
        "手动 Flush 会 Seal 集合中所有的 Growing Segment,无论大小。"},
       {"a segment seals for a Flush", "Segment 因 Flush 而 Seal"},
       "",
       2},
      {"data.flush",
       "",
       "",
       "1.1.3",
       {"Flush(collection): DataCoord seals and returns the segments to flush, with a flush ts: "
        "once they are Flushed, every write before the flush ts is in the object store. Flush is "
        "asynchronous; the client polls its state.",
        "Flush(collection):Data Coord Seal 并返回需要 Flush 的 Segment 以及 flush ts:它们变为 "
        "Flushed 之后,flush ts 之前的所有写入都已在对象存储中。Flush 是异步的,客户端轮询其状态。"},
       {"a Flush is requested", "发起 Flush"},
       "",
       1},
      {"data.flushing",
       "",
       "",
       "1.1.3",
       {"The data node claims the sealed segment (Sealed -> Flushing), so that it is flushed "
        "exactly once.",
        "Data Node 认领已 Seal 的 Segment(Sealed -> Flushing),保证它只被 Flush 一次。"},
       {"a data node claims a sealed segment", "Data Node 认领 Sealed Segment"},
       "",
       1},
      {"s3.put",
       "insert_log",
       "",
       "1.1.3",
       {"The flush itself: the buffered rows become segment files in the object store, one "
        "insert binlog per field under insert_log/<collection>/<partition>/<segment>/<field>/.",
        "Flush 本身:缓冲的行变成对象存储中的 Segment 文件,每个字段一个 insert binlog,路径为 "
        "insert_log/<集合>/<分区>/<Segment>/<字段>/。"},
       {"a binlog is written to the object store", "binlog 写入对象存储"},
       "",
       1},
      {"s3.put",
       "delta_log",
       "",
       "1.1.5",
       {"Deletes are stored as deltalogs: (primary key, ts) pairs, under delta_log/.",
        "删除以 deltalog 的形式存储:(主键, ts) 对,路径在 delta_log/ 下。"},
       {"a deltalog is written", "deltalog 写入对象存储"},
       "",
       1},
      {"data.sync",
       "",
       "",
       "1.1.3",
       {"The data node has written a segment's buffer to the object store (binlogs, and a "
        "statslog with the primary keys' bloom filter), or a full delete buffer as an L0 segment.",
        "Data Node 把一个 Segment 的缓冲写入了对象存储(binlog,以及包含主键布隆过滤器的 "
        "statslog),或者把写满的删除缓冲写成 L0 Segment。"},
       {"a data node syncs a buffer to the object store", "Data Node 把缓冲写入对象存储"},
       "",
       2},
      {"fault.object_store_outage",
       "",
       "",
       "1.1.6",
       {"A fault: the object store is unavailable. Writes go on (they only need the log); "
        "flushes wait. This is the seed's decoupling: the write path and persistence are "
        "separate.",
        "故障:对象存储不可用。写入照常进行(写入只需要日志);Flush 需要等待。这正是种子文档说的解耦:"
        "写入路径与持久化是分开的。"},
       {"the object store goes down", "对象存储不可用"},
       "",
       1},
      {"data.sync-retry",
       "",
       "",
       "1.1.6",
       {"Writing to S3 failed with 503: the data node retries with backoff. Nothing is lost: the "
        "rows are still in the log, and the checkpoint has not moved past them.",
        "写 S3 返回 503:Data Node 退避重试。数据不会丢:这些行仍在日志中,checkpoint "
        "也没有越过它们。"},
       {"an object-store write is retried", "重试写对象存储"},
       "",
       1},
      {"data.flushed",
       "",
       "",
       "1.1.3",
       {"DataCoord records the segment's binlogs in the meta store: Flushing -> Flushed, and moves "
        "the channel checkpoint. The segment is now durable without the log; index building "
        "comes next (tour index-build), asynchronously.",
        "Data Coord 把 Segment 的 binlog 路径记录到元数据存储:Flushing -> Flushed,并推进 channel "
        "checkpoint。此后这个 Segment 不依赖日志也能持久存在;接下来异步构建索引(见 index-build 导"
        "览)。"},
       {"a segment is Flushed", "Segment 变为 Flushed"},
       "",
       3},
      {"data.checkpoint",
       "",
       "",
       "1.1.9",
       {"The data node reports its channel checkpoint: where a restarted node would resume "
        "reading the log (every {dataNode.channel.updateChannelCheckpointInterval}).",
        "Data Node 上报 channel checkpoint:重启后从日志的哪个位置继续读取(每 "
        "{dataNode.channel.updateChannelCheckpointInterval} 一次)。"},
       {"a channel checkpoint is reported", "上报 channel checkpoint"},
       "",
       1},
      {"data.l0-compaction",
       "",
       "",
       "1.1.5",
       {"L0 compaction moves an L0 segment's deletes into the deltalogs of the flushed segments "
        "that may hold those keys (tour delete-compaction).",
        "L0 Compaction 把 L0 Segment 中的删除写进可能包含这些主键的已 Flush Segment 的 deltalog(见 "
        "delete-compaction 导览)。"},
       {"an L0 compaction", "L0 Compaction"},
       "",
       1},
      {"query.search",
       "",
       "",
       "1.1.4",
       {"Meanwhile reads see growing and flushed data alike: the query node merges its growing "
        "segments with sealed ones (tour read-path).",
        "与此同时,读请求同样能看到 Growing 数据和已 Flush 的数据:Query Node 合并 Growing Segment "
        "与 Sealed Segment(见 read-path 导览)。"},
       {"a search", "一次搜索"},
       "",
       0},
  };
  c.recap = {
      "The seed's 1.1.3 in order: the proxy validated and stamped each write (TSO), DataCoord "
      "chose its segment, the write went to the log first and was acknowledged there, the data "
      "node buffered it (and the query node could already search it), segments sealed at the "
      "threshold or at a Flush, and the data node wrote binlogs to S3, retrying through the "
      "outage, until DataCoord marked them Flushed. Try a smaller segment: --set "
      "dataCoord.segment.maxSize=0.008 seals by capacity several times as often (compare the "
      "data.seal counts below).",
      "按 1.1.3 的顺序:Proxy 验证每次写入并分配 TSO,Data Coord 选择 Segment,写入先进入日志并在"
      "那里得到确认,Data Node 写入缓冲(Query Node 此时已能搜索到),Segment 在达到阈值或 Flush 时 "
      "Seal,Data Node 把 binlog 写入 S3(故障期间不断重试),直到 Data Coord 将其标记为 Flushed。"
      "试试更小的 Segment:--set dataCoord.segment.maxSize=0.008,按容量 Seal "
      "的次数会成倍增加(对比下面 data.seal 的计数)。"};
  c.simplified = {
      "simvus seals by capacity without Milvus's jitter (sealProportionJitter) and estimates row "
      "size from the schema; segments are KB, not GB, so a short run seals. Deletes go to L0 "
      "segments as in Milvus 2.4+. The seed's step 4 (\"Root Coord notifies Data Coord\") does "
      "not happen: the proxy asks DataCoord itself, as in Milvus.",
      "simvus 按容量 Seal 时没有 Milvus 的随机抖动(sealProportionJitter),行大小按 Schema 估算;"
      "Segment 以 KB 计而非 GB,所以短时间的运行就会 Seal。删除与 Milvus 2.4+ 一样写入 L0 Segment。"
      "种子文档第 4 步说“通知 Data Coord”,实际上(与 Milvus 一致)是 Proxy 自己向 Data Coord 申请。"};
  return c;
}

Chapter CheckpointReplayChapter() {
  Chapter c;
  c.name = "checkpoint-replay";
  c.section = "1.1.9";
  c.scenario = "datanode-crash-replay";
  c.title = {"Checkpoints and replay: a data node crashes with unflushed rows",
             "Checkpoint 机制与重放:Data Node 带着未 Flush 的数据崩溃"};
  c.intro = {
      "Two clients write while the data node crashes with rows still in its memory buffers, and "
      "restarts. The seed's 1.1.9: a consumer does not replay the whole log, only what lies past "
      "its checkpoint. Watch the checkpoint move, the crash lose the buffers, and the restarted "
      "node resume at the checkpoint, skipping what is already stored.",
      "两个客户端写入,期间 Data Node 在内存缓冲区中还有未 Flush 的行时崩溃,随后重启。1.1.9 的 "
      "Checkpoint 机制:消费者不需要全量重放日志,只需消费 checkpoint 之后的部分。请观察 checkpoint "
      "前进、崩溃丢失缓冲、重启的节点从 checkpoint 处继续,并跳过已经持久化的数据。"};
  c.try_set = "dataNode.channel.updateChannelCheckpointInterval=0.5";
  c.notes = {
      {"data.watch",
       "",
       "",
       "1.1.2",
       {"The data node watches its channel, assigned by DataCoord, and consumes it into its "
        "buffers.",
        "Data Node 监听 Data Coord 分配给它的 channel,把消息消费进缓冲区。"},
       {"a data node watches a channel", "Data Node 监听 channel"},
       "",
       2},
      {"data.buffer",
       "",
       "",
       "1.1.3",
       {"Rows pile up in the data node's memory buffer: acknowledged (they are in the log) but not "
        "yet in the object store.",
        "行在 Data Node 的内存缓冲区中累积:已被确认(它们在日志中),但还没有写入对象存储。"},
       {"a data node buffers a write", "Data Node 缓冲写入"},
       "",
       1},
      {"data.checkpoint",
       "",
       "",
       "1.1.9",
       {"The checkpoint: the position in the log of the oldest data not yet stored. Everything "
        "before it is in the object store; a restarted data node replays the log from here, not "
        "from the start. It is reported every {dataNode.channel.updateChannelCheckpointInterval} "
        "and after each sync.",
        "Checkpoint:日志中最早一条尚未持久化的数据的位置。它之前的数据都已在对象存储中;重启的 Data "
        "Node 从这里而不是从头重放日志。每 {dataNode.channel.updateChannelCheckpointInterval} "
        "以及每次"
        "写入对象存储之后上报一次。"},
       {"a channel checkpoint is reported", "上报 channel checkpoint"},
       "dataNode.channel.updateChannelCheckpointInterval",
       2},
      {"data.seal",
       "",
       "",
       "1.1.9",
       {"DataCoord seals a segment and marks its seal time: no more rows go into it.",
        "Data Coord Seal 一个 Segment,并标记其 seal 时间:不再写入新行。"},
       {"a segment seals", "Segment Seal"},
       "",
       1},
      {"data.sync",
       "",
       "",
       "1.1.3",
       {"A sync writes a buffer to the object store; only after DataCoord has recorded it may the "
        "checkpoint move past those rows.",
        "一次 sync 把缓冲写入对象存储;只有 Data Coord 记录之后,checkpoint 才能越过这些行。"},
       {"a buffer is synced to the object store", "缓冲写入对象存储"},
       "",
       1},
      {"data.flushed",
       "",
       "",
       "1.1.9",
       {"DataCoord records the segment Flushed and the channel checkpoint with it, in the meta "
        "store (etcd): the checkpoint outlives any node.",
        "Data Coord 把 Segment 标记为 Flushed,同时把 channel checkpoint 记录到元数据存储(etcd):"
        "checkpoint 比任何节点都活得长。"},
       {"a segment is Flushed, the checkpoint moves", "Segment Flushed,checkpoint 前进"},
       "",
       2},
      {"node.crash",
       "",
       "",
       "1.1.9",
       {"The data node crashes: its memory buffers, with acknowledged but unflushed rows, are "
        "gone. Nothing is lost: those rows are still in the log, after the checkpoint.",
        "Data Node 崩溃:内存缓冲区连同已确认但未 Flush 的行一起丢失。但数据没有丢:这些行仍在日志中,"
        "位于 checkpoint 之后。"},
       {"a node crashes", "节点崩溃"},
       "",
       1},
      {"log.produce",
       "",
       "",
       "1.1.3",
       {"Writes go on while the data node is down: they only need the log. Reads go on too: query "
        "nodes consume the log themselves.",
        "Data Node 宕机期间写入照常进行:写入只需要日志。读也照常:Query Node 自己消费日志。"},
       {"a write is appended to the log", "写入日志"},
       "",
       0},
      {"node.restart",
       "",
       "",
       "1.1.9",
       {"The data node restarts with empty memory (compute nodes are stateless).",
        "Data Node 以空内存重启(计算节点无状态)。"},
       {"a node restarts", "节点重启"},
       "",
       1},
      {"data.recover",
       "replays",
       "",
       "1.1.9",
       {"Recovery: the data node reads its channel's checkpoint and the segments already "
        "persisted from the meta store, seeks the log to the checkpoint and replays from there: "
        "only tso > checkpoint_ts, no full replay.",
        "恢复:Data Node 从元数据存储读出 channel 的 checkpoint 和已持久化的 Segment,把日志定位到 "
        "checkpoint 并从那里重放:只消费 tso > checkpoint_ts 的日志,避免全量重放。"},
       {"a data node replays from its checkpoint", "Data Node 从 checkpoint 重放"},
       "",
       1},
      {"data.recover",
       "",
       "",
       "1.1.9",
       {"DataCoord reloads segments and channel checkpoints from the meta store.",
        "Data Coord 从元数据存储重新加载 Segment 与 channel checkpoint。"},
       {"DataCoord loads its meta", "Data Coord 加载元数据"},
       "",
       0},
      {"data.replay-skip",
       "",
       "",
       "1.1.9",
       {"Replay is idempotent: a message already stored (here a delete already in an L0 segment, "
        "or rows of a segment flushed past the checkpoint) is skipped, so nothing is applied "
        "twice.",
        "重放是幂等的:已经持久化的消息(这里是已在 L0 Segment 中的删除,或已 Flush 的 Segment 的行)"
        "会被跳过,不会重复应用。"},
       {"replay skips what is already stored", "重放跳过已持久化的数据"},
       "",
       3},
      {"data.flush",
       "",
       "",
       "1.1.3",
       {"The final Flush: after it, every acknowledged row and delete must be in the object store "
        "exactly once, which the scenario's storage audit checks.",
        "最后的 "
        "Flush:之后每一条已确认的行和删除都必须恰好一次地存在于对象存储中,场景的存储审计会检查"
        "这一点。"},
       {"a Flush is requested", "发起 Flush"},
       "",
       1},
  };
  c.recap = {
      "The checkpoint bounded the replay: the crash lost only memory, the restarted data node "
      "resumed reading the log at its channel checkpoint (kept in etcd), skipped what was already "
      "stored and rebuilt its buffers; after the final Flush every acknowledged row and delete was "
      "stored exactly once.",
      "Checkpoint 限定了重放的范围:崩溃只丢失了内存,重启的 Data Node 从 etcd 中保存的 channel "
      "checkpoint 处继续读取日志,跳过已持久化的数据并重建缓冲;最后一次 Flush 之后,每条已确认的行"
      "和删除都恰好存储了一次。"};
  c.simplified = {
      "The seed places the checkpoint in the query node's delta channel; in Milvus (and here) the "
      "channel checkpoint belongs to the data node's channel and is kept by DataCoord. Milvus "
      "reports it every 60 s; simvus every 2 s (and after each sync) so a short run sees it move. "
      "Log retention is unbounded here: in Milvus a checkpoint older than the retention means "
      "data loss.",
      "种子文档把 checkpoint 放在 Query Node 的 Delta Channel 上;在 Milvus(以及这里)channel "
      "checkpoint 属于 Data Node 的 channel,由 Data Coord 保存。Milvus 每 60 秒上报一次,simvus 每 "
      "2 秒(以及每次 sync 之后)上报,便于短时间运行中看到它前进。这里日志保留时间不受限;在 Milvus 中"
      "若 checkpoint 早于日志保留期,就会丢数据。"};
  return c;
}

}  // namespace simvus::scenarios::tours

// The chapters of the read side and the segment lifecycle: the read path (1.1.4), index
// building (1.1.5), deletes and compaction (the 1.1.5 delete example), the two-phase switch of
// flush and handoff (1.1.8), failover.
#include "scenarios/tours/tour_chapters.h"

namespace simvus::scenarios::tours {

Chapter ReadPathChapter() {
  Chapter c;
  c.name = "read-path";
  c.section = "1.1.4";
  c.scenario = "consistency-levels";
  c.title = {"The read path: guarantee ts, delegators, segments, local and global top-k",
             "查询高层级流程:保证时间戳、Delegator、Segment、局部与全局 TopK"};
  c.intro = {
      "Four clients on two proxies write and read at every consistency level (Strong, Bounded, "
      "Session, Eventually, Customized) over 2 replicas on 3 query nodes. Follow the seed's 1.1.4: "
      "the read gets a timestamp, QueryCoord knows which segments hold the data, the query node "
      "(the shard's delegator) waits for its snapshot, searches growing segments itself and "
      "sealed ones on workers, keeps a local top-k; the proxy merges the global top-k. Bounded "
      "reads may be {common.gracefulTime} stale.",
      "四个客户端通过两个 Proxy,以每种一致性级别(Strong、Bounded、Session、Eventually、"
      "Customized)写入和读取;2 个副本分布在 3 个 Query Node 上。按 1.1.4 观察:读请求取得时间戳,"
      "Query Coord 知道哪些 Segment 包含目标数据,Query Node(分片的 delegator)等待自己的快照,"
      "自己搜索 Growing Segment、把 Sealed Segment 交给 worker,保留局部 TopK;Proxy 合并全局 TopK。"
      "Bounded 读最多可以落后 {common.gracefulTime}。"};
  c.try_set = "common.gracefulTime=0";
  c.notes = {
      {"querycoord.load",
       "",
       "",
       "1.1.4",
       {"LoadCollection: QueryCoord places the collection on query nodes, in replicas (each "
        "replica can answer every read on its own).",
        "LoadCollection:Query Coord 把集合以副本(replica)的形式放到 Query Node 上(每个副本都能独"
        "立回答所有读请求)。"},
       {"QueryCoord loads a collection", "Query Coord 加载集合"},
       "",
       0},
      {"querycoord.replica",
       "",
       "",
       "1.1.2",
       {"A query node joins a replica: QueryCoord manages query nodes' load balancing and "
        "failover.",
        "一个 Query Node 加入副本:Query Coord 管理 Query Node 的负载均衡和故障转移。"},
       {"a query node joins a replica", "Query Node 加入副本"},
       "",
       0},
      {"querycoord.channel",
       "",
       "",
       "1.1.4",
       {"QueryCoord assigns each shard (vchannel) of a replica to one query node: its delegator, "
        "the shard leader that consumes the channel and fans reads out.",
        "Query Coord 把副本的每个分片(vchannel)分配给一个 Query Node:它的 delegator(分片 leader),"
        "负责消费 channel 并分发读请求。"},
       {"QueryCoord assigns a shard's delegator", "Query Coord 分配分片 delegator"},
       "",
       1},
      {"query.watch",
       "",
       "",
       "1.1.8",
       {"The delegator subscribes to the channel: it holds the growing (incremental) data of the "
        "shard in memory.",
        "delegator 订阅 channel:它在内存中持有该分片的 Growing(增量)数据。"},
       {"a delegator subscribes to its channel", "delegator 订阅 channel"},
       "",
       1},
      {"querycoord.next-target",
       "",
       "",
       "1.1.4",
       {"\"According to the Metadata Storage, determine which segments hold the data\": QueryCoord "
        "builds its next target from DataCoord's meta (segments and channels to serve).",
        "“根据 Metadata Storage 信息,确定哪些 Segment 包含目标数据”:Query Coord 根据 Data Coord 的"
        "元数据构建下一个 target(要服务的 Segment 和 channel)。"},
       {"QueryCoord builds a next target", "Query Coord 构建 next target"},
       "queryCoord.UpdateNextTargetInterval",
       1},
      {"querycoord.target",
       "",
       "",
       "1.1.4",
       {"Every replica has every channel and segment of the next target: it becomes the current "
        "target, the one reads use.",
        "每个副本都具备 next target 的所有 channel 和 Segment:它成为 current target,即读请求使用的"
        "那个。"},
       {"a next target becomes current", "next target 成为 current"},
       "",
       1},
      {"query.target",
       "handed off",
       ", 0 growing",
       "1.1.8",
       {"A target switch hands off data: sealed segments become readable and their growing "
        "copies are released in one step (tour flush-handoff).",
        "target 切换完成交接:Sealed Segment 变为可读,对应的 Growing 副本同时释放(见 flush-handoff "
        "导览)。"},
       {"a shard hands growing data off to sealed", "分片把 Growing 数据交接给 Sealed"},
       "",
       1},
      {"query.target",
       "",
       "",
       "1.1.4",
       {"The delegator switches to the target: the shard is serviceable.",
        "delegator 切换到该 target:分片可以提供服务。"},
       {"a delegator switches target", "delegator 切换 target"},
       "",
       0},
      {"index.create",
       "",
       "",
       "1.1.4",
       {"An index on the vector field: the index files (here IVF_FLAT: cluster centres and the "
        "ids of each list) speed up the ANN search on sealed segments.",
        "为向量字段建索引:索引文件(这里是 IVF_FLAT:聚类中心以及每个倒排列表中的向量 ID)加速 "
        "Sealed Segment 上的 ANN 搜索。"},
       {"an index is created", "创建索引"},
       "",
       0},
      {"proxy.search",
       "Strong search",
       "",
       "1.1.4",
       {"Steps 1-3: the search reaches a proxy, which takes a TSO timestamp as its guarantee ts "
        "(Strong): the read must see every write acknowledged before it.",
        "第 1-3 步:搜索请求到达 Proxy,Proxy 取一个 TSO 作为保证时间戳(Strong):读必须看到在它之前"
        "确认的所有写入。"},
       {"a Strong search takes a fresh TSO ts", "强一致搜索取新的 TSO"},
       "",
       1},
      {"proxy.search",
       "Strong query",
       "",
       "1.1.4",
       {"A query (a scalar filter, no vector) is stamped the same way.",
        "query(标量过滤,不带向量)以同样方式取得时间戳。"},
       {"a Strong query takes a fresh TSO ts", "强一致 query 取新的 TSO"},
       "",
       1},
      {"query.wait",
       ".0 on ",
       "",
       "1.1.2",
       {"A Bounded read waits: its guarantee ts is the proxy's clock minus gracefulTime "
        "({common.gracefulTime}), and the shard's tSafe is not there yet.",
        "Bounded 读在等待:它的保证时间戳是 Proxy 的时钟减去 gracefulTime({common.gracefulTime}),"
        "而分片的 tSafe 还没到。"},
       {"a Bounded read waits for tSafe", "Bounded 读等待 tSafe"},
       "common.gracefulTime",
       3},
      {"query.wait",
       "",
       "",
       "1.1.2",
       {"The delegator waits until its tSafe (the time tick watermark it has consumed) reaches the "
        "read's guarantee ts (Strong: a fresh TSO ts; Session: the client's own last write ts, so "
        "it reads its writes): then no earlier write can still arrive.",
        "delegator 等到它的 tSafe(已消费的 time tick 水印)达到读请求的保证时间戳(Strong:新的 TSO;"
        "Session:该客户端最近一次写入的时间戳,从而读到自己的写入):此后不会再有更早的写入到达。"},
       {"a read waits for tSafe >= guarantee ts", "读等待 tSafe >= 保证时间戳"},
       "proxy.timeTickInterval",
       2},
      {"query.search",
       "(guarantee 0.1)",
       "",
       "1.1.4",
       {"An Eventually read: guarantee ts 1 (0.1 below), no wait at all; it reads whatever "
        "snapshot the shard "
        "has.",
        "Eventually 读:保证时间戳为 1(下面显示为 0.1),完全不等待;读取分片当前已有的快照。"},
       {"an Eventually search", "Eventually 搜索"},
       "",
       1},
      {"query.search",
       ".0)",
       "",
       "1.1.4",
       {"A Bounded read: no TSO is asked; its guarantee ts is the proxy's own clock minus "
        "gracefulTime ({common.gracefulTime}), so usually tSafe is already past it and the search "
        "runs at once on a slightly older snapshot.",
        "Bounded 读:不向 TSO 申请时间戳;保证时间戳是 Proxy 本地时钟减去 gracefulTime"
        "({common.gracefulTime}),所以 tSafe 通常早已越过它,搜索立即在一个稍旧的快照上执行。"},
       {"a Bounded search", "Bounded 搜索"},
       "common.gracefulTime",
       2},
      {"query.search",
       "worker(s) for sealed",
       " 0 worker(s)",
       "1.1.4",
       {"Steps 4-5 with sealed data: the delegator searches its growing segments itself and sends "
        "the sealed ones to the workers holding them; each applies the filter, the ANN search on "
        "the index, exact distances and a local top-k; the delegator merges them.",
        "第 4-5 步(有 Sealed 数据时):delegator 自己搜索 Growing Segment,把 Sealed Segment 交给持"
        "有它们的 worker;每个 worker 执行标量过滤、基于索引的 ANN 搜索、精确距离计算和局部 TopK;"
        "delegator 合并结果。"},
       {"a search fans out to workers", "搜索分发到 worker"},
       "",
       2},
      {"query.search",
       "",
       "",
       "1.1.4",
       {"The shard's search at MVCC ts M (>= the guarantee ts): growing segments searched here, "
        "local top-k returned; the proxy merges every shard's top-k into the global top-k.",
        "分片在 MVCC 时间戳 M(>= 保证时间戳)上搜索:在这里搜索 Growing Segment,返回局部 TopK;Proxy "
        "把各分片的 TopK 合并成全局 TopK。"},
       {"a shard search", "分片搜索"},
       "",
       2},
      {"query.query",
       "",
       "",
       "1.1.4",
       {"A query: the scalar filter operator over the shard's snapshot (count(*) or a filter), "
        "merged by primary key at the proxy.",
        "query:在分片快照上执行标量过滤算子(count(*) 或过滤表达式),由 Proxy 按主键合并。"},
       {"a shard query", "分片 query"},
       "",
       2},
      {"querycoord.segment",
       "",
       "",
       "1.1.4",
       {"A segment is flushed: QueryCoord has a query node load it (cold data: from the object "
        "store into memory).",
        "Segment 已 Flush:Query Coord 让某个 Query Node 加载它(冷数据加载:从对象存储到内存)。"},
       {"QueryCoord loads a sealed segment", "Query Coord 加载 Sealed Segment"},
       "",
       1},
      {"query.load",
       "index",
       "",
       "1.1.4",
       {"The worker loads the segment's index file from the object store.",
        "worker 从对象存储加载 Segment 的索引文件。"},
       {"a worker loads an index file", "worker 加载索引文件"},
       "",
       1},
      {"query.load",
       "",
       "",
       "1.1.4",
       {"The worker reads the segment's binlogs from the object store into memory.",
        "worker 从对象存储读取 Segment 的 binlog 到内存。"},
       {"a worker loads a sealed segment", "worker 加载 Sealed Segment"},
       "",
       1},
      {"querycoord.balance",
       "",
       "",
       "1.1.2",
       {"QueryCoord balances: it moves a sealed segment to a less loaded query node (load there, "
        "switch, release the old copy).",
        "Query Coord 做负载均衡:把一个 Sealed Segment 移到负载较低的 Query Node(先在那里加载,再切"
        "换,最后释放旧副本)。"},
       {"QueryCoord balances a segment", "Query Coord 均衡 Segment"},
       "queryCoord.balanceIntervalSeconds",
       1},
  };
  c.recap = {
      "Every read got a guarantee ts (Strong: a fresh TSO; Bounded: the proxy's clock minus "
      "gracefulTime; Session: the client's last write; Eventually: 1), each shard's delegator "
      "waited until its tSafe reached it, searched growing data itself and sealed data on "
      "workers, and the proxy merged the shards' top-k. Every read was checked against its own "
      "level's promise. Try --set common.gracefulTime=0: Bounded reads then wait like Strong ones.",
      "每个读请求都有一个保证时间戳(Strong:新的 TSO;Bounded:Proxy 时钟减 gracefulTime;Session:"
      "客户端最近一次写入;Eventually:1),每个分片的 delegator 等到 tSafe 达到它,自己搜索 Growing "
      "数据、由 worker 搜索 Sealed 数据,Proxy 合并各分片的 TopK。每次读都按它自己级别的承诺被检查。"
      "试试 --set common.gracefulTime=0:Bounded 读就会像 Strong 一样等待。"};
  c.simplified = {
      "The seed sends reads through Query Coord, which takes the TSO and merges results; in "
      "Milvus (and here) the proxy takes the timestamp, sends each shard to its delegator and "
      "merges the global top-k; QueryCoord only decides placement and targets. Search on growing "
      "data is exact here (Milvus may use an interim index).",
      "种子文档让读请求经过 Query Coord,由它取 TSO 并合并结果;在 Milvus(以及这里)是 Proxy 取时间"
      "戳、把每个分片发给它的 delegator 并合并全局 TopK;Query Coord 只决定数据分布和 "
      "target。这里对 "
      "Growing 数据的搜索是精确的(Milvus 可能使用临时索引)。"};
  return c;
}

Chapter IndexBuildChapter() {
  Chapter c;
  c.name = "index-build";
  c.section = "1.1.5";
  c.scenario = "index-build";
  c.title = {"Index building: flushed segments, IndexCoord, index nodes, retries",
             "索引构建:已 Flush 的 Segment、Index Coord、Index Node 与重试"};
  c.intro = {
      "CreateIndex(HNSW) while two clients write. Each flushed segment gets one build: IndexCoord "
      "schedules it on an index node, which loads the segment from the object store, builds the "
      "index and writes it back. One index node crashes mid-build and the other stalls past the "
      "task timeout: watch the retries get new versions and a stale result be ignored.",
      "两个客户端写入的同时 CreateIndex(HNSW)。每个已 Flush 的 Segment 构建一次索引:Index Coord "
      "把任"
      "务调度到某个 Index Node,Index Node 从对象存储加载 Segment、构建索引并写回对象存储。一个 "
      "Index "
      "Node 在构建中崩溃,另一个卡住超过任务超时:请观察重试任务获得新版本号,过期结果被忽略。"};
  c.try_set = "dataCoord.segment.maxSize=0.008";
  c.notes = {
      {"index.create",
       "",
       "",
       "1.1.5",
       {"CreateIndex is recorded in the meta store; building is asynchronous (it never blocks "
        "writes, 1.1.6): one build per flushed segment.",
        "CreateIndex 记录到元数据存储;索引构建是异步的(不阻塞写入,1.1.6):每个已 Flush 的 Segment "
        "构建一次。"},
       {"an index is created", "创建索引"},
       "",
       0},
      {"data.flushed",
       "",
       "",
       "1.1.3",
       {"Step 9: a segment is Flushed; DataCoord lets IndexCoord know there is a new segment to "
        "index.",
        "第 9 步:一个 Segment 变为 Flushed;Data Coord 通知 Index Coord 有新 Segment 需要建索引。"},
       {"a segment is Flushed", "Segment 变为 Flushed"},
       "dataCoord.segment.maxSize",
       1},
      {"index.assign",
       "was flushed)",
       "",
       "1.1.3",
       {"Step 9: IndexCoord schedules a build task on an index node (its load balancing), version "
        "v1.",
        "第 9 步:Index Coord 把构建任务调度到一个 Index Node(由它负责负载均衡),版本 v1。"},
       {"IndexCoord assigns a build", "Index Coord 分配构建任务"},
       "",
       2},
      {"index.assign",
       "",
       "",
       "1.1.5",
       {"A retry: the task's index node did not report in time (crashed or stalled), so "
        "IndexCoord assigns the build again with a new version.",
        "重试:任务所在的 Index Node 没有按时汇报(崩溃或卡住),所以 Index Coord 以新版本号重新分配构"
        "建任务。"},
       {"IndexCoord retries a build with a new version", "Index Coord 以新版本重试构建"},
       "",
       2},
      {"index.accept",
       "",
       "",
       "1.1.5",
       {"The index node accepts the task.", "Index Node 接受任务。"},
       {"an index node accepts a build", "Index Node 接受构建"},
       "",
       0},
      {"index.build",
       "",
       "",
       "1.1.5",
       {"Step 10: the index node loads the segment's binlogs from the object store into memory, "
        "deserializes them and builds the index (HNSW: a layered graph; IVF: k-means clusters). "
        "It is compute- and memory-heavy.",
        "第 10 步:Index Node 从对象存储把 Segment 的 binlog 加载到内存、反序列化,然后构建索引"
        "(HNSW:多层图;IVF:K-means 聚类)。这是计算和内存密集型操作。"},
       {"an index node builds an index", "Index Node 构建索引"},
       "",
       2},
      {"index.write",
       "",
       "",
       "1.1.5",
       {"The index is serialized and written back to the object store, under index_files/<build "
        "id>/<version>/...",
        "索引被序列化后写回对象存储,路径为 index_files/<构建 ID>/<版本>/..."},
       {"an index file is written", "写入索引文件"},
       "",
       1},
      {"index.done",
       "",
       "",
       "1.1.5",
       {"IndexCoord records the build Finished in the meta store: query nodes can now load the "
        "index with the segment.",
        "Index Coord 在元数据存储中把构建标记为 Finished:Query Node 现在可以连同 Segment 一起加载索"
        "引。"},
       {"a build is Finished", "构建完成"},
       "",
       2},
      {"node.crash",
       "",
       "",
       "1.1.2",
       {"An index node crashes mid-build: its work is lost, nothing else is. IndexCoord manages "
        "index nodes' failover.",
        "一个 Index Node 在构建中崩溃:它的工作丢失,其他不受影响。Index Coord 管理 Index Node 的故障"
        "转移。"},
       {"a node crashes", "节点崩溃"},
       "",
       1},
      {"node.pause",
       "",
       "",
       "1.1.5",
       {"The other index node freezes: its build will not report before the task timeout.",
        "另一个 Index Node 卡住:它的构建无法在任务超时前汇报。"},
       {"a node pauses", "节点暂停"},
       "",
       1},
      {"index.stale",
       "",
       "",
       "1.1.5",
       {"The stalled node comes back and reports an old version: IndexCoord ignores it, since the "
        "task has moved on to a newer version. A stale result never registers.",
        "卡住的节点恢复后汇报了旧版本的结果:Index Coord 忽略它,因为任务已经进入新版本。过期结果永远"
        "不会被登记。"},
       {"a stale build result is ignored", "忽略过期的构建结果"},
       "",
       2},
      {"querycoord.segment",
       "index",
       "",
       "1.1.4",
       {"QueryCoord has a query node load the finished index with the segment.",
        "Query Coord 让 Query Node 连同 Segment 加载已完成的索引。"},
       {"QueryCoord loads a segment's index", "Query Coord 加载 Segment 的索引"},
       "",
       1},
      {"query.load",
       "index",
       "",
       "1.1.4",
       {"The query node loads the index file from the object store.",
        "Query Node 从对象存储加载索引文件。"},
       {"a query node loads an index", "Query Node 加载索引"},
       "",
       1},
      {"node.restart",
       "",
       "",
       "1.1.2",
       {"The crashed index node restarts empty and is available for new builds.",
        "崩溃的 Index Node 以空状态重启,可以接受新的构建任务。"},
       {"a node restarts", "节点重启"},
       "",
       1},
      {"node.resume",
       "",
       "",
       "1.1.5",
       {"The stalled index node resumes.", "卡住的 Index Node 恢复运行。"},
       {"a node resumes", "节点恢复"},
       "",
       1},
  };
  c.recap = {
      "Index building ran beside the writes, never in their way: each Flushed segment got one "
      "build task; the index node read its binlogs from the object store, built HNSW and wrote "
      "the index back; when a node crashed or stalled, IndexCoord retried with a new version and "
      "ignored the late result of the old one, and every flushed segment ended with a loadable "
      "index of all its rows.",
      "索引构建与写入并行,从不阻塞写入:每个 Flushed Segment 有一个构建任务;Index Node 从对象存储读"
      "取 binlog,构建 HNSW 并写回索引;当节点崩溃或卡住时,Index Coord 以新版本重试,并忽略旧版本迟"
      "到的结果;最终每个已 Flush 的 Segment 都有一个覆盖其全部行、可加载的索引。"};
  c.simplified = {
      "simvus builds indexes for every flushed segment (Milvus skips segments under 1024 rows and "
      "brute-forces them); build time is charged by a cost model on sim time, not measured. "
      "IndexCoord is a separate role here, as in the seed (Milvus 2.3+ folds it into DataCoord). "
      "A retry is triggered when a build has not reported within the task timeout plus its "
      "modelled cost; Milvus polls the node and reassigns when the node's session is gone.",
      "simvus 为每个已 Flush 的 Segment 建索引(Milvus 对少于 1024 行的 Segment 不建索引,直接暴力"
      "搜索);构建耗时按代价模型计入模拟时间,而不是实测。这里 Index Coord 与种子文档一样是独立角色"
      "(Milvus 2.3+ 并入 Data Coord)。构建超过任务超时加上其模型代价仍未汇报时触发重试;Milvus "
      "轮询节点,在节点会话消失时重新分配。"};
  return c;
}

Chapter DeleteCompactionChapter() {
  Chapter c;
  c.name = "delete-compaction";
  c.section = "1.1.5";
  c.scenario = "delete-compaction";
  c.title = {"Deletes and compaction: a mark first, physical removal later",
             "删除与 Compaction:先逻辑删除,后物理清除"};
  c.intro = {
      "The seed's example in 1.1.5: data with an index, then some of it deleted. What changes? "
      "Watch a delete travel like an insert (TSO, log), become a mark (the delete buffer, an L0 "
      "segment) that searches filter out, then L0 compaction and mix compaction rewrite the "
      "segments without the deleted rows, and GC removes the old files.",
      "1.1.5 中的例子:数据已建好索引,然后删除其中一部分,会发生什么?请观察删除像插入一样流转(TSO、"
      "日志),先成为一个标记(删除缓冲、L0 Segment),搜索时被过滤掉;之后 L0 Compaction 和混合 "
      "Compaction 重写 Segment、去掉已删除的行,GC 清除旧文件。"};
  c.try_set = "dataCoord.gc.dropTolerance=10";
  c.notes = {
      {"proxy.tso",
       "delete",
       "",
       "1.1.5",
       {"A delete is a DML request like an insert: the proxy gets a TSO timestamp for it.",
        "删除和插入一样是 DML 请求:Proxy 为它申请 TSO 时间戳。"},
       {"the TSO stamps a delete", "TSO 为删除打上时间戳"},
       "",
       1},
      {"proxy.tso",
       "",
       "",
       "1.1.3",
       {"Inserts and upserts are stamped by the TSO as usual.",
        "插入与 upsert 照常由 TSO 打上时间戳。"},
       {"the TSO stamps a write", "TSO 为写入打上时间戳"},
       "",
       0},
      {"log.produce",
       "delete",
       "",
       "1.1.5",
       {"The delete goes into the log, routed by the hash of its primary key to the same shard as "
        "the insert it deletes.",
        "删除写入日志,按主键 hash 路由到与被删除行的插入相同的分片。"},
       {"a delete is appended to the log", "删除写入日志"},
       "",
       1},
      {"query.consume",
       "delete",
       "",
       "1.1.5",
       {"Logical deletion: the query node adds the delete to its delete buffer, a mark on the "
        "primary key. No index file is rewritten (\"a label on the catalogue, the page is not "
        "torn out\").",
        "逻辑删除:Query Node "
        "把删除放入删除缓冲区,相当于给主键贴上“此条数据已失效”的标签。索引文件不"
        "会被改写(目录本页并没有被撕掉)。"},
       {"a query node records a delete mark", "Query Node 记录删除标记"},
       "",
       1},
      {"data.buffer",
       "delete",
       "",
       "1.1.5",
       {"The data node buffers the delete for its channel; it will be stored as an L0 segment.",
        "Data Node 按 channel 缓冲删除,之后存为 L0 Segment。"},
       {"a data node buffers a delete", "Data Node 缓冲删除"},
       "dataNode.segment.deleteBufBytes",
       1},
      {"data.sync",
       "L0",
       "",
       "1.1.5",
       {"The delete buffer is written as an L0 segment: a deltalog of (pk, ts) pairs, not bound "
        "to any data segment. The marks are now durable.",
        "删除缓冲被写成一个 L0 Segment:由 (pk, ts) 对组成的 deltalog,不属于任何数据 Segment。删除标"
        "记现在已持久化。"},
       {"deletes are stored as an L0 segment", "删除存为 L0 Segment"},
       "",
       1},
      {"query.forward",
       "",
       "",
       "1.1.5",
       {"The delegator forwards deletes to the sealed segments that may hold the keys (by their "
        "bloom filters), so that searches on them filter the deleted rows out: the \"garbage "
        "filter\".",
        "delegator 把删除转发给可能包含这些主键的 Sealed Segment(按布隆过滤器判断),使这些 Segment "
        "上的搜索过滤掉已删除的行:即“垃圾过滤器”。"},
       {"deletes are forwarded to sealed segments", "删除转发到 Sealed Segment"},
       "",
       1},
      {"query.search",
       "",
       "",
       "1.1.5",
       {"A search still uses the index to find candidates, then drops the rows marked deleted "
        "before returning: the index stays an accelerator, its results are cleaned.",
        "搜索仍然利用索引找到候选向量,在返回前过滤掉已标记删除的行:索引仍是“加速器”,"
        "结果经过清洗。"},
       {"a search filters deleted rows", "搜索过滤已删除的行"},
       "",
       1},
      {"data.flushed",
       "",
       "",
       "1.1.3",
       {"Segments are flushed as usual.", "Segment 照常 Flush。"},
       {"a segment is Flushed", "Segment 变为 Flushed"},
       "",
       0},
      {"data.l0-compaction",
       "",
       "",
       "1.1.5",
       {"L0 compaction (every {dataCoord.compaction.levelzero.triggerInterval}): the L0 "
        "segment's deletes are written into the deltalogs of the flushed segments whose bloom "
        "filter may hold the keys, and the L0 segment is Dropped.",
        "L0 Compaction(每 {dataCoord.compaction.levelzero.triggerInterval} 一次):L0 Segment 中的"
        "删除被写入布隆过滤器可能命中的已 Flush Segment 的 deltalog,然后 L0 Segment 被标记为 "
        "Dropped。"},
       {"an L0 compaction applies deletes", "L0 Compaction 应用删除"},
       "dataCoord.compaction.levelzero.triggerInterval",
       2},
      {"data.mix-compaction",
       "",
       "",
       "1.1.5",
       {"Mix compaction: small segments (under {dataCoord.segment.smallProportion} of the "
        "maximum) are merged into a new one and the deleted rows are physically removed; the "
        "inputs are Dropped. This is the moment the data is really rewritten.",
        "混合 Compaction:小 Segment(小于上限的 {dataCoord.segment.smallProportion})被合并成一个新 "
        "Segment,已删除的行被物理清除;输入 Segment 被标记为 Dropped。这时数据才在物理上被更新。"},
       {"a mix compaction merges and drops deleted rows", "混合 Compaction 合并并清除已删除行"},
       "dataCoord.segment.smallProportion",
       2},
      {"query.target",
       "handed off",
       ", 0 growing",
       "1.1.8",
       {"The query side switches to the new target: flushed data replaces growing copies.",
        "查询侧切换到新的 target:已 Flush 的数据替换 Growing 副本。"},
       {"a target switch hands data off", "target 切换完成交接"},
       "",
       0},
      {"query.detach",
       "",
       "",
       "1.1.8",
       {"The compaction's inputs leave the query side: the new target names the output segment "
        "instead, and the delegator detaches the old ones.",
        "Compaction 的输入离开查询侧:新的 target 改为指向输出 Segment,delegator 卸下旧的 "
        "Segment。"},
       {"a compacted-away segment is detached", "卸下被压缩掉的 Segment"},
       "",
       1},
      {"data.gc",
       "",
       "",
       "1.1.5",
       {"GC: a Dropped segment's files and meta are removed after dropTolerance "
        "({dataCoord.gc.dropTolerance}), reclaiming the space deleted rows took.",
        "GC:Dropped Segment 的文件和元数据在 dropTolerance({dataCoord.gc.dropTolerance})之后被删除,"
        "回收已删除数据占用的存储空间。"},
       {"GC removes a Dropped segment's files", "GC 删除 Dropped Segment 的文件"},
       "dataCoord.gc.dropTolerance",
       2},
  };
  c.recap = {
      "A delete was first only a mark: stamped by the TSO, logged, held in the delete buffer, "
      "stored as an L0 deltalog and forwarded to sealed segments, so searches filtered it out "
      "while the segment files stayed as they were. Compaction made it physical: L0 compaction "
      "pushed the deletes into the segments' deltalogs, mix compaction rewrote small segments "
      "without the deleted rows under new ids, and GC removed the old files. Storage alone "
      "answered the last flush's snapshot exactly.",
      "删除起初只是一个标记:由 TSO 打上时间戳、写入日志、保存在删除缓冲区、存为 L0 deltalog "
      "并转发到 "
      "Sealed Segment,搜索时被过滤掉,而 Segment 文件保持原样。Compaction 让删除在物理上生效:L0 "
      "Compaction 把删除写进各 Segment 的 deltalog,混合 Compaction 以新 ID 重写小 Segment "
      "并去掉已删"
      "除的行,GC 删除旧文件。仅凭存储层就能精确回答最后一次 Flush 的快照。"};
  c.simplified = {
      "This scenario has no vector index, so the seed's \"a new index is built on the merged "
      "data\" is not shown (tour index-build builds per flushed segment, compaction outputs "
      "included). Compaction and GC intervals are seconds here (Milvus: 10 s, 60 s, 1 h, 3 h).",
      "本场景没有向量索引,所以种子文档中“基于合并后的新数据生成新的索引”这一步没有展示(index-build "
      "导览为每个已 Flush 的 Segment 建索引,包括 Compaction 的输出)。这里 Compaction 和 GC "
      "的间隔以秒"
      "计(Milvus:10 秒、60 秒、1 小时、3 小时)。"};
  return c;
}

Chapter FlushHandoffChapter() {
  Chapter c;
  c.name = "flush-handoff";
  c.section = "1.1.8";
  c.scenario = "load-handoff";
  c.title = {"Flush and handoff: the two-phase switch from growing to sealed",
             "Flush 与交接:从 Growing 到 Sealed 的两段式切换"};
  c.intro = {
      "The seed's 1.1.8 question: query nodes serve data from their memory while data nodes "
      "flush it to the object store; how does the query side move to the flushed copy without "
      "losing or doubling rows? Watch the two phases: DataCoord records the segment Flushed "
      "(flush ts) in etcd; QueryCoord has the query node load the sealed segment (phase 1), then "
      "switches the target so that the sealed copy becomes readable and the growing copy is "
      "released at once (phase 2).",
      "1.1.8 的问题:Query Node 在内存中提供数据服务的同时,Data Node 把数据 Flush 到对象存储;查询侧"
      "如何切换到已 Flush 的副本,而不丢行也不重复?请观察两段式切换:Data Coord 在 etcd 中把 Segment "
      "记为 Flushed(flush_ts);Query Coord 先让 Query Node 加载 Sealed Segment(第一阶段),再切换 "
      "target,使 Sealed 副本可读、同时释放 Growing 副本(第二阶段)。"};
  c.try_set = "queryCoord.UpdateNextTargetInterval=3";
  c.notes = {
      {"query.consume",
       "insert",
       "",
       "1.1.8",
       {"Incremental data: the delegator consumes inserts into a growing segment in memory; reads "
        "see them at once (flush ts < tso <= now).",
        "增量数据:delegator 把插入消费到内存中的 Growing Segment;读请求立即可见(Flush 时间点 < tso "
        "<= 当前 tso)。"},
       {"a delegator consumes an insert", "delegator 消费插入"},
       "",
       1},
      {"data.seal",
       "",
       "",
       "1.1.9",
       {"DataCoord seals a segment: it stops taking rows (its seal time).",
        "Data Coord Seal 一个 Segment:停止写入(seal time)。"},
       {"a segment seals", "Segment Seal"},
       "dataCoord.segment.maxSize",
       1},
      {"data.flushed",
       "",
       "",
       "1.1.8",
       {"The meta change of the seed's JSON: {segment_id, state: Flushed, flush_ts}. Rows up to "
        "the flush ts are now in the object store; the segment's state in etcd is what storage "
        "and query layers agree on.",
        "种子文档中 JSON 所示的元数据变更:{segment_id, state: Flushed, flush_ts}。flush_ts 之前的行"
        "都已在对象存储中;etcd 中的 Segment 状态就是存储层与查询层达成共识的依据。"},
       {"a segment is Flushed (etcd)", "Segment 变为 Flushed(etcd)"},
       "",
       2},
      {"querycoord.next-target",
       "",
       ": 0 sealed",
       "1.1.8",
       {"QueryCoord learns of it from DataCoord's meta (not from the data node): its next target "
        "now names the flushed segments (every {queryCoord.UpdateNextTargetInterval}).",
        "Query Coord 从 Data Coord 的元数据得知这一变化(而不是从 Data Node):它的 next target 现在"
        "包含这些已 Flush 的 Segment(每 {queryCoord.UpdateNextTargetInterval} 刷新一次)。"},
       {"a next target names flushed segments", "next target 包含已 Flush 的 Segment"},
       "queryCoord.UpdateNextTargetInterval",
       2},
      {"querycoord.segment",
       "",
       "",
       "1.1.8",
       {"Phase 1: QueryCoord has a query node load the sealed segment. Reads keep using the "
        "growing copy meanwhile.",
        "第一阶段:Query Coord 让某个 Query Node 加载 Sealed Segment。在此期间读请求继续使用 "
        "Growing "
        "副本。"},
       {"phase 1: load a sealed segment", "第一阶段:加载 Sealed Segment"},
       "",
       2},
      {"query.load",
       "",
       "",
       "1.1.8",
       {"The worker loads the segment files (ts <= flush ts) from the object store.",
        "worker 从对象存储加载 Segment 文件(ts <= flush_ts 的数据)。"},
       {"a worker loads from the object store", "worker 从对象存储加载"},
       "",
       1},
      {"query.forward",
       "",
       "",
       "1.1.8",
       {"Deletes buffered since the segment started are forwarded to the loaded copy, so it misses "
        "none.",
        "Segment 开始以来缓冲的删除被转发给新加载的副本,确保不遗漏任何删除。"},
       {"buffered deletes are forwarded", "转发缓冲的删除"},
       "",
       1},
      {"query.attach",
       "",
       "",
       "1.1.8",
       {"The sealed copy is attached to the delegator but not readable yet: a target must name it.",
        "Sealed 副本挂到 delegator 上,但还不可读:必须等 target 指向它。"},
       {"a sealed copy is attached (not yet readable)", "挂上 Sealed 副本(尚不可读)"},
       "",
       1},
      {"querycoord.target",
       "",
       "target 1 ",
       "1.1.8",
       {"Every replica has loaded the next target: it becomes current. Now the switch can happen.",
        "每个副本都已加载 next target:它成为 current target。现在可以切换了。"},
       {"a next target becomes current", "next target 成为 current"},
       "",
       2},
      {"query.target",
       "handed off",
       ", 0 growing",
       "1.1.8",
       {"Phase 2, the switch: in one step the delegator makes the sealed segment readable and "
        "stops using the growing copy (\"stop using the old increments\"): a row is never seen "
        "twice, nor missed.",
        "第二阶段,切换:delegator 在同一步中让 Sealed Segment 可读,并停止使用 Growing 副本(“停止使用"
        "旧的增量”):一行数据既不会被看到两次,也不会漏掉。"},
       {"phase 2: the target switch hands off", "第二阶段:target 切换完成交接"},
       "",
       3},
      {"query.search",
       "",
       "",
       "1.1.8",
       {"Reads during all this see one copy of each row: growing before the switch, sealed after "
        "(execute_local_search: base data + increments).",
        "期间的读请求对每一行只看到一个副本:切换前是 Growing,切换后是 Sealed(execute_local_search:"
        "基础数据 + 增量)。"},
       {"a search", "一次搜索"},
       "",
       1},
      {"query.query",
       "",
       "",
       "1.1.8",
       {"Queries by primary key check the same: no row twice, every delete applied.",
        "按主键的 query 同样验证:没有重复行,每个删除都生效。"},
       {"a query", "一次 query"},
       "",
       1},
      {"querycoord.balance",
       "",
       "",
       "1.1.2",
       {"QueryCoord also moves a segment to another query node the same way: load there, switch, "
        "release the old copy.",
        "Query Coord 也用同样的方式把 Segment 移到另一个 Query "
        "Node:先在那里加载,再切换,最后释放旧副"
        "本。"},
       {"QueryCoord balances a segment", "Query Coord 均衡 Segment"},
       "",
       1},
      {"query.release",
       "",
       "",
       "1.1.8",
       {"A sealed copy no target uses any more is released.",
        "不再被任何 target 使用的 Sealed 副本被释放。"},
       {"a sealed copy is released", "释放 Sealed 副本"},
       "",
       1},
  };
  c.recap = {
      "The two-phase switch, as 1.1.8 describes: DataCoord recorded each segment Flushed with its "
      "flush ts in etcd; QueryCoord read that meta, had a query node load the sealed segment "
      "(phase 1) while the growing copy kept serving, and only when every replica had it switched "
      "the target, making the sealed copy readable and releasing the growing one in the same "
      "step (phase 2). Data and query coordinators never talked: they agreed through the "
      "segment's state in etcd.",
      "这就是 1.1.8 所说的两段式切换:Data Coord 把每个 Segment 连同 flush_ts 以 Flushed 状态记录到 "
      "etcd;Query Coord 读取这些元数据,先让 Query Node 加载 Sealed Segment(第一阶段),期间 Growing "
      "副本继续服务;只有当每个副本都加载完毕,才切换 target,在同一步中让 Sealed 副本可读并释放 "
      "Growing "
      "副本(第二阶段)。数据协调器与查询协调器之间没有直接通信:它们通过 etcd 中的 Segment 状态达成共"
      "识。"};
  c.simplified = {
      "The seed has query nodes subscribe to a \"delta channel\"; since Milvus 2.3 (and here) the "
      "delegator consumes the shard's DML channel itself and there are no delta channels. "
      "QueryCoord refreshes the next target every 1 s here (Milvus: 10 s).",
      "种子文档中 Query Node 订阅“Delta Channel”;自 Milvus 2.3 起(以及这里)由 delegator "
      "直接消费分片"
      "的 DML channel,已没有 Delta Channel。这里 Query Coord 每 1 秒刷新 next target(Milvus:10 "
      "秒)。"};
  return c;
}

Chapter FailoverChapter() {
  Chapter c;
  c.name = "failover";
  c.section = "1.1.1, 1.1.2";
  c.scenario = "querynode-failover";
  c.title = {"Failover: a query node crashes; QueryCoord moves its work",
             "故障转移:Query Node 崩溃,Query Coord 转移它的工作"};
  c.intro = {
      "A query node holding a delegator and sealed segments crashes during reads and writes. "
      "Compute nodes are stateless (1.1.1), so QueryCoord can rebuild its work elsewhere from the "
      "log, the object store and the meta store (1.1.2: \"manages Query Node load balancing and "
      "failover\"). Watch reads fail or retry, the session expire after {common.session.ttl}, the "
      "channel and segments move, and reads answer exactly again.",
      "一个持有 delegator 和 Sealed Segment 的 Query Node "
      "在读写过程中崩溃。计算节点无状态(1.1.1),所以 "
      "Query Coord 可以依靠日志、对象存储和元数据存储在别处重建它的工作(1.1.2:“管理 Query Node "
      "负载均"
      "衡和故障转移”)。请观察读请求失败或重试、会话在 {common.session.ttl} 后过期、channel 与 "
      "Segment "
      "被转移,以及读请求再次精确回答。"};
  c.try_set = "common.session.ttl=10";
  c.notes = {
      {"node.crash",
       "",
       "",
       "1.1.1",
       {"The query node crashes: its memory (growing data, loaded segments, delete buffer) is "
        "gone. Nothing durable is: the log, the object store and etcd hold it all.",
        "Query Node 崩溃:它的内存(Growing 数据、已加载的 Segment、删除缓冲)全部丢失。但持久数据没有"
        "丢:日志、对象存储和 etcd 保存着一切。"},
       {"a node crashes", "节点崩溃"},
       "",
       1},
      {"proxy.retry",
       "",
       "",
       "1.1.4",
       {"The proxy's read to that node fails: it retries on another replica or a refreshed shard "
        "leader.",
        "Proxy 发往该节点的读请求失败:它改为在另一个副本或刷新后的分片 leader 上重试。"},
       {"a proxy retries a read elsewhere", "Proxy 在别处重试读请求"},
       "proxy.shardLeaderCacheInterval",
       2},
      {"query.offline",
       "",
       "",
       "1.1.8",
       {"A delegator could not forward a delete to a segment on the dead node: it marks the "
        "segment offline, and the shard refuses reads rather than answer without that delete.",
        "某个 delegator 无法把删除转发给死节点上的 Segment:它把该 Segment 标记为 "
        "offline,分片宁可拒绝"
        "读请求,也不在缺少这个删除的情况下回答。"},
       {"a segment is marked offline", "Segment 被标记为 offline"},
       "",
       1},
      {"querycoord.channel",
       "",
       "",
       "1.1.2",
       {"QueryCoord notices the node no longer answers and watches its channel on another query "
        "node: a new delegator.",
        "Query Coord 发现该节点不再响应,在另一个 Query Node 上监听它的 channel:新的 delegator。"},
       {"QueryCoord moves a channel", "Query Coord 转移 channel"},
       "",
       2,
       "node.crash"},
      {"querycoord.channel",
       "",
       "",
       "1.1.4",
       {"QueryCoord assigns each shard to a delegator on some query node.",
        "Query Coord 把每个分片分配给某个 Query Node 上的 delegator。"},
       {"QueryCoord assigns a delegator", "Query Coord 分配 delegator"},
       "",
       0},
      {"query.watch",
       "",
       "",
       "1.1.9",
       {"The new delegator subscribes to the channel from the checkpoint and catches up (it "
        "replays only tso > checkpoint_ts) before serving.",
        "新的 delegator 从 checkpoint 开始订阅 channel 并追上进度(只重放 tso > checkpoint_ts "
        "的日志),"
        "然后才提供服务。"},
       {"a new delegator subscribes", "新 delegator 订阅 channel"},
       "",
       2,
       "node.crash"},
      {"querycoord.segment",
       "",
       "",
       "1.1.2",
       {"QueryCoord reloads the lost sealed segments on the remaining nodes, from the object "
        "store.",
        "Query Coord 在其余节点上从对象存储重新加载丢失的 Sealed Segment。"},
       {"QueryCoord loads a sealed segment (the lost ones first)",
        "Query Coord 加载 Sealed Segment(先加载丢失的)"},
       "",
       2,
       "node.crash"},
      {"etcd.lease_expired",
       "",
       "",
       "1.1.1",
       {"The dead node's session lease in etcd expires ({common.session.ttl} without a "
        "keep-alive): the cluster now knows for sure it is gone.",
        "死节点在 etcd 中的会话租约过期({common.session.ttl} 没有续约):集群现在确知它已离开。"},
       {"a session lease expires", "会话租约过期"},
       "common.session.ttl",
       1},
      {"querycoord.node-down",
       "",
       "",
       "1.1.2",
       {"QueryCoord removes the node from its replicas; its checkers place what it held elsewhere.",
        "Query Coord 把该节点移出副本;它的检查器把节点上的内容放到别处。"},
       {"QueryCoord drops a node", "Query Coord 移除节点"},
       "",
       1},
      {"query.target",
       "",
       "",
       "1.1.4",
       {"A delegator switches to a target that names what it now holds: the shard is serviceable "
        "again.",
        "delegator 切换到包含其当前所持数据的 target:分片重新可以提供服务。"},
       {"a delegator switches target", "delegator 切换 target"},
       "",
       1,
       "node.crash"},
      {"node.restart",
       "",
       "",
       "1.1.1",
       {"The node comes back empty (stateless) and registers a new session.",
        "节点以空状态(无状态)重启,并注册一个新会话。"},
       {"a node restarts", "节点重启"},
       "",
       1},
      {"querycoord.node-up",
       "",
       "",
       "1.1.2",
       {"QueryCoord sees it and adds it back to a replica.", "Query Coord 发现它,并把它加回副本。"},
       {"a node rejoins", "节点重新加入"},
       "",
       1,
       "node.crash"},
      {"querycoord.balance",
       "",
       "",
       "1.1.2",
       {"QueryCoord rebalances: it moves a sealed segment to a less loaded query node (load "
        "there, switch, release the old copy), over the remaining nodes and later the rejoined "
        "one.",
        "Query Coord 重新均衡:把一个 Sealed Segment 移到负载较低的 Query Node(先加载,再切换,最后"
        "释放旧副本),先在剩余节点之间,之后也包括重新加入的节点。"},
       {"QueryCoord balances a segment", "Query Coord 均衡 Segment"},
       "",
       1,
       "node.crash"},
      {"query.search",
       "",
       "",
       "1.1.4",
       {"Reads answer again, and exactly: every acknowledged write, no deleted row.",
        "读请求再次得到回答,而且精确:包含每一条已确认的写入,不含任何已删除的行。"},
       {"a search answers", "搜索返回"},
       "",
       1,
       "querycoord.node-down"},
  };
  c.recap = {
      "The crash lost only memory. Reads to the dead node failed or were retried elsewhere, a "
      "shard that could not forward a delete refused reads rather than answer wrongly; QueryCoord "
      "moved the channel to a new delegator (which caught up from the checkpoint) and reloaded "
      "the sealed segments from the object store; after the session expired the node left its "
      "replica, and when it came back it rejoined empty. Every read that answered was exact.",
      "崩溃只丢失了内存。发往死节点的读请求失败或在别处重试,"
      "无法转发删除的分片宁可拒绝读请求也不给出错误"
      "结果;Query Coord 把 channel 转移给新的 delegator(它从 checkpoint "
      "追上进度),并从对象存储重新加载 "
      "Sealed "
      "Segment;会话过期后节点离开副本,重启后以空状态重新加入。每一个得到回答的读请求都是精确的。"};
  c.simplified = {
      "The scenario's session TTL is 5 s (Milvus: common.session.ttl = 30 s), and QueryCoord "
      "reacts as soon as the node stops answering its distribution pulls. A coordinator's "
      "failover (RootCoord: the TSO continues above its saved window) is its own scenario: "
      "`simvus run rootcoord-failover --seed 1`.",
      "本场景的会话 TTL 为 5 秒(Milvus:common.session.ttl = 30 秒),Query Coord "
      "在节点不再响应分布拉取"
      "时就立即反应。协调器的故障转移(Root Coord:TSO 在保存的窗口之上继续)是另一个场景:"
      "`simvus run rootcoord-failover --seed 1`。"};
  return c;
}

}  // namespace simvus::scenarios::tours

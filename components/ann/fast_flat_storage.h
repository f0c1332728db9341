// FastFlatStorage: a faiss::IndexFlat whose distance computer uses simvus's dispatched AVX2/FMA
// distances (distance.h). Debian's FAISS is compiled for generic x86-64, so its own flat distance
// computer is scalar; HNSW spends nearly all its time there. VectorIndex installs this as the
// storage of every IndexHNSWFlat it builds or loads. It is still an IndexFlat, so write_index
// serializes it exactly like the stock storage and files stay readable by plain FAISS.
#pragma once

#include <faiss/IndexFlat.h>

namespace simvus::ann {

class FastFlatStorage : public faiss::IndexFlat {
 public:
  FastFlatStorage(faiss::Index::idx_t dim, faiss::MetricType metric)
      : faiss::IndexFlat(dim, metric) {}
  faiss::FlatCodesDistanceComputer* get_FlatCodesDistanceComputer() const override;
};

}  // namespace simvus::ann

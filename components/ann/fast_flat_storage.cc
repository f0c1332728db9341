#include "components/ann/fast_flat_storage.h"

#include <faiss/impl/DistanceComputer.h>

#include "components/ann/distance.h"

namespace simvus::ann {
namespace {

// FAISS's convention for flat storages: L2 returns the squared distance, IP the inner product
// (IndexHNSW negates IP itself).
class FastDistanceComputer : public faiss::FlatCodesDistanceComputer {
 public:
  FastDistanceComputer(const FastFlatStorage& storage, DistanceFn fn)
      : faiss::FlatCodesDistanceComputer(storage.codes.data(), storage.code_size),
        base_(reinterpret_cast<const float*>(storage.codes.data())),
        dim_(storage.d),
        fn_(fn) {}

  void set_query(const float* x) override { query_ = x; }
  float distance_to_code(const uint8_t* code) override {
    return fn_(query_, reinterpret_cast<const float*>(code), dim_);
  }
  float symmetric_dis(idx_t i, idx_t j) override {
    return fn_(base_ + i * dim_, base_ + j * dim_, dim_);
  }

 private:
  const float* base_;
  int64_t dim_;
  DistanceFn fn_;
  const float* query_ = nullptr;
};

}  // namespace

faiss::FlatCodesDistanceComputer* FastFlatStorage::get_FlatCodesDistanceComputer() const {
  return new FastDistanceComputer(*this,
                                  metric_type == faiss::METRIC_L2 ? L2SqrFn() : InnerProductFn());
}

}  // namespace simvus::ann

// ScopedOmpThreads: sets the OpenMP thread count of the calling thread for one scope.
//
// FAISS and the OpenMP build of OpenBLAS start their parallel regions from the calling thread, so
// this bounds both. Under simulation the count is 1: no threads, no scheduling nondeterminism.
#pragma once

#include <omp.h>

namespace simvus::ann {

class ScopedOmpThreads {
 public:
  explicit ScopedOmpThreads(int num_threads) : saved_(omp_get_max_threads()) {
    omp_set_num_threads(num_threads < 1 ? 1 : num_threads);
  }
  ~ScopedOmpThreads() { omp_set_num_threads(saved_); }
  ScopedOmpThreads(const ScopedOmpThreads&) = delete;
  ScopedOmpThreads& operator=(const ScopedOmpThreads&) = delete;

 private:
  int saved_;
};

}  // namespace simvus::ann

#include "components/roles/role_metrics.h"

namespace simvus::roles::metrics {

std::string SegmentStateLabel(proto::SegmentState state) {
  switch (state) {
    case proto::GROWING:
      return "Growing";
    case proto::SEALED:
      return "Sealed";
    case proto::FLUSHING:
      return "Flushing";
    case proto::FLUSHED:
      return "Flushed";
    case proto::DROPPED:
      return "Dropped";
    case proto::NOT_EXIST:
      return "NotExist";
    default:
      return "None";
  }
}

std::string SegmentLevelLabel(proto::SegmentLevel level) {
  switch (level) {
    case proto::L0:
      return "L0";
    case proto::L1:
      return "L1";
    default:
      return "Legacy";
  }
}

const Metrics::Buckets& SaveLatencyBucketsMs() {
  static const Metrics::Buckets buckets = {0, 10, 100, 200, 400, 1000, 10000};
  return buckets;
}

const Metrics::Buckets& IndexBucketsSeconds() {
  static const Metrics::Buckets buckets = {0.001, 0.1, 0.5, 1,    5,    10,   20,   50,
                                           100,   250, 500, 1000, 3600, 5000, 10000};
  return buckets;
}

}  // namespace simvus::roles::metrics

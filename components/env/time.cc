#include "components/env/time.h"

#include <cstdio>

namespace simvus {

std::string ToString(Timestamp ts) {
  char buf[48];
  std::snprintf(buf, sizeof(buf), "%lld.%llu", static_cast<long long>(ts.physical_ms()),
                static_cast<unsigned long long>(ts.logical()));
  return buf;
}

std::string ToString(Duration d) {
  char buf[48];
  const int64_t abs_ns = d.ns < 0 ? -d.ns : d.ns;
  std::snprintf(buf, sizeof(buf), "%s%lld.%06llds", d.ns < 0 ? "-" : "",
                static_cast<long long>(abs_ns / 1000000000),
                static_cast<long long>((abs_ns % 1000000000) / 1000));
  return buf;
}

}  // namespace simvus

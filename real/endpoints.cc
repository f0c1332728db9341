#include "real/endpoints.h"

#include <cstdlib>
#include <fstream>

namespace simvus::real {

namespace {

constexpr const char* kKeys[] = {"KAFKA_BOOTSTRAP", "KAFKA_MOCK_CONTROL", "ETCD_ENDPOINTS",
                                 "S3_ENDPOINT",     "S3_BUCKET",          "S3_REGION",
                                 "S3_ACCESS_KEY",   "S3_SECRET_KEY"};

}  // namespace

std::map<std::string, std::string> ReadEnvFile(const std::string& path) {
  std::map<std::string, std::string> out;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const size_t eq = line.find('=');
    if (eq == std::string::npos) continue;
    out[line.substr(0, eq)] = line.substr(eq + 1);
  }
  return out;
}

BackendEndpoints EndpointsFrom(const std::map<std::string, std::string>& settings) {
  BackendEndpoints e;
  auto get = [&settings](const char* key, std::string& into) {
    auto it = settings.find(key);
    if (it != settings.end() && !it->second.empty()) into = it->second;
  };
  get("KAFKA_BOOTSTRAP", e.kafka_bootstrap);
  get("KAFKA_MOCK_CONTROL", e.kafka_mock_control);
  get("ETCD_ENDPOINTS", e.etcd_endpoints);
  get("S3_ENDPOINT", e.s3_endpoint);
  get("S3_BUCKET", e.s3_bucket);
  get("S3_REGION", e.s3_region);
  get("S3_ACCESS_KEY", e.s3_access_key);
  get("S3_SECRET_KEY", e.s3_secret_key);
  for (const auto& [key, value] : settings) {
    e.described[key] = key == "S3_SECRET_KEY" ? std::string("(set)") : value;
  }
  return e;
}

std::map<std::string, std::string> LoadEndpointSettings() {
  std::map<std::string, std::string> settings;
  if (const char* file = std::getenv("SIMVUS_BACKENDS_ENV"); file != nullptr && *file != 0) {
    settings = ReadEnvFile(file);
  }
  for (const char* key : kKeys) {
    if (const char* value = std::getenv(key); value != nullptr && *value != 0) {
      settings[key] = value;
    }
  }
  return settings;
}

BackendEndpoints LoadEndpoints() { return EndpointsFrom(LoadEndpointSettings()); }

}  // namespace simvus::real

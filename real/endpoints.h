// BackendEndpoints: where the real backends are. Read from the environment (KAFKA_BOOTSTRAP,
// ETCD_ENDPOINTS, S3_ENDPOINT, S3_BUCKET, S3_REGION, S3_ACCESS_KEY, S3_SECRET_KEY,
// KAFKA_MOCK_CONTROL), falling back for each unset variable to the file named by
// SIMVUS_BACKENDS_ENV (KEY=VALUE lines, as backends/up writes it). Real users point simvus at
// their own servers by setting the variables; nothing else changes.
#pragma once

#include <map>
#include <string>

namespace simvus::real {

struct BackendEndpoints {
  std::string kafka_bootstrap;     // "127.0.0.1:9092,..."
  std::string kafka_mock_control;  // "127.0.0.1:PORT" of our mock-cluster host (topics, faults)
  std::string etcd_endpoints;      // "http://127.0.0.1:2379"
  std::string s3_endpoint;         // "http://127.0.0.1:4568"
  std::string s3_bucket = "simvus";
  std::string s3_region = "us-east-1";
  std::string s3_access_key;
  std::string s3_secret_key;  // never printed
  // Every setting found, by variable name (the secret's value masked), for error messages.
  std::map<std::string, std::string> described;
};

// Reads KEY=VALUE lines ('#' comments, blank lines ignored). Missing file: empty map.
std::map<std::string, std::string> ReadEnvFile(const std::string& path);
// The settings themselves (file first, then the environment over it), unmasked.
std::map<std::string, std::string> LoadEndpointSettings();
BackendEndpoints LoadEndpoints();
BackendEndpoints EndpointsFrom(const std::map<std::string, std::string>& settings);

}  // namespace simvus::real

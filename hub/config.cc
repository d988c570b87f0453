#include "hub/config.h"

#include <toml++/toml.h>

#include <filesystem>
#include <set>

namespace hub {
namespace {

Status CheckKeys(const toml::table& t, const std::string& section, const std::set<std::string>& allowed) {
  for (const auto& [k, v] : t) {
    if (!allowed.count(std::string(k.str()))) {
      return Status::InvalidArgument("unknown setting " + section + "." + std::string(k.str()));
    }
  }
  return Status::Ok();
}

template <typename T>
Status Read(const toml::table& t, const char* key, const std::string& section, T* out) {
  const toml::node* n = t.get(key);
  if (!n) return Status::Ok();
  std::optional<T> v = n->value<T>();
  if (!v) return Status::InvalidArgument(section + "." + key + " has the wrong type");
  *out = *v;
  return Status::Ok();
}

Status Positive(int64_t v, const std::string& name) {
  if (v <= 0) return Status::InvalidArgument(name + " must be > 0");
  return Status::Ok();
}

// An integer setting that must be > 0, read into `out` (which holds the default).
template <typename T>
Status ReadPositive(const toml::table& t, const char* key, const std::string& section, T* out) {
  int64_t v = static_cast<int64_t>(*out);
  HUB_RETURN_IF_ERROR(Read(t, key, section, &v));
  HUB_RETURN_IF_ERROR(Positive(v, section + "." + key));
  *out = static_cast<T>(v);
  return Status::Ok();
}

Status ReadRule(const toml::table& t, const std::string& section, views::IndicatorRule* out) {
  std::string rule = views::RuleName(out->rule);
  HUB_RETURN_IF_ERROR(Read(t, "rule", section, &rule));
  auto r = views::ParseRule(rule);
  if (!r) return Status::InvalidArgument(section + ".rule '" + rule + "': expected sum, mean, weighted_mean or reported_only");
  out->rule = *r;
  return Read(t, "weight", section, &out->weight);
}

Status ReadViews(const toml::table& t, views::ViewOptions* v) {
  HUB_RETURN_IF_ERROR(CheckKeys(t, "views", {"dataflow", "hierarchy", "area_dimension", "indicator_dimension",
                                             "reporting_type_dimension", "national_code", "global_code", "total_code",
                                             "rule", "weight", "rules"}));
  HUB_RETURN_IF_ERROR(Read(t, "dataflow", "views", &v->dataflow));
  HUB_RETURN_IF_ERROR(Read(t, "hierarchy", "views", &v->hierarchy));
  HUB_RETURN_IF_ERROR(Read(t, "area_dimension", "views", &v->area_dimension));
  HUB_RETURN_IF_ERROR(Read(t, "indicator_dimension", "views", &v->indicator_dimension));
  HUB_RETURN_IF_ERROR(Read(t, "reporting_type_dimension", "views", &v->reporting_type_dimension));
  HUB_RETURN_IF_ERROR(Read(t, "national_code", "views", &v->national_code));
  HUB_RETURN_IF_ERROR(Read(t, "global_code", "views", &v->global_code));
  HUB_RETURN_IF_ERROR(Read(t, "total_code", "views", &v->total_code));
  HUB_RETURN_IF_ERROR(ReadRule(t, "views", &v->default_rule));
  if (const toml::array* rules = t["rules"].as_array()) {
    for (const toml::node& n : *rules) {
      const toml::table* r = n.as_table();
      if (!r) return Status::InvalidArgument("views.rules entries must be tables ([[views.rules]])");
      HUB_RETURN_IF_ERROR(CheckKeys(*r, "views.rules", {"indicator", "rule", "weight"}));
      std::string indicator;
      HUB_RETURN_IF_ERROR(Read(*r, "indicator", "views.rules", &indicator));
      if (indicator.empty()) return Status::InvalidArgument("views.rules: every rule needs an indicator");
      views::IndicatorRule rule;
      HUB_RETURN_IF_ERROR(ReadRule(*r, "views.rules " + indicator, &rule));
      v->rules[indicator] = rule;
    }
  }
  return v->Validate();
}

// "AGENCY,ID,VERSION" (as in REST flowRefs) -> a reference.
Status ParseFlowTriple(const std::string& s, const std::string& section, sdmx::ArtefactRef* out) {
  const size_t a = s.find(','), b = a == std::string::npos ? a : s.find(',', a + 1);
  if (b == std::string::npos || s.find(',', b + 1) != std::string::npos) {
    return Status::InvalidArgument(section + ".dataflows: '" + s + "' is not AGENCY,ID,VERSION");
  }
  *out = {s.substr(0, a), s.substr(a + 1, b - a - 1), s.substr(b + 1)};
  return Status::Ok();
}

// A duration setting in ms that must be > 0, read into `out` (which holds the default).
Status ReadPositiveMs(const toml::table& t, const char* key, const std::string& section,
                      std::chrono::milliseconds* out) {
  int64_t ms = out->count();
  HUB_RETURN_IF_ERROR(ReadPositive(t, key, section, &ms));
  *out = std::chrono::milliseconds(ms);
  return Status::Ok();
}

// `<retry>_initial_ms`, `<retry>_max_ms` and `error_report_ms` of `section`.
Status ReadBackoff(const toml::table& t, const std::string& section, const std::string& retry, BackoffOptions* out) {
  const std::string initial = retry + "_initial_ms", max = retry + "_max_ms";
  HUB_RETURN_IF_ERROR(ReadPositiveMs(t, initial.c_str(), section, &out->initial));
  HUB_RETURN_IF_ERROR(ReadPositiveMs(t, max.c_str(), section, &out->max));
  HUB_RETURN_IF_ERROR(ReadPositiveMs(t, "error_report_ms", section, &out->report_every));
  return out->Validate(section + "." + initial, section + "." + max, section + ".error_report_ms");
}

// A list of strings; absent keeps `out`.
Status ReadStrings(const toml::table& t, const char* key, const std::string& section, std::vector<std::string>* out) {
  if (!t.contains(key)) return Status::Ok();
  const toml::array* a = t[key].as_array();
  if (!a) return Status::InvalidArgument(section + "." + key + " must be a list of strings");
  out->clear();
  for (const toml::node& n : *a) {
    auto v = n.value<std::string>();
    if (!v) return Status::InvalidArgument(section + "." + key + " must be a list of strings");
    out->push_back(*v);
  }
  return Status::Ok();
}

// A table of settings passed on as text (librdkafka properties, topic
// configs): strings, integers and booleans, as Kafka's own files write them.
Status ReadTextTable(const toml::table& t, const char* key, const std::string& section,
                     std::map<std::string, std::string>* out) {
  if (!t.contains(key)) return Status::Ok();
  const toml::table* sub = t[key].as_table();
  if (!sub) return Status::InvalidArgument(section + "." + key + " must be a table of settings");
  for (const auto& [k, n] : *sub) {
    const std::string name(k.str());
    if (auto s = n.value_exact<std::string>()) {
      (*out)[name] = *s;
    } else if (auto i = n.value_exact<int64_t>()) {
      (*out)[name] = std::to_string(*i);
    } else if (auto b = n.value_exact<bool>()) {
      (*out)[name] = *b ? "true" : "false";
    } else {
      return Status::InvalidArgument(section + "." + key + "." + name + " must be a string, integer or boolean");
    }
  }
  return Status::Ok();
}

Status ReadKafka(const toml::table& t, storage::KafkaEventLogOptions* k) {
  HUB_RETURN_IF_ERROR(CheckKeys(t, "kafka", {"replication_factor", "timeout_ms", "client_id", "allow_finite_retention",
                                             "properties", "topic_config"}));
  HUB_RETURN_IF_ERROR(ReadPositive(t, "replication_factor", "kafka", &k->replication_factor));
  int64_t timeout = k->timeout.count();
  HUB_RETURN_IF_ERROR(ReadPositive(t, "timeout_ms", "kafka", &timeout));
  k->timeout = std::chrono::milliseconds(timeout);
  HUB_RETURN_IF_ERROR(Read(t, "client_id", "kafka", &k->client_id));
  HUB_RETURN_IF_ERROR(Read(t, "allow_finite_retention", "kafka", &k->allow_finite_retention));
  HUB_RETURN_IF_ERROR(ReadTextTable(t, "properties", "kafka", &k->extra));
  return ReadTextTable(t, "topic_config", "kafka", &k->topic_config);
}

Status ReadPull(const toml::node& n, connectors::RestPullOptions* out) {
  const toml::table* t = n.as_table();
  if (!t) return Status::InvalidArgument("pull entries must be tables ([[pull]])");
  HUB_RETURN_IF_ERROR(CheckKeys(*t, "pull", {"name", "provider", "url", "dataflows", "interval_ms", "overlap_ms",
                                             "timeout_ms", "max_response_bytes"}));
  connectors::PullSource s;
  HUB_RETURN_IF_ERROR(Read(*t, "name", "pull", &s.name));
  const std::string section = "pull." + s.name;
  HUB_RETURN_IF_ERROR(Read(*t, "provider", section, &s.provider));
  HUB_RETURN_IF_ERROR(Read(*t, "url", section, &s.url));
  if (t->contains("dataflows") && !(*t)["dataflows"].as_array()) {
    return Status::InvalidArgument(section + ".dataflows must be a list of \"AGENCY,ID,VERSION\"");
  }
  if (const toml::array* flows = (*t)["dataflows"].as_array()) {
    for (const toml::node& f : *flows) {
      auto v = f.value<std::string>();
      if (!v) return Status::InvalidArgument(section + ".dataflows must be strings");
      HUB_RETURN_IF_ERROR(ParseFlowTriple(*v, section, &s.dataflows.emplace_back()));
    }
  }
  // Every default below is > 0, so an absent key keeps it.
  HUB_RETURN_IF_ERROR(ReadPositiveMs(*t, "interval_ms", section, &s.interval));
  HUB_RETURN_IF_ERROR(ReadPositiveMs(*t, "overlap_ms", section, &s.overlap));
  HUB_RETURN_IF_ERROR(ReadPositiveMs(*t, "timeout_ms", section, &s.timeout));
  HUB_RETURN_IF_ERROR(ReadPositive(*t, "max_response_bytes", section, &s.max_response_bytes));
  out->sources.push_back(std::move(s));
  return Status::Ok();
}

}  // namespace

Result<HubConfig> LoadConfig(const std::string& path) {
  HubConfig cfg;
  if (path.empty()) return cfg;
  toml::table root;
  try {
    root = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    return Status::InvalidArgument(path + ":" + std::to_string(e.source().begin.line) + ": " +
                                   std::string(e.description()));
  }
  HUB_RETURN_IF_ERROR(CheckKeys(root, path, {"hub", "http", "log", "kafka", "state", "ingest", "materialiser", "providers",
                                             "views", "changes", "subscriptions", "folder_drop", "pull"}));
  const std::filesystem::path base = std::filesystem::absolute(path).parent_path();
  if (const toml::table* t = root["hub"].as_table()) {
    HUB_RETURN_IF_ERROR(CheckKeys(*t, "hub", {"structures"}));
    std::string dir;
    HUB_RETURN_IF_ERROR(Read(*t, "structures", "hub", &dir));
    if (!dir.empty()) cfg.structures_dir = (base / dir).lexically_normal().string();
  }
  if (const toml::table* t = root["http"].as_table()) {
    HUB_RETURN_IF_ERROR(CheckKeys(*t, "http", {"threads", "max_body_bytes", "max_header_bytes", "read_timeout_seconds",
                                              "max_sorted_observations", "response_cache_bytes",
                                              "min_body_bytes_per_second", "stream_body_bytes", "upload_threads",
                                              "accept_retry_initial_ms", "accept_retry_max_ms", "error_report_ms",
                                              "cors_read_origins", "cors_write_origins", "cors_max_age_seconds"}));
    HUB_RETURN_IF_ERROR(ReadStrings(*t, "cors_read_origins", "http", &cfg.http.cors.read_origins));
    HUB_RETURN_IF_ERROR(ReadStrings(*t, "cors_write_origins", "http", &cfg.http.cors.write_origins));
    HUB_RETURN_IF_ERROR(ReadPositive(*t, "cors_max_age_seconds", "http", &cfg.http.cors.max_age_seconds));
    HUB_RETURN_IF_ERROR(ReadBackoff(*t, "http", "accept_retry", &cfg.http.accept_retry));
    HUB_RETURN_IF_ERROR(ReadPositive(*t, "threads", "http", &cfg.http.threads));
    HUB_RETURN_IF_ERROR(ReadPositive(*t, "max_body_bytes", "http", &cfg.http.max_body_bytes));
    HUB_RETURN_IF_ERROR(ReadPositive(*t, "max_header_bytes", "http", &cfg.http.max_header_bytes));
    int64_t timeout = cfg.http.read_timeout.count();
    HUB_RETURN_IF_ERROR(ReadPositive(*t, "read_timeout_seconds", "http", &timeout));
    cfg.http.read_timeout = std::chrono::seconds(timeout);
    HUB_RETURN_IF_ERROR(ReadPositive(*t, "max_sorted_observations", "http", &cfg.max_sorted_observations));
    HUB_RETURN_IF_ERROR(ReadPositive(*t, "min_body_bytes_per_second", "http", &cfg.http.min_body_bytes_per_second));
    HUB_RETURN_IF_ERROR(ReadPositive(*t, "stream_body_bytes", "http", &cfg.http.stream_body_bytes));
    HUB_RETURN_IF_ERROR(ReadPositive(*t, "upload_threads", "http", &cfg.http.upload_threads));
    int64_t cache = static_cast<int64_t>(cfg.http.cache.max_bytes);
    HUB_RETURN_IF_ERROR(Read(*t, "response_cache_bytes", "http", &cache));
    if (cache < 0) return Status::InvalidArgument("http.response_cache_bytes must be >= 0 (0 disables the cache)");
    cfg.http.cache.max_bytes = static_cast<size_t>(cache);
  }
  if (const toml::table* t = root["log"].as_table()) {
    HUB_RETURN_IF_ERROR(
        CheckKeys(*t, "log", {"topic_prefix", "data_partitions", "memtable_bytes", "block_cache_bytes",
                              "max_record_bytes"}));
    int64_t max_record = static_cast<int64_t>(cfg.max_record_bytes);
    HUB_RETURN_IF_ERROR(Read(*t, "max_record_bytes", "log", &max_record));
    // A piece needs room beside its key and headers (event_chunks.h).
    if (max_record != 0 && max_record < 16384) {
      return Status::InvalidArgument("log.max_record_bytes must be 0 (the log's own limit) or >= 16384");
    }
    cfg.max_record_bytes = static_cast<size_t>(max_record);
    HUB_RETURN_IF_ERROR(Read(*t, "topic_prefix", "log", &cfg.topic_prefix));
    HUB_RETURN_IF_ERROR(ReadPositive(*t, "data_partitions", "log", &cfg.data_partitions));
    HUB_RETURN_IF_ERROR(ReadPositive(*t, "memtable_bytes", "log", &cfg.log_memory.memtable_bytes));
    HUB_RETURN_IF_ERROR(ReadPositive(*t, "block_cache_bytes", "log", &cfg.log_memory.block_cache_bytes));
  }
  if (const toml::table* t = root["kafka"].as_table()) HUB_RETURN_IF_ERROR(ReadKafka(*t, &cfg.kafka));
  if (const toml::table* t = root["state"].as_table()) {
    HUB_RETURN_IF_ERROR(CheckKeys(*t, "state", {"memtable_bytes", "block_cache_bytes"}));
    HUB_RETURN_IF_ERROR(ReadPositive(*t, "memtable_bytes", "state", &cfg.state_memory.memtable_bytes));
    HUB_RETURN_IF_ERROR(ReadPositive(*t, "block_cache_bytes", "state", &cfg.state_memory.block_cache_bytes));
  }
  if (const toml::table* t = root["ingest"].as_table()) {
    HUB_RETURN_IF_ERROR(CheckKeys(*t, "ingest", {"max_diagnostics", "max_quoted_bytes", "max_diagnostics_bytes",
                                                 "max_series", "max_observations", "max_xml_depth", "spool_memory_bytes",
                                                 "append_batch_bytes", "duplicate_check_bytes"}));
    HUB_RETURN_IF_ERROR(ReadPositive(*t, "max_diagnostics", "ingest", &cfg.ingest.max_diagnostics));
    HUB_RETURN_IF_ERROR(ReadPositive(*t, "max_quoted_bytes", "ingest", &cfg.ingest.max_quoted_bytes));
    HUB_RETURN_IF_ERROR(ReadPositive(*t, "max_diagnostics_bytes", "ingest", &cfg.ingest.max_diagnostics_bytes));
    HUB_RETURN_IF_ERROR(ReadPositive(*t, "max_series", "ingest", &cfg.ingest.reader.max_series));
    HUB_RETURN_IF_ERROR(ReadPositive(*t, "max_observations", "ingest", &cfg.ingest.reader.max_observations));
    HUB_RETURN_IF_ERROR(ReadPositive(*t, "max_xml_depth", "ingest", &cfg.ingest.reader.xml.max_depth));
    HUB_RETURN_IF_ERROR(ReadPositive(*t, "spool_memory_bytes", "ingest", &cfg.ingest.spool_memory_bytes));
    HUB_RETURN_IF_ERROR(ReadPositive(*t, "append_batch_bytes", "ingest", &cfg.ingest.append_batch_bytes));
    HUB_RETURN_IF_ERROR(ReadPositive(*t, "duplicate_check_bytes", "ingest", &cfg.ingest.duplicate_check_bytes));
    HUB_RETURN_IF_ERROR(cfg.ingest.Validate());
  }
  if (const toml::table* t = root["materialiser"].as_table()) {
    HUB_RETURN_IF_ERROR(
        CheckKeys(*t, "materialiser",
                  {"max_batch_bytes", "max_held_event_bytes", "apply_chunk_observations", "apply_early_bytes"}));
    HUB_RETURN_IF_ERROR(ReadPositive(*t, "max_batch_bytes", "materialiser", &cfg.materialiser.max_batch_bytes));
    HUB_RETURN_IF_ERROR(
        ReadPositive(*t, "max_held_event_bytes", "materialiser", &cfg.materialiser.max_held_event_bytes));
    HUB_RETURN_IF_ERROR(
        ReadPositive(*t, "apply_chunk_observations", "materialiser", &cfg.materialiser.apply_chunk_observations));
    int64_t early = static_cast<int64_t>(cfg.materialiser.apply_early_bytes);  // 0 = never
    HUB_RETURN_IF_ERROR(Read(*t, "apply_early_bytes", "materialiser", &early));
    if (early < 0) return Status::InvalidArgument("materialiser.apply_early_bytes must be >= 0");
    cfg.materialiser.apply_early_bytes = static_cast<size_t>(early);
  }
  if (const toml::table* t = root["views"].as_table()) HUB_RETURN_IF_ERROR(ReadViews(*t, &cfg.views));
  if (const toml::table* t = root["subscriptions"].as_table()) {
    HUB_RETURN_IF_ERROR(CheckKeys(*t, "subscriptions", {"sender", "retry_initial_ms", "retry_max_ms", "error_report_ms",
                                                        "timeout_ms", "max_subscriptions", "max_request_bytes"}));
    if (auto s = (*t)["sender"].value<std::string>()) cfg.subscriptions.sender = *s;
    HUB_RETURN_IF_ERROR(ReadBackoff(*t, "subscriptions", "retry", &cfg.subscriptions.retry));
    HUB_RETURN_IF_ERROR(ReadPositiveMs(*t, "timeout_ms", "subscriptions", &cfg.subscriptions.timeout));
    HUB_RETURN_IF_ERROR(ReadPositive(*t, "max_subscriptions", "subscriptions", &cfg.subscriptions.max_subscriptions));
    HUB_RETURN_IF_ERROR(ReadPositive(*t, "max_request_bytes", "subscriptions", &cfg.subscriptions.max_request_bytes));
  }
  if (const toml::table* t = root["changes"].as_table()) {
    HUB_RETURN_IF_ERROR(CheckKeys(*t, "changes", {"max_subscribers", "max_events_per_poll", "max_lag"}));
    HUB_RETURN_IF_ERROR(ReadPositive(*t, "max_subscribers", "changes", &cfg.changes.max_subscribers));
    HUB_RETURN_IF_ERROR(ReadPositive(*t, "max_events_per_poll", "changes", &cfg.changes.max_events_per_poll));
    HUB_RETURN_IF_ERROR(ReadPositive(*t, "max_lag", "changes", &cfg.changes.max_lag));
  }
  if (const toml::table* t = root["folder_drop"].as_table()) {
    HUB_RETURN_IF_ERROR(CheckKeys(*t, "folder_drop", {"dir", "poll_ms", "settle_ms", "max_file_bytes", "max_name_bytes",
                                                      "retry_initial_ms", "retry_max_ms", "error_report_ms"}));
    connectors::FolderDropOptions& fd = cfg.folder_drop;
    std::string dir;
    HUB_RETURN_IF_ERROR(Read(*t, "dir", "folder_drop", &dir));
    // The section turns the connector on: without a dir it could only be a mistake.
    if (dir.empty()) return Status::InvalidArgument("folder_drop.dir is required when [folder_drop] is present");
    fd.root = (base / dir).lexically_normal().string();
    int64_t poll = fd.poll.count(), settle = fd.settle.count();
    HUB_RETURN_IF_ERROR(ReadPositive(*t, "poll_ms", "folder_drop", &poll));
    HUB_RETURN_IF_ERROR(ReadPositive(*t, "settle_ms", "folder_drop", &settle));
    fd.poll = std::chrono::milliseconds(poll);
    fd.settle = std::chrono::milliseconds(settle);
    HUB_RETURN_IF_ERROR(ReadPositive(*t, "max_file_bytes", "folder_drop", &fd.max_file_bytes));
    HUB_RETURN_IF_ERROR(ReadPositive(*t, "max_name_bytes", "folder_drop", &fd.max_name_bytes));
    HUB_RETURN_IF_ERROR(ReadBackoff(*t, "folder_drop", "retry", &fd.retry));
    HUB_RETURN_IF_ERROR(fd.Validate());
  }
  if (root.contains("pull")) {
    const toml::array* arr = root["pull"].as_array();
    if (!arr) return Status::InvalidArgument("pull entries must be tables ([[pull]])");
    for (const toml::node& n : *arr) HUB_RETURN_IF_ERROR(ReadPull(n, &cfg.pull));
    HUB_RETURN_IF_ERROR(cfg.pull.Validate());
  }
  if (const toml::array* arr = root["providers"].as_array()) {
    for (const toml::node& n : *arr) {
      const toml::table* t = n.as_table();
      if (!t) return Status::InvalidArgument("providers entries must be tables ([[providers]])");
      HUB_RETURN_IF_ERROR(CheckKeys(*t, "providers", {"id", "token_sha256", "dataflows", "report_every_days"}));
      ProviderConfig p;
      HUB_RETURN_IF_ERROR(Read(*t, "id", "providers", &p.provider.id));
      HUB_RETURN_IF_ERROR(Read(*t, "token_sha256", "providers", &p.token_sha256));
      if (t->contains("report_every_days")) {  // absent = no expectation (0)
        HUB_RETURN_IF_ERROR(ReadPositive(*t, "report_every_days", "providers", &p.provider.report_every_days));
      }
      if (const toml::array* flows = (*t)["dataflows"].as_array()) {
        for (const toml::node& f : *flows) {
          auto s = f.value<std::string>();
          if (!s) return Status::InvalidArgument("providers.dataflows of " + p.provider.id + " must be strings");
          p.provider.dataflows.push_back(*s);
        }
      }
      cfg.providers.push_back(std::move(p));
    }
  }
  return cfg;
}

Status ParseListen(const std::string& listen, std::string* host, uint16_t* port) {
  size_t colon = listen.rfind(':');
  if (colon == std::string::npos) return Status::InvalidArgument("--listen must be HOST:PORT, got '" + listen + "'");
  std::string h = listen.substr(0, colon);
  if (h.size() >= 2 && h.front() == '[' && h.back() == ']') h = h.substr(1, h.size() - 2);
  const std::string p = listen.substr(colon + 1);
  char* end = nullptr;
  long v = std::strtol(p.c_str(), &end, 10);
  if (p.empty() || *end || v < 0 || v > 65535) return Status::InvalidArgument("bad port in --listen '" + listen + "'");
  *host = h;
  *port = static_cast<uint16_t>(v);
  return Status::Ok();
}

}  // namespace hub

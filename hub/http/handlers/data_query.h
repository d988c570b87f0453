// A data query once parsed (from SDMX REST 1.5 or 2.2 syntax), and how it is
// answered from the versioned state: one scan at one watermark, each series
// cut by the query's period window, component filters and first/last N,
// then written in the negotiated format. data.cc parses; this serves.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "hub/http/handlers/data_sort.h"
#include "hub/http/handlers/handlers.h"
#include "sdmx/data_writer.h"
#include "sdmx/key_pattern.h"

namespace hub::http {

// startPeriod / endPeriod / firstNObservations / lastNObservations.
struct ObsWindow {
  std::string from, to;  // "YYYY-MM-DD" bounds; empty = open
  std::optional<size_t> first_n, last_n;
};
// Reads the four parameters (names as in both REST versions); 400 on bad values.
Result<ObsWindow> ReadWindow(const HttpRequest& req);

// One `c[COMPONENT]=...` filter (REST 2.x): ',' separates alternatives,
// '+' conditions that must all hold; a condition is VALUE or OP:VALUE with
// OP one of eq ne lt le gt ge co nc sw ew. TIME_PERIOD compares periods by
// the days they cover, OBS_VALUE and other numbers numerically.
struct ComponentFilter {
  struct Condition {
    std::string op;  // "eq", ...
    std::string value;
  };
  std::string component;
  std::vector<std::vector<Condition>> alternatives;
};
// `c[ID]` parameters of `req`, checked against `dsd`; 400 on unknown ids or operators.
Result<std::vector<ComponentFilter>> ReadComponentFilters(const HttpRequest& req, const sdmx::DataStructure& dsd);

struct DataQuery {
  // Keeps `flow` and `dsd` alive while a streamed response is still being written.
  std::shared_ptr<const sdmx::StructureSet> structures;
  const sdmx::Dataflow* flow = nullptr;
  const sdmx::DataStructure* dsd = nullptr;
  sdmx::KeyPattern pattern;
  Watermark at;
  ObsWindow window;
  std::vector<ComponentFilter> filters;
  sdmx::OutputDetail detail;
  bool all_dimensions = false;
  // dimensionAtObservation=a dimension other than time: its index.
  std::optional<size_t> cross_section;
  sdmx::DataFormat format = sdmx::DataFormat::kGeneric21;
  int no_results_status = 404;  // v1 404, v2 204
  // updatedAfter: only what changed after this watermark, deletions in a
  // second (Delete) dataset.
  std::optional<Watermark> updated_after;
  // includeHistory: one dataset per commit that touched the selection
  // (with updated_after: per commit after it).
  bool include_history = false;
  // v1 providerRef: only observations whose latest revision one of these
  // providers sent (empty = any provider).
  std::vector<std::string> providers;
  // v2 sort (empty = the scan's order: series by key, then period).
  std::vector<SortKey> sort;
  // v2 offset/limit: page through the selected observations (series in key
  // order, then periods).
  size_t offset = 0;
  std::optional<size_t> limit;
};
// updatedAfter= and includeHistory= (both REST versions) into `q` (needs q->at).
Status ReadHistoryParams(const HandlerContext& ctx, const HttpRequest& req, DataQuery* q);

// SDMX REST 2.x key: '.'-separated dimensions, ',' = OR, '*' = any.
Result<sdmx::KeyPattern> ParseKeyV2(std::string key, size_t dimensions);

// v1 providerRef: "PROVIDER" or "AGENCY,PROVIDER" (the agency of the
// provider scheme: ours has one), '+' for several; "all" or "" = any.
Result<std::vector<std::string>> ParseProviderRef(const std::string& ref);

// What a data scan keeps of one series: q's component filters, period
// window and first/last N; false when nothing of it is left.
bool SelectObservations(const DataQuery& q, sdmx::Series* s);
// q's providers as a filter for the state's scans (empty: any provider).
storage::VersionedState::CommitFilter ProviderFilterOf(const HandlerContext& ctx, const DataQuery& q);

// The dimension a cross-section pivots the output on: q.cross_section,
// unless the format is flat anyway (SDMX-CSV).
std::optional<size_t> PivotDimension(const DataQuery& q);

HttpResponse ServeData(const HandlerContext& ctx, const DataQuery& q);
// updatedAfter / includeHistory answers (ServeData hands them over).
HttpResponse ServeHistory(const HandlerContext& ctx, const DataQuery& q);

}  // namespace hub::http

// A data query once parsed (from SDMX REST 1.5 or 2.2 syntax), and how it is
// answered from the versioned state: one scan per dataflow at one
// watermark, each series cut by the query's period window, component
// filters and first/last N, then written in the negotiated format. data.cc
// parses; data_serve.cc and data_history.cc serve.
#pragma once

#include <functional>
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
  sdmx::CsvOptions csv;  // the SDMX-CSV media type's labels, timeFormat, keys
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
// Why q's format cannot carry the history it asks for (a 406), if it cannot.
std::optional<std::string> HistoryFormatProblem(const DataQuery& q);
// updatedAfter= and includeHistory= (both REST versions) into `q` (needs q->at).
Status ReadHistoryParams(const HandlerContext& ctx, const HttpRequest& req, DataQuery* q);


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

// A query over one or several dataflows (v2 '*' or lists, a data structure
// several dataflows use; v1 agency "all"): one DataQuery per dataflow, all
// alike but in what resolves against the dataflow and its DSD (flow, dsd,
// providers, pattern, filters, cross_section, sort). The answer holds one
// dataset per dataflow with data, in this order; offset/limit page through
// the whole of it. Never empty.
using DataQueries = std::vector<DataQuery>;

// Answers from the state at qs[0].at, streamed: live data here, history
// (updatedAfter / includeHistory) handed to ServeHistory.
HttpResponse ServeData(const HandlerContext& ctx, const DataQueries& qs);
HttpResponse ServeHistory(const HandlerContext& ctx, const DataQueries& qs);

// --- shared by data_serve.cc and data_history.cc ---

// Puts a selection (scan order in) in q's order and shape (sort=, a
// cross-section); the cross-section's structure for the writers, null when
// the output is not one.
std::shared_ptr<const sdmx::DataStructure> Arrange(const DataQuery& q, std::vector<sdmx::Series>* selection);

// offset/limit over observations, in the order series reach it across a
// whole answer (SDMX REST 2.x: "observations or series keys"; a v2 answer
// always lists observations), so a page may begin and end inside a series.
class Pager {
 public:
  explicit Pager(const DataQuery& q) : offset_(q.offset), limit_(q.limit) {}
  // Hands `fn` what of `s` is on the page (nothing while skipping); false
  // once the page is full or `fn` returns false.
  bool operator()(const sdmx::Series& s, const std::function<bool(const sdmx::Series&)>& fn);
  bool full() const { return limit_ && taken_ >= *limit_; }

 private:
  const size_t offset_;
  const std::optional<size_t> limit_;
  size_t skipped_ = 0, taken_ = 0;
};

// The writer's context for an answer to `qs`: the structures of the parts
// `on` marks, each its dataflow with `shapes[i]` (a cross-section's) or its
// DSD, in order.
sdmx::WriteContext ContextOf(const HandlerContext& ctx, const DataQueries& qs, const std::vector<bool>& on,
                             const std::vector<std::shared_ptr<const sdmx::DataStructure>>& shapes);
// 404 (v1) or 204 (v2).
HttpResponse NoResults(const DataQuery& q);

}  // namespace hub::http

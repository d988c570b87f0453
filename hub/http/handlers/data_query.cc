#include "hub/http/handlers/data_query.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <set>

#include "hub/http/handlers/data_sort.h"
#include "sdmx/time_period.h"

namespace hub::http {
namespace {

// `value` of component `id` against one condition.
bool Holds(const ComponentFilter::Condition& c, const std::string& value, bool is_time) {
  const std::string& op = c.op;
  if (op == "eq") return value == c.value;
  if (op == "ne") return value != c.value;
  if (op == "co") return value.find(c.value) != std::string::npos;
  if (op == "nc") return value.find(c.value) == std::string::npos;
  if (op == "sw") return value.rfind(c.value, 0) == 0;
  if (op == "ew") return value.size() >= c.value.size() && value.compare(value.size() - c.value.size(), c.value.size(), c.value) == 0;
  if (is_time) {
    std::string vf, vl, cf, cl;
    if (!sdmx::PeriodBounds(value, &vf, &vl) || !sdmx::PeriodBounds(c.value, &cf, &cl)) return false;
    if (op == "ge") return vf >= cf;
    if (op == "gt") return vf > cl;
    if (op == "le") return vl <= cl;
    return vl < cf;  // lt
  }
  const int cmp = CompareValues(&value, &c.value, ValueKind::kNumber);
  if (op == "lt") return cmp < 0;
  if (op == "le") return cmp <= 0;
  if (op == "gt") return cmp > 0;
  return cmp >= 0;  // ge
}

bool Passes(const ComponentFilter& f, const std::string* value, bool is_time) {
  if (!value) return false;  // a filter on a component the data does not carry
  for (const auto& all : f.alternatives) {
    bool ok = true;
    for (const auto& c : all) ok = ok && Holds(c, *value, is_time);
    if (ok) return true;
  }
  return false;
}

// Applies the filters to one series; false when nothing of it remains.
bool Filter(const DataQuery& q, sdmx::Series* s) {
  const sdmx::DataStructure& dsd = *q.dsd;
  std::vector<const ComponentFilter*> obs_filters;
  for (const ComponentFilter& f : q.filters) {
    if (int d = dsd.DimensionIndex(f.component); d >= 0) {
      if (static_cast<size_t>(d) >= s->key.size() || !Passes(f, &s->key[d], false)) return false;
      continue;
    }
    const sdmx::Attribute* a = dsd.FindAttribute(f.component);
    if (a && a->level != sdmx::AttachmentLevel::kObservation) {
      if (!Passes(f, sdmx::FindField(s->attributes, f.component), false)) return false;
      continue;
    }
    obs_filters.push_back(&f);  // time, measure, observation attributes
  }
  const ObsWindow& w = q.window;
  if (!obs_filters.empty() || !w.from.empty() || !w.to.empty()) {
    std::vector<sdmx::Observation> kept;
    for (sdmx::Observation& o : s->observations) {
      if (!w.from.empty() || !w.to.empty()) {
        std::string first, last;
        if (!sdmx::PeriodBounds(o.period, &first, &last)) continue;
        if ((!w.from.empty() && last < w.from) || (!w.to.empty() && first > w.to)) continue;
      }
      bool ok = true;
      for (const ComponentFilter* f : obs_filters) {
        const bool time = f->component == dsd.time_dimension;
        const std::string* v = time ? &o.period : f->component == dsd.primary_measure ? &o.value
                                                                                     : sdmx::FindField(o.attributes, f->component);
        ok = ok && Passes(*f, v, time);
      }
      if (ok) kept.push_back(std::move(o));
    }
    s->observations = std::move(kept);
  }
  auto& obs = s->observations;
  if (w.first_n && obs.size() > *w.first_n) obs.resize(*w.first_n);
  if (w.last_n && obs.size() > *w.last_n) obs.erase(obs.begin(), obs.end() - static_cast<std::ptrdiff_t>(*w.last_n));
  return !obs.empty();
}

}  // namespace

Result<ObsWindow> ReadWindow(const HttpRequest& req) {
  ObsWindow w;
  std::string ignored;
  if (req.HasQuery("startPeriod") && !sdmx::PeriodBounds(req.Query("startPeriod"), &w.from, &ignored)) {
    return Status::InvalidArgument("startPeriod=" + req.Query("startPeriod") + " is not an SDMX time period");
  }
  if (req.HasQuery("endPeriod") && !sdmx::PeriodBounds(req.Query("endPeriod"), &ignored, &w.to)) {
    return Status::InvalidArgument("endPeriod=" + req.Query("endPeriod") + " is not an SDMX time period");
  }
  for (const char* name : {"firstNObservations", "lastNObservations"}) {
    if (!req.HasQuery(name)) continue;
    const std::string v = req.Query(name);
    size_t n = 0;
    auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
    if (ec != std::errc() || p != v.data() + v.size() || n == 0) {
      return Status::InvalidArgument(std::string(name) + "=" + v + ": expected a positive integer");
    }
    (name[0] == 'f' ? w.first_n : w.last_n) = n;
  }
  return w;
}

Result<std::vector<ComponentFilter>> ReadComponentFilters(const HttpRequest& req, const sdmx::DataStructure& dsd) {
  static const std::set<std::string> kOps = {"eq", "ne", "lt", "le", "gt", "ge", "co", "nc", "sw", "ew"};
  std::vector<ComponentFilter> out;
  for (const auto& [name, value] : req.query) {
    if (name.size() < 4 || name.compare(0, 2, "c[") != 0 || name.back() != ']') continue;
    ComponentFilter f;
    f.component = name.substr(2, name.size() - 3);
    if (dsd.DimensionIndex(f.component) < 0 && !dsd.FindAttribute(f.component) && f.component != dsd.time_dimension &&
        f.component != dsd.primary_measure) {
      return Status::InvalidArgument(name + ": " + f.component + " is not a component of " + dsd.ref.ToString());
    }
    for (size_t a = 0; a <= value.size();) {
      size_t b = value.find(',', a);
      if (b == std::string::npos) b = value.size();
      std::vector<ComponentFilter::Condition> all;
      const std::string alt = value.substr(a, b - a);
      for (size_t x = 0; x <= alt.size();) {
        size_t y = alt.find('+', x);
        if (y == std::string::npos) y = alt.size();
        std::string cond = alt.substr(x, y - x);
        ComponentFilter::Condition c{"eq", cond};
        if (size_t colon = cond.find(':'); colon == 2 && kOps.count(cond.substr(0, 2))) {
          c = {cond.substr(0, 2), cond.substr(3)};
        }
        all.push_back(std::move(c));
        x = y + 1;
      }
      f.alternatives.push_back(std::move(all));
      a = b + 1;
    }
    out.push_back(std::move(f));
  }
  return out;
}

Status ReadHistoryParams(const HandlerContext& ctx, const HttpRequest& req, DataQuery* q) {
  if (req.HasQuery("updatedAfter")) {
    auto t = ParseIsoTimeMs(req.Query("updatedAfter"));
    if (!t) return Status::InvalidArgument("updatedAfter='" + req.Query("updatedAfter") + "' is not an ISO 8601 time");
    HUB_ASSIGN_OR_RETURN(q->updated_after, ctx.state->WatermarkAt(*t, q->at));
  }
  if (req.HasQuery("includeHistory")) {
    const std::string v = req.Query("includeHistory");
    if (v != "true" && v != "false") return Status::InvalidArgument("includeHistory=" + v + ": expected true or false");
    q->include_history = v == "true";
  }
  if ((q->include_history || q->updated_after) && q->format == sdmx::DataFormat::kCsv10) {
    // Deletions need the ACTION column of SDMX-CSV 2.0.
    return Status::InvalidArgument("SDMX-CSV 1.0 cannot carry deletions or datasets: ask for SDMX-CSV 2.0");
  }
  return Status::Ok();
}

namespace {

// The time commit `seq` was loaded, as ISO 8601 (validFromDate).
std::string CommitTime(const HandlerContext& ctx, uint64_t seq) {
  auto c = ctx.state->Commit(seq);
  return c.ok() && *c ? IsoTimeMs((*c)->accepted_time_ms()) : std::string();
}

// Period window only (deleted observations carry no values to filter on).
bool InWindow(const ObsWindow& w, sdmx::Series* s) {
  if (w.from.empty() && w.to.empty()) return !s->observations.empty();
  std::vector<sdmx::Observation> kept;
  for (sdmx::Observation& o : s->observations) {
    std::string first, last;
    if (!sdmx::PeriodBounds(o.period, &first, &last)) continue;
    if ((!w.from.empty() && last < w.from) || (!w.to.empty() && first > w.to)) continue;
    kept.push_back(std::move(o));
  }
  s->observations = std::move(kept);
  return !s->observations.empty();
}

sdmx::WriteContext ContextOf(const HandlerContext& ctx, const DataQuery& q) {
  sdmx::WriteContext wc;
  wc.prepared = LoadTimeIso(*ctx.state, q.at);  // same query, same watermark: same bytes
  wc.dsd = q.dsd;
  wc.dataflow = q.flow->ref;
  wc.message_id = "HUB-" + std::to_string(q.at.value);
  wc.all_dimensions = q.all_dimensions;
  wc.detail = q.detail;
  return wc;
}

// providerRef: accepts the commits of the query's providers.
storage::VersionedState::CommitFilter ProviderFilter(const HandlerContext& ctx, const DataQuery& q) {
  if (q.providers.empty()) return {};
  auto known = std::make_shared<std::map<uint64_t, bool>>();  // seq -> one of them
  return [state = ctx.state, providers = q.providers, known](uint64_t seq) {
    auto [it, fresh] = known->try_emplace(seq, false);
    if (fresh) {
      auto c = state->Commit(seq);
      it->second = c.ok() && *c && std::find(providers.begin(), providers.end(), (*c)->provider()) != providers.end();
    }
    return it->second;
  };
}

HttpResponse NoResults(const DataQuery& q) {
  return q.no_results_status == 204
             ? HttpResponse::Make(204, "", "")
             : HttpResponse::Error(404, "No results: no data matches the query at watermark " + std::to_string(q.at.value));
}

}  // namespace

namespace {

// offset/limit over observations, in the order series reach `fn` (SDMX
// REST 2.x: "observations or series keys"; a v2 answer always lists
// observations), so a page may begin and end inside a series.
class Pager {
 public:
  Pager(const DataQuery& q, const std::function<bool(const sdmx::Series&)>& fn) : q_(q), fn_(fn) {}
  bool operator()(const sdmx::Series& s) {
    if (q_.offset == 0 && !q_.limit) return fn_(s);
    if (q_.limit && taken_ >= *q_.limit) return false;
    const size_t n = s.observations.size();
    const size_t skip = std::min(n, q_.offset - skipped_);
    skipped_ += skip;
    if (skip == n) return true;
    const size_t take = q_.limit ? std::min(n - skip, *q_.limit - taken_) : n - skip;
    taken_ += take;
    bool more;
    if (skip == 0 && take == n) {
      more = fn_(s);
    } else {
      sdmx::Series part;
      part.key = s.key;
      part.attributes = s.attributes;
      part.observations.assign(s.observations.begin() + skip, s.observations.begin() + skip + take);
      more = fn_(part);
    }
    return more && !(q_.limit && taken_ >= *q_.limit);
  }

 private:
  const DataQuery& q_;
  const std::function<bool(const sdmx::Series&)>& fn_;
  size_t skipped_ = 0, taken_ = 0;
};

// Each series of the selection (filters and window applied), in scan order.
Status ScanFiltered(const HandlerContext& ctx, const DataQuery& q, const std::function<bool(sdmx::Series&)>& fn) {
  const bool cuts = !q.filters.empty() || !q.window.from.empty() || !q.window.to.empty() || q.window.first_n ||
                    q.window.last_n;
  return ctx.state->ScanSeries(q.flow->ref.ToString(), q.pattern, q.at, [&](sdmx::Series& s) {
    if (cuts && !Filter(q, &s)) return true;  // nothing of it selected
    return fn(s);
  }, ProviderFilter(ctx, q));
}

// Puts a selection (scan order in) in the query's order and shape; the
// cross-section's structure for the writers, null when the output is not one.
std::shared_ptr<const sdmx::DataStructure> Arrange(const DataQuery& q, std::vector<sdmx::Series>* selection) {
  if (auto dimension = PivotDimension(q)) {
    return std::make_shared<sdmx::DataStructure>(CrossSection(*q.dsd, *dimension, q.sort, selection));
  }
  if (!q.sort.empty()) SortSelection(q.sort, *q.dsd, q.all_dimensions, selection);
  return nullptr;
}

// A selection whose sort or cross-section cannot stream, held in query
// order (bounded by max_sorted_observations: ResourceExhausted beyond).
struct Held {
  std::shared_ptr<std::vector<sdmx::Series>> series;
  std::shared_ptr<const sdmx::DataStructure> shape;  // Arrange's
};
Result<Held> HeldSelection(const HandlerContext& ctx, const DataQuery& q) {
  auto all = std::make_shared<std::vector<sdmx::Series>>();
  size_t observations = 0;
  bool too_many = false;
  HUB_RETURN_IF_ERROR(ScanFiltered(ctx, q, [&](sdmx::Series& s) {
    observations += s.observations.size();
    if (observations > ctx.max_sorted_observations) return !(too_many = true);
    all->push_back(std::move(s));
    return true;
  }));
  if (too_many) {
    return Status::ResourceExhausted("this sort= or cross-section needs the selection in memory and it holds more than " +
                                     std::to_string(ctx.max_sorted_observations) +
                                     " observations ([http] max_sorted_observations): narrow the query, or sort on "
                                     "leading dimensions and observation-level components, which streams");
  }
  auto shape = Arrange(q, all.get());
  return Held{std::move(all), std::move(shape)};
}

// Calls `fn` with each selected series, in the query's order, paged, until
// it returns false. `sorted`: the selection when its sort cannot stream.
Status ScanSelected(const HandlerContext& ctx, const DataQuery& q, const std::vector<sdmx::Series>* sorted,
                    const std::function<bool(const sdmx::Series&)>& fn) {
  Pager page(q, fn);
  if (sorted) {
    for (const sdmx::Series& s : *sorted) {
      if (!page(s)) break;
    }
    return Status::Ok();
  }
  return ScanFiltered(ctx, q, [&](sdmx::Series& s) {
    if (!q.sort.empty()) SortObservations(q.sort, *q.dsd, &s);
    return page(s);
  });
}

}  // namespace

Result<std::vector<std::string>> ParseProviderRef(const std::string& ref) {
  std::vector<std::string> providers;
  if (ref.empty() || ref == "all") return providers;
  size_t start = 0;
  for (;;) {
    const size_t plus = ref.find('+', start);
    std::string one = ref.substr(start, plus == std::string::npos ? std::string::npos : plus - start);
    if (const size_t comma = one.find(','); comma != std::string::npos) one = one.substr(comma + 1);
    if (one.empty()) return Status::InvalidArgument("providerRef '" + ref + "': empty provider id");
    providers.push_back(std::move(one));
    if (plus == std::string::npos) break;
    start = plus + 1;
  }
  return providers;
}

bool SelectObservations(const DataQuery& q, sdmx::Series* s) { return Filter(q, s); }

storage::VersionedState::CommitFilter ProviderFilterOf(const HandlerContext& ctx, const DataQuery& q) {
  return ProviderFilter(ctx, q);
}

std::optional<size_t> PivotDimension(const DataQuery& q) {
  // SDMX-CSV is flat whatever the dimension at observation.
  if (q.format == sdmx::DataFormat::kCsv10 || q.format == sdmx::DataFormat::kCsv20) return std::nullopt;
  return q.cross_section;
}

HttpResponse ServeData(const HandlerContext& ctx, const DataQuery& q) {
  if (q.updated_after || q.include_history) return ServeHistory(ctx, q);
  std::shared_ptr<std::vector<sdmx::Series>> sorted;
  std::shared_ptr<const sdmx::DataStructure> shape;  // the cross-section's structure for the writer
  if (PivotDimension(q) || (!q.sort.empty() && !SortStreams(q.sort, *q.dsd, q.all_dimensions))) {
    auto held = HeldSelection(ctx, q);
    if (!held.ok()) return ErrorFromStatus(held.status());
    sorted = std::move(held->series);
    shape = std::move(held->shape);
  }
  // The status goes out first: find one selected series before answering 200.
  bool any = false;
  if (Status s = ScanSelected(ctx, q, sorted.get(), [&](const sdmx::Series&) { return !(any = true); }); !s.ok()) {
    return ErrorFromStatus(s);
  }
  HttpResponse resp = any ? HttpResponse::Make(200, sdmx::MediaType(q.format), "") : NoResults(q);
  resp.SetHeader("X-Hub-Watermark", std::to_string(q.at.value));
  if (!any) return resp;
  // Then the body, written as the scan goes (the scan reads at q.at: what
  // commits meanwhile does not show).
  resp.stream = [ctx, q, sorted, shape](const HttpResponse::Write& write) -> Status {
    bool gone = false;
    sdmx::WriteContext wc = ContextOf(ctx, q);
    if (shape) wc.dsd = shape.get();
    auto writer = sdmx::NewDataWriter(q.format, wc, [&](std::string_view chunk) { gone = gone || !write(chunk); });
    HUB_RETURN_IF_ERROR(ScanSelected(ctx, q, sorted.get(), [&](const sdmx::Series& s) {
      writer->WriteSeries(s);
      return !gone;
    }));
    if (!gone) writer->Finish();
    return Status::Ok();
  };
  return resp;
}

HttpResponse ServeHistory(const HandlerContext& ctx, const DataQuery& q) {
  // A sequence of (header, series) datasets, written once known: the
  // writer's first dataset takes its header from the WriteContext.
  struct Out {
    sdmx::DataSetHeader header;
    std::vector<sdmx::Series> series;
  };
  std::vector<Out> datasets;
  Status s;
  if (q.updated_after && !q.include_history) {
    Out changed{{sdmx::Action::kReplace, "", ""}, {}}, deleted{{sdmx::Action::kDelete, "", ""}, {}};
    s = ctx.state->ScanChanges(q.flow->ref.ToString(), q.pattern, *q.updated_after, q.at,
                               [&](sdmx::Series& c, sdmx::Series& d) {
                                 if (!c.observations.empty() && Filter(q, &c)) changed.series.push_back(std::move(c));
                                 if (InWindow(q.window, &d)) deleted.series.push_back(std::move(d));
                                 return true;
                               }, ProviderFilter(ctx, q));
    if (!changed.series.empty()) datasets.push_back(std::move(changed));
    if (!deleted.series.empty()) datasets.push_back(std::move(deleted));
  } else {
    s = ctx.state->ScanRevisions(
        q.flow->ref.ToString(), q.pattern, q.at,
        [&, by_provider = ProviderFilter(ctx, q)](uint64_t seq, const std::vector<sdmx::Series>& revised,
                                                 const std::vector<sdmx::Series>& deleted) {
          if (by_provider && !by_provider(seq)) return true;  // another provider's dissemination
          // With updatedAfter: the disseminations since then only.
          if (q.updated_after && seq <= q.updated_after->value) return true;
          const std::string from = CommitTime(ctx, seq);
          Out r{{sdmx::Action::kReplace, from, ""}, {}}, d{{sdmx::Action::kDelete, from, ""}, {}};
          for (sdmx::Series x : revised) {
            if (Filter(q, &x)) r.series.push_back(std::move(x));
          }
          for (sdmx::Series x : deleted) {
            if (InWindow(q.window, &x)) d.series.push_back(std::move(x));
          }
          if (!r.series.empty()) datasets.push_back(std::move(r));
          if (!d.series.empty()) datasets.push_back(std::move(d));
          return true;
        });
    // A dissemination is valid until the next one of this selection.
    for (size_t i = 0; i + 1 < datasets.size(); ++i) {
      for (size_t j = i + 1; j < datasets.size(); ++j) {
        if (datasets[j].header.valid_from != datasets[i].header.valid_from) {
          datasets[i].header.valid_to = datasets[j].header.valid_from;
          break;
        }
      }
    }
  }
  if (!s.ok()) return ErrorFromStatus(s);
  HttpResponse resp;
  if (datasets.empty()) {
    resp = NoResults(q);
  } else {
    resp = HttpResponse::Make(200, sdmx::MediaType(q.format), "");
    // Each dissemination pivoted and ordered as the query asks, alike.
    std::shared_ptr<const sdmx::DataStructure> shape;
    for (Out& d : datasets) shape = Arrange(q, &d.series);
    sdmx::WriteContext wc = ContextOf(ctx, q);
    if (shape) wc.dsd = shape.get();
    wc.action = datasets[0].header.action;
    wc.valid_from = datasets[0].header.valid_from;
    wc.valid_to = datasets[0].header.valid_to;
    auto writer = sdmx::NewDataWriter(q.format, wc, [&](std::string_view chunk) { resp.body.append(chunk); });
    for (size_t i = 0; i < datasets.size(); ++i) {
      if (i) writer->NextDataSet(datasets[i].header);
      for (const sdmx::Series& x : datasets[i].series) writer->WriteSeries(x);
    }
    writer->Finish();
  }
  resp.SetHeader("X-Hub-Watermark", std::to_string(q.at.value));
  return resp;
}

}  // namespace hub::http

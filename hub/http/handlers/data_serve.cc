// Live data answers: one scan of the versioned state per dataflow, at one
// watermark, written as the scan goes; selections whose order or shape
// cannot stream are held first, within one memory budget for the answer.
#include <algorithm>

#include "hub/http/handlers/data_query.h"

namespace hub::http {

bool Pager::operator()(const sdmx::Series& s, const std::function<bool(const sdmx::Series&)>& fn) {
  if (offset_ == 0 && !limit_) return fn(s);
  if (full()) return false;
  const size_t n = s.observations.size();
  const size_t skip = std::min(n, offset_ - skipped_);
  skipped_ += skip;
  if (skip == n) return true;
  const size_t take = limit_ ? std::min(n - skip, *limit_ - taken_) : n - skip;
  taken_ += take;
  bool more;
  if (skip == 0 && take == n) {
    more = fn(s);
  } else {
    sdmx::Series part;
    part.key = s.key;
    part.attributes = s.attributes;
    part.observations.assign(s.observations.begin() + skip, s.observations.begin() + skip + take);
    more = fn(part);
  }
  return more && !full();
}

std::shared_ptr<const sdmx::DataStructure> Arrange(const DataQuery& q, std::vector<sdmx::Series>* selection) {
  if (auto dimension = PivotDimension(q)) {
    return std::make_shared<sdmx::DataStructure>(CrossSection(*q.dsd, *dimension, q.sort, selection));
  }
  if (!q.sort.empty()) SortSelection(q.sort, *q.dsd, q.all_dimensions, selection);
  return nullptr;
}

sdmx::WriteContext ContextOf(const HandlerContext& ctx, const DataQueries& qs, const std::vector<bool>& on,
                             const std::vector<std::shared_ptr<const sdmx::DataStructure>>& shapes) {
  const DataQuery& q = qs[0];
  sdmx::WriteContext wc;
  wc.prepared = LoadTimeIso(*ctx.state, q.at);  // same query, same watermark: same bytes
  wc.message_id = "HUB-" + std::to_string(q.at.value);
  wc.all_dimensions = q.all_dimensions;
  wc.detail = q.detail;
  wc.names = q.structures.get();
  wc.csv = q.csv;
  for (size_t i = 0; i < qs.size(); ++i) {
    if (!on[i]) continue;
    sdmx::MessageStructure m{shapes[i] ? shapes[i].get() : qs[i].dsd, qs[i].flow->ref, std::nullopt};
    // One provider's data: the message names its agreement for the dataflow.
    if (qs[i].providers.size() == 1 && qs[i].structures) {
      for (const auto& [key, pa] : qs[i].structures->provision_agreements()) {
        if (pa.dataflow == qs[i].flow->ref && pa.provider == qs[i].providers[0]) m.agreement = pa.ref;
      }
    }
    wc.structures.push_back(std::move(m));
  }
  return wc;
}

HttpResponse NoResults(const DataQuery& q) {
  return q.no_results_status == 204
             ? HttpResponse::Make(204, "", "")
             : HttpResponse::Error(404, "No results: no data matches the query at watermark " + std::to_string(q.at.value));
}

namespace {

// One dataflow's part of an answer: its query, and its selection when that
// cannot stream.
struct Part {
  DataQuery q;
  std::shared_ptr<std::vector<sdmx::Series>> held;  // null: scanned as written
  std::shared_ptr<const sdmx::DataStructure> shape;  // Arrange's
};

// Each series of q's selection (filters and window applied), in scan order.
Status ScanFiltered(const HandlerContext& ctx, const DataQuery& q, const std::function<bool(sdmx::Series&)>& fn) {
  const bool cuts = !q.filters.empty() || !q.window.from.empty() || !q.window.to.empty() || q.window.first_n ||
                    q.window.last_n;
  return ctx.state->ScanSeries(q.flow->ref.ToString(), q.pattern, q.at, [&](sdmx::Series& s) {
    if (cuts && !SelectObservations(q, &s)) return true;  // nothing of it selected
    return fn(s);
  }, ProviderFilterOf(ctx, q));
}

// Holds q's selection in query order, taking its observations from
// `budget` (what is left of max_sorted_observations: ResourceExhausted
// beyond).
Status Hold(const HandlerContext& ctx, size_t* budget, Part* p) {
  auto all = std::make_shared<std::vector<sdmx::Series>>();
  bool too_many = false;
  HUB_RETURN_IF_ERROR(ScanFiltered(ctx, p->q, [&](sdmx::Series& s) {
    if (s.observations.size() > *budget) return !(too_many = true);
    *budget -= s.observations.size();
    all->push_back(std::move(s));
    return true;
  }));
  if (too_many) {
    return Status::ResourceExhausted("this sort= or cross-section needs the selection in memory and it holds more than " +
                                     std::to_string(ctx.max_sorted_observations) +
                                     " observations ([http] max_sorted_observations): narrow the query, or sort on "
                                     "leading dimensions and observation-level components, which streams");
  }
  p->shape = Arrange(p->q, all.get());
  p->held = std::move(all);
  return Status::Ok();
}

// Calls `fn` with each selected series of `p`, in the query's order, until
// it returns false.
Status ScanPart(const HandlerContext& ctx, const Part& p, const std::function<bool(const sdmx::Series&)>& fn) {
  if (p.held) {
    for (const sdmx::Series& s : *p.held) {
      if (!fn(s)) break;
    }
    return Status::Ok();
  }
  return ScanFiltered(ctx, p.q, [&](sdmx::Series& s) {
    if (!p.q.sort.empty()) SortObservations(p.q.sort, *p.q.dsd, &s);
    return fn(s);
  });
}

// Which parts put something on the page, for the status and the header's
// structures, which go out before the body. A part is read up to its first
// observation on the page, or further when a limit makes a later part's
// place depend on how many it holds.
Result<std::vector<bool>> PartsOnPage(const HandlerContext& ctx, const std::vector<Part>& parts) {
  Pager page(parts[0].q);
  std::vector<bool> on(parts.size(), false);
  for (size_t i = 0; i < parts.size() && !page.full(); ++i) {
    const bool read_on = parts[i].q.limit && i + 1 < parts.size();
    HUB_RETURN_IF_ERROR(ScanPart(ctx, parts[i], [&](const sdmx::Series& s) {
      return page(s, [&](const sdmx::Series&) {
        on[i] = true;
        return read_on;
      });
    }));
  }
  return on;
}

}  // namespace

HttpResponse ServeData(const HandlerContext& ctx, const DataQueries& qs) {
  if (qs[0].updated_after || qs[0].include_history) return ServeHistory(ctx, qs);
  auto parts = std::make_shared<std::vector<Part>>();
  size_t budget = ctx.max_sorted_observations;
  for (const DataQuery& q : qs) {
    Part& p = parts->emplace_back(Part{q, nullptr, nullptr});
    if (PivotDimension(q) || (!q.sort.empty() && !SortStreams(q.sort, *q.dsd, q.all_dimensions))) {
      if (Status s = Hold(ctx, &budget, &p); !s.ok()) return ErrorFromStatus(s);
    }
  }
  auto on = PartsOnPage(ctx, *parts);
  if (!on.ok()) return ErrorFromStatus(on.status());
  const bool any = std::find(on->begin(), on->end(), true) != on->end();
  HttpResponse resp = any ? HttpResponse::Make(200, sdmx::MediaType(qs[0].format), "") : NoResults(qs[0]);
  resp.SetHeader("X-Hub-Watermark", std::to_string(qs[0].at.value));
  if (!any) return resp;
  // Then the body, written as the scans go (each reads at the query's
  // watermark: what commits meanwhile does not show). Parts off the page
  // are scanned too: the observations an offset skips may be theirs.
  resp.stream = [ctx, qs, parts, on = std::move(*on)](const HttpResponse::Write& write) -> Status {
    std::vector<std::shared_ptr<const sdmx::DataStructure>> shapes;
    for (const Part& p : *parts) shapes.push_back(p.shape);
    bool gone = false;
    auto writer = sdmx::NewDataWriter(qs[0].format, ContextOf(ctx, qs, on, shapes),
                                      [&](std::string_view chunk) { gone = gone || !write(chunk); });
    Pager page(qs[0]);
    size_t structure = 0;  // of the dataset open, in the header's list
    for (size_t i = 0; i < parts->size() && !page.full() && !gone; ++i) {
      if (on[i] && structure++ > 0) writer->NextDataSetOf(structure - 1, {});
      HUB_RETURN_IF_ERROR(ScanPart(ctx, (*parts)[i], [&](const sdmx::Series& s) {
        return page(s, [&](const sdmx::Series& x) {
          writer->WriteSeries(x);
          return !gone;
        });
      }));
    }
    if (!gone) writer->Finish();
    return Status::Ok();
  };
  return resp;
}

}  // namespace hub::http

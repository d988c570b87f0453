// History answers: updatedAfter (what changed since, as a Replace dataset
// of the changes and a Delete dataset of the deletions) and includeHistory
// (one dataset per dissemination, with its validity), per dataflow. Held
// whole before they are written: they are the size of the changes asked for.
#include "hub/http/handlers/data_query.h"
#include "sdmx/time_period.h"

namespace hub::http {
namespace {

struct DataSet {
  sdmx::DataSetHeader header;
  std::vector<sdmx::Series> series;
  size_t part = 0;  // the query (dataflow) it answers, in DataQueries
};

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

// updatedAfter alone: the latest state of what changed, then what was deleted.
Status Changes(const HandlerContext& ctx, const DataQuery& q, std::vector<DataSet>* out) {
  DataSet changed{{sdmx::Action::kReplace, "", ""}, {}, 0}, deleted{{sdmx::Action::kDelete, "", ""}, {}, 0};
  HUB_RETURN_IF_ERROR(ctx.state->ScanChanges(q.flow->ref.ToString(), q.pattern, *q.updated_after, q.at,
                                             [&](sdmx::Series& c, sdmx::Series& d) {
                                               if (!c.observations.empty() && SelectObservations(q, &c)) {
                                                 changed.series.push_back(std::move(c));
                                               }
                                               if (InWindow(q.window, &d)) deleted.series.push_back(std::move(d));
                                               return true;
                                             }, ProviderFilterOf(ctx, q)));
  if (!changed.series.empty()) out->push_back(std::move(changed));
  if (!deleted.series.empty()) out->push_back(std::move(deleted));
  return Status::Ok();
}

// includeHistory: each dissemination (after updatedAfter, if given), valid
// until the next one of this selection.
Status Disseminations(const HandlerContext& ctx, const DataQuery& q, std::vector<DataSet>* out) {
  const size_t first = out->size();
  HUB_RETURN_IF_ERROR(ctx.state->ScanRevisions(
      q.flow->ref.ToString(), q.pattern, q.at,
      [&, by_provider = ProviderFilterOf(ctx, q)](uint64_t seq, const std::vector<sdmx::Series>& revised,
                                                 const std::vector<sdmx::Series>& deleted) {
        if (by_provider && !by_provider(seq)) return true;  // another provider's dissemination
        if (q.updated_after && seq <= q.updated_after->value) return true;
        const std::string from = CommitTime(ctx, seq);
        DataSet r{{sdmx::Action::kReplace, from, ""}, {}, 0}, d{{sdmx::Action::kDelete, from, ""}, {}, 0};
        for (sdmx::Series x : revised) {
          if (SelectObservations(q, &x)) r.series.push_back(std::move(x));
        }
        for (sdmx::Series x : deleted) {
          if (InWindow(q.window, &x)) d.series.push_back(std::move(x));
        }
        if (!r.series.empty()) out->push_back(std::move(r));
        if (!d.series.empty()) out->push_back(std::move(d));
        return true;
      }));
  std::vector<DataSet>& all = *out;
  for (size_t i = first; i + 1 < all.size(); ++i) {
    for (size_t j = i + 1; j < all.size(); ++j) {
      if (all[j].header.valid_from != all[i].header.valid_from) {
        all[i].header.valid_to = all[j].header.valid_from;
        break;
      }
    }
  }
  return Status::Ok();
}

// offset/limit across the whole answer; datasets left empty are dropped.
void Page(const DataQuery& q, std::vector<DataSet>* datasets) {
  if (q.offset == 0 && !q.limit) return;
  Pager page(q);
  std::vector<DataSet> kept;
  for (DataSet& d : *datasets) {
    DataSet k{d.header, {}, d.part};
    for (const sdmx::Series& s : d.series) {
      const bool more = page(s, [&](const sdmx::Series& x) {
        k.series.push_back(x);
        return true;
      });
      if (!more) break;
    }
    if (!k.series.empty()) kept.push_back(std::move(k));
    if (page.full()) break;
  }
  *datasets = std::move(kept);
}

}  // namespace

HttpResponse ServeHistory(const HandlerContext& ctx, const DataQueries& qs) {
  std::vector<DataSet> datasets;
  std::vector<std::shared_ptr<const sdmx::DataStructure>> shapes(qs.size());
  for (size_t i = 0; i < qs.size(); ++i) {
    const size_t first = datasets.size();
    const bool changes_only = qs[i].updated_after && !qs[i].include_history;
    if (Status s = changes_only ? Changes(ctx, qs[i], &datasets) : Disseminations(ctx, qs[i], &datasets); !s.ok()) {
      return ErrorFromStatus(s);
    }
    // Each dataset pivoted and ordered as the query asks, alike.
    for (size_t d = first; d < datasets.size(); ++d) {
      datasets[d].part = i;
      shapes[i] = Arrange(qs[i], &datasets[d].series);
    }
  }
  Page(qs[0], &datasets);
  HttpResponse resp = datasets.empty() ? NoResults(qs[0]) : HttpResponse::Make(200, sdmx::MediaType(qs[0].format), "");
  resp.SetHeader("X-Hub-Watermark", std::to_string(qs[0].at.value));
  if (datasets.empty()) return resp;
  std::vector<bool> on(qs.size(), false);
  for (const DataSet& d : datasets) on[d.part] = true;
  std::vector<size_t> structure(qs.size(), 0);  // part -> its place in the header
  for (size_t i = 1; i < qs.size(); ++i) structure[i] = structure[i - 1] + (on[i - 1] ? 1 : 0);
  sdmx::WriteContext wc = ContextOf(ctx, qs, on, shapes);
  wc.action = datasets[0].header.action;
  wc.valid_from = datasets[0].header.valid_from;
  wc.valid_to = datasets[0].header.valid_to;
  auto writer = sdmx::NewDataWriter(qs[0].format, wc, [&](std::string_view chunk) { resp.body.append(chunk); });
  for (size_t i = 0; i < datasets.size(); ++i) {
    if (i) writer->NextDataSetOf(structure[datasets[i].part], datasets[i].header);
    for (const sdmx::Series& x : datasets[i].series) writer->WriteSeries(x);
  }
  writer->Finish();
  return resp;
}

}  // namespace hub::http

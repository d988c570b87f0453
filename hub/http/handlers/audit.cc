// The audit trail for auditors (storage/audit_chain.h has the algorithm;
// hub/README.md "Audit trail" a script that checks it with sha256sum):
//   GET /api/v1/audit/chain[?at=W]: one tab-separated line per link, oldest
//     first: seq prev submission provider kind dataflow accepted_ms
//     commit_sha256 body_sha256 revisions_sha256 hash (fields escaped as
//     in LinkText).
//   GET /api/v1/audit/chain/{seq}/revisions: the commit's revision lines,
//     whose SHA-256 is the link's revisions_sha256.
#include <charconv>

#include "hub/http/handlers/handlers.h"
#include "storage/audit_chain.h"

namespace hub::http {
namespace {

namespace st = sdmxhub::state::v1;

HttpResponse Chain(const HandlerContext& ctx, const HttpRequest& req) {
  if (Status s = CheckQueryParams(req, {"at", "asOf"}); !s.ok()) return ErrorFromStatus(s);
  auto at = ReadWatermark(req, *ctx.state);
  if (!at.ok()) return ErrorFromStatus(at.status());
  HttpResponse resp = HttpResponse::Make(200, "text/tab-separated-values; charset=utf-8", "");
  resp.SetHeader("X-Hub-Watermark", std::to_string(at->value));
  resp.stream = [state = ctx.state, at = at->value](const HttpResponse::Write& write) -> Status {
    bool open = write("seq\tprev\tsubmission\tprovider\tkind\tdataflow\taccepted_ms\tcommit_sha256\tbody_sha256\trevisions_sha256\thash\n");
    return storage::ScanChain(*state, at, [&](const st::ChainLink& l) {
      std::string line = std::to_string(l.seq());
      for (const std::string* f : {&l.prev(), &l.submission_id(), &l.provider(), &l.kind(), &l.dataflow()}) {
        line += '\t' + storage::ChainField(*f);
      }
      line += '\t' + std::to_string(l.accepted_time_ms());
      for (const std::string* f : {&l.commit_sha256(), &l.body_sha256(), &l.revisions_sha256(), &l.hash()}) {
        line += '\t' + *f;
      }
      open = open && write(line + "\n");
      return open;
    });
  };
  return resp;
}

HttpResponse Revisions(const HandlerContext& ctx, const HttpRequest& req) {
  if (Status s = CheckQueryParams(req, {}); !s.ok()) return ErrorFromStatus(s);
  const std::string v = req.Param("seq");
  uint64_t seq = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), seq);
  if (ec != std::errc() || p != v.data() + v.size() || seq == 0) return HttpResponse::Error(400, "'" + v + "' is not a commit number");
  if (seq > ctx.state->watermark().value) return HttpResponse::Error(404, "no commit " + v + " yet");
  auto commit = ctx.state->Commit(seq);
  if (!commit.ok()) return ErrorFromStatus(commit.status());
  if (!*commit) return HttpResponse::Error(404, "no commit " + v);
  HttpResponse resp = HttpResponse::Make(200, "text/plain; charset=utf-8", "");
  resp.stream = [state = ctx.state, seq](const HttpResponse::Write& write) -> Status {
    bool open = true;
    return storage::RevisionLines(*state, seq, [&](std::string_view line) { open = open && write(line); });
  };
  return resp;
}

}  // namespace

void RegisterAuditRoutes(Router* router, const HandlerContext& ctx) {
  router->Add("GET", "/api/v1/audit/chain", [ctx](HttpRequest& req) { return Chain(ctx, req); });
  router->Add("GET", "/api/v1/audit/chain/{seq}/revisions", [ctx](HttpRequest& req) { return Revisions(ctx, req); });
}

}  // namespace hub::http

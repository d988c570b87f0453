// `sdmx-hub submit --to URL --token TOKEN FILE...`: push files as a provider.
#include <boost/json.hpp>

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <future>
#include <iostream>
#include <thread>

#include "connectors/ingest.h"
#include "hub/cli/commands.h"
#include "hub/base/sha256.h"
#include "hub/cli/progress_bar.h"
#include "hub/http/client.h"
#include "sdmx/file.h"

namespace hub::cli {
namespace {

std::string SubmissionsUrl(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  const std::string path = "/api/v1/submissions";
  if (url.size() < path.size() || url.compare(url.size() - path.size(), path.size(), path) != 0) url += path;
  return url;
}

std::string Field(const boost::json::value& v, const char* key) {
  if (!v.is_object()) return "";
  const auto* f = v.as_object().if_contains(key);
  if (!f) return "";
  return f->is_string() ? std::string(f->as_string()) : boost::json::serialize(*f);
}

// POSTs the body `upload` names while drawing a progress bar: the upload as it goes out,
// then the hub's own progress on it (GET /api/v1/submissions/{id}: still
// receiving, validating, appending) until the answer comes.
Result<http::HttpResponse> PostWithProgress(const std::string& url, const std::string& status_url,
                                            const std::map<std::string, std::string>& headers,
                                            const http::FetchOptions& upload, const http::FetchOptions& fetch) {
  ProgressBar bar(&std::cout);
  std::atomic<bool> sent{false};
  http::FetchOptions post = upload;
  post.on_upload = [&](uint64_t done, uint64_t total) {
    bar.Draw("sending", done, total);
    if (done == total) sent = true;
  };
  auto answer = std::async(std::launch::async, [&] { return http::Fetch("POST", url, "", headers, post); });
  while (answer.wait_for(std::chrono::milliseconds(200)) != std::future_status::ready) {
    if (!sent) continue;
    auto st = http::Fetch("GET", status_url, "", {}, fetch);
    if (!st.ok() || st->status != 200) continue;
    boost::json::error_code ec;
    boost::json::value v = boost::json::parse(st->body, ec);
    const auto* p = v.is_object() ? v.as_object().if_contains("progress") : nullptr;
    if (!p || !p->is_object()) continue;
    const auto& o = p->as_object();
    auto num = [&](const char* k) {
      boost::json::error_code nec;
      const uint64_t n = o.contains(k) ? o.at(k).to_number<uint64_t>(nec) : 0;
      return nec ? uint64_t{0} : n;
    };
    bar.Draw(Field(v, "status"), num("bytes_done"), num("bytes_total"),
             std::to_string(num("series")) + " series, " + std::to_string(num("observations")) + " observations");
  }
  bar.Finish();
  return answer.get();
}

// --wait: polls GET `status_url` until the submission is no longer
// "accepted", then whether the ledger's record is this one: committed, for
// `provider` (as the hub's answer named it), with this body's SHA-256. A
// 202 alone does not say so: another hub process may have appended the same
// id first, and the ledger keeps the first. Prints what it found.
bool WaitApplied(const std::string& status_url, const std::string& provider, const std::string& body_sha256,
                 const http::FetchOptions& fetch) {
  for (;;) {
    auto st = http::Fetch("GET", status_url, "", {}, fetch);
    if (!st.ok() || st->status != 200) {
      std::cout << "  could not follow the submission: "
                << (st.ok() ? std::to_string(st->status) + " " + st->body : st.status().ToString()) << "\n";
      return false;
    }
    boost::json::error_code ec;
    const boost::json::value sv = boost::json::parse(st->body, ec);
    const std::string status = Field(sv, "status");
    if (status == "accepted") {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      continue;
    }
    if (status != "committed") {
      const std::string why = Field(sv, "failure");
      std::cout << "  " << (status.empty() ? st->body : status) << ": not applied" << (why.empty() ? "" : ": " + why)
                << "\n";
      return false;
    }
    if (Field(sv, "provider") != provider || Field(sv, "body_sha256") != body_sha256) {
      std::cout << "  " << Field(sv, "id") << " was committed for provider " << Field(sv, "provider")
                << " with body SHA-256 " << Field(sv, "body_sha256") << ", not this file (" << body_sha256
                << " from " << (provider.empty() ? "an unnamed provider" : provider) << "): not applied\n";
      return false;
    }
    std::cout << "  committed at watermark " << Field(sv, "watermark");
    if (sv.is_object() && sv.as_object().contains("revisions")) {
      // "committed" never hides "nothing changed": what the data did.
      const boost::json::value& r = sv.at("revisions");
      std::cout << ", action " << Field(sv, "action") << " (declared " << Field(sv, "declared_action") << "): "
                << Field(r, "new") << " new, " << Field(r, "changed") << " changed, " << Field(r, "deleted")
                << " deleted, " << Field(r, "unchanged") << " unchanged observations";
    }
    std::cout << "\n";
    return true;
  }
}

}  // namespace

int Submit(const SubmitOptions& o, const std::vector<std::string>& files) {
  const std::string endpoint = SubmissionsUrl(o.url);
  const std::string& token = o.token;
  const std::string& id_prefix = o.id_prefix;
  const bool wait = o.wait;
  std::string params;
  if (!o.action.empty()) params += "&action=" + o.action;
  if (o.skip_invalid_series) params += "&invalid=skip";
  if (o.snapshot) params += "&mode=snapshot";
  http::FetchOptions fetch;
  fetch.ca_file = o.ca_file;
  const bool show = o.progress == "always" || (o.progress == "auto" && isatty(STDOUT_FILENO));
  int failures = 0;
  for (size_t i = 0; i < files.size(); ++i) {
    const std::string& f = files[i];
    const std::string name = std::filesystem::path(f).filename().string();
    std::cout << "[" << i + 1 << "/" << files.size() << "] " << f << ": " << std::flush;
    // Streamed from the file (bounded memory whatever its size), hashed as
    // it goes: --wait checks the ledger holds this very body.
    std::error_code size_ec;
    const uint64_t size = std::filesystem::file_size(f, size_ec);
    if (size_ec) {
      std::cout << f << ": " << size_ec.message() << "\n";
      ++failures;
      continue;
    }
    std::cout << size << " bytes " << (show ? "\n" : "... ") << std::flush;
    Sha256 sha;
    http::FetchOptions post = fetch;
    post.body_file = f;
    post.on_file_piece = [&sha](std::string_view piece) { sha.Update(piece); };
    // The id is always ours, so that the hub can be asked how far it got.
    const std::string sid =
        id_prefix.empty() ? connectors::NewSubmissionId() : id_prefix + std::filesystem::path(f).stem().string();
    std::map<std::string, std::string> headers = {{"Authorization", "Bearer " + token},
                                                  {"Content-Type", "application/xml"},
                                                  {"X-Submission-Id", sid}};
    const std::string url = endpoint + "?name=" + name + params;
    auto resp = show ? PostWithProgress(url, endpoint + "/" + sid, headers, post, fetch)
                     : http::Fetch("POST", url, "", headers, post);
    if (show) std::cout << "  ";
    if (!resp.ok()) {
      std::cout << resp.status().ToString() << "\n";
      ++failures;
      continue;
    }
    boost::json::error_code ec;
    boost::json::value v = boost::json::parse(resp->body, ec);
    std::string id = Field(v, "id"), status = Field(v, "status");
    std::cout << resp->status << " " << (status.empty() ? resp->body : status + " " + id);
    if (!Field(v, "observations").empty()) std::cout << " (" << Field(v, "series") << " series, " << Field(v, "observations") << " observations)";
    if (!Field(v, "skipped_series").empty()) std::cout << ", " << Field(v, "skipped_series") << " invalid series skipped";
    std::cout << "\n";
    if (v.is_object() && v.as_object().contains("diagnostics")) {
      for (const auto& d : v.as_object().at("diagnostics").as_array()) std::cout << "  " << Field(d, "text") << "\n";
    }
    if (resp->status >= 300) {
      ++failures;
      continue;
    }
    if (wait && !WaitApplied(endpoint + "/" + sid, Field(v, "provider"), sha.Hex(), fetch)) ++failures;
  }
  return failures ? 1 : 0;
}

}  // namespace hub::cli

#include "testing/test_util.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/wait.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <random>

#include "sdmx/data_reader.h"
#include "sdmx/key_pattern.h"
#include "sdmx/demo_feed.h"
#include "sdmx/file.h"
#include "sdmx/structure_reader.h"

namespace hub::testing {

TempDir::TempDir() {
  const char* base = getenv("TMPDIR");
  std::string tmpl = std::string(base && *base ? base : "/tmp") + "/sdmx-hub-test-XXXXXX";
  char* made = mkdtemp(tmpl.data());
  if (!made) ADD_FAILURE() << "mkdtemp failed";
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string SourcePath(const std::string& relative) { return std::string(HUB_SOURCE_DIR) + "/" + relative; }
std::string CorpusPath(const std::string& relative) { return std::string(HUB_CORPUS_DIR) + "/" + relative; }

Trickle::Trickle(std::string body, size_t max_piece, uint32_t seed, std::optional<size_t> cut_at)
    : body_(std::move(body)), bytes_(std::make_shared<ArrivingBytes>(body_.size())) {
  thread_ = std::thread([this, max_piece, seed, cut_at] {
    std::mt19937 rng(seed);
    std::uniform_int_distribution<size_t> piece(1, std::max<size_t>(max_piece, 1));
    const size_t end = std::min(cut_at.value_or(body_.size()), body_.size());
    for (size_t at = 0; at < end;) {
      const size_t n = std::min(piece(rng), end - at);
      std::memcpy(bytes_->tail(), body_.data() + at, n);
      bytes_->Arrived(n);
      at += n;
      std::this_thread::yield();
    }
    if (cut_at) bytes_->Fail(Status::Unavailable("cut at " + std::to_string(end)));
  });
}

Trickle::~Trickle() { thread_.join(); }

std::string ReadFileOrDie(const std::string& path) {
  auto r = sdmx::ReadFile(path);
  if (!r.ok()) {
    ADD_FAILURE() << r.status().ToString();
    return "";
  }
  return *r;
}

void WriteFileOrDie(const std::string& path, const std::string& content) {
  Status s = sdmx::WriteFileAtomic(path, content);
  if (!s.ok()) ADD_FAILURE() << s.ToString();
}

std::string DemoConfig(const TempDir& dir, const std::vector<std::pair<std::string, std::string>>& replace) {
  std::string toml = ReadFileOrDie(SourcePath("configs/hub.toml"));
  auto apply = [&](const std::string& from, const std::string& to) {
    const size_t at = toml.find(from);
    if (at == std::string::npos) {
      ADD_FAILURE() << "configs/hub.toml has no '" << from << "'";
      return;
    }
    toml.replace(at, from.size(), to);
  };
  apply("structures = \"structures\"", "structures = \"" + SourcePath("configs/structures") + "\"");
  for (const auto& [from, to] : replace) apply(from, to);
  WriteFileOrDie(dir.Sub("hub.toml"), toml);
  return dir.Sub("hub.toml");
}

ProcessRun RunHubBinary(const std::string& args) {
  return RunCommand(std::string(HUB_BINARY) + " " + args + " 2>/dev/null");
}

ProcessRun RunCommand(const std::string& cmd) {
  FILE* p = popen(cmd.c_str(), "r");
  ProcessRun r;
  if (!p) return r;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  int status = pclose(p);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

std::string HubBinaryOutput(const std::string& args) {
  std::string out = RunHubBinary(args).out;
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

sdmx::StructureSet DemoStructures() {
  sdmx::StructureSet set;
  sdmx::Diagnostics diags;
  Status s = sdmx::ReadStructureMessage(sdmx::DemoStructureMessage(), "demo", {}, &set, &diags);
  if (!s.ok()) ADD_FAILURE() << s.ToString();
  return set;
}

namespace {
std::string Demo(const sdmx::DemoDataOptions& o) {
  std::string out;
  Status s = sdmx::WriteDemoData(o, [&](std::string_view c) { out.append(c); });
  if (!s.ok()) ADD_FAILURE() << s.ToString();
  return out;
}
}  // namespace

std::string DemoInitial() { return Demo({sdmx::DemoDataOptions::File::kInitial}); }
std::string DemoRevision() { return Demo({sdmx::DemoDataOptions::File::kRevision}); }
std::string DemoNational() { return Demo({sdmx::DemoDataOptions::File::kNational}); }

std::string DemoMessage(const std::vector<sdmx::Series>& series, std::optional<sdmx::Action> action,
                        sdmx::DataFormat format) {
  const sdmx::StructureSet set = DemoStructures();
  const sdmx::Dataflow* flow = set.FindDataflowById(sdmx::kDemoDataflowId);
  sdmx::WriteContext wc;
  wc.dsd = set.FindDataStructure(flow->structure);
  wc.dataflow = flow->ref;
  wc.action = action;
  std::string body;
  auto w = sdmx::NewDataWriter(format, wc, [&](std::string_view c) { body.append(c); });
  for (const sdmx::Series& s : series) w->WriteSeries(s);
  w->Finish();
  return body;
}

std::string LargeDemoMessage(uint64_t observations, sdmx::DataFormat format) {
  sdmx::DemoDataOptions o;
  o.file = sdmx::DemoDataOptions::File::kLarge;
  o.observations = observations;
  o.large_format = format;
  return Demo(o);
}

std::string OneObservation(const std::string& area, int value) {
  sdmx::Series s;
  s.key = sdmx::SplitKey("A.G.SH_STA_MORT." + area + "._T._T._T");
  s.attributes = {{"UNIT_MEASURE", "PER_100000_LIVE_BIRTHS"}};
  s.observations.push_back({"2020", std::to_string(value), {{"OBS_STATUS", "A"}}, 0});
  return DemoMessage({s});
}

std::map<std::string, std::string> ObservationValues(const std::string& body, const sdmx::StructureSet& structures) {
  std::map<std::string, std::string> out;
  sdmx::Diagnostics diags;
  auto reader = sdmx::DataReader::Open(body, "message", structures, {}, &diags);
  if (!reader.ok()) {
    ADD_FAILURE() << reader.status().ToString();
    return out;
  }
  for (auto& r = *reader; r->Valid(); r->Next()) {
    for (const auto& o : r->series().observations) out[r->series().KeyString() + "|" + o.period] = o.value;
  }
  if (!reader.value()->status().ok()) ADD_FAILURE() << reader.value()->status().ToString();
  return out;
}

}  // namespace hub::testing

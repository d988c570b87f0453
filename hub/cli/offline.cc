// Offline subcommands: check, demo-feed, digest.
#include <spdlog/spdlog.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "hub/cli/commands.h"
#include "sdmx/check.h"
#include "sdmx/data_reader.h"
#include "sdmx/demo_feed.h"
#include "sdmx/mapped_file.h"
#include "sdmx/structure_reader.h"
#include "sdmx/xml.h"
#include "storage/events.pb.h"
#include "storage/structure_registry.h"

namespace hub::cli {

namespace {

// `--structures PATH... FILE...` cannot be split by position alone, so every
// path is classified by its root element: Structure messages and
// directories are structures, everything else is data.
void ClassifyPaths(const std::vector<std::string>& a, const std::vector<std::string>& b,
                   std::vector<std::string>* structure_paths, std::vector<std::string>* files) {
  for (const auto* args : {&a, &b}) {
    for (const std::string& p : *args) {
      std::error_code ec;
      if (std::filesystem::is_directory(p, ec)) {
        structure_paths->push_back(p);
        continue;
      }
      std::ifstream in(p, std::ios::binary);
      std::string head(4096, '\0');
      in.read(head.data(), static_cast<std::streamsize>(head.size()));
      head.resize(static_cast<size_t>(in.gcount()));
      (sdmx::RootElementName(head) == "Structure" ? structure_paths : files)->push_back(p);
    }
  }
}

// Loads every structure path; prints diagnostics and returns false on error.
bool LoadAll(const std::vector<std::string>& paths, size_t max_diagnostics, sdmx::StructureSet* structures) {
  sdmx::Diagnostics diags(max_diagnostics);
  for (const std::string& p : paths) {
    if (Status s = sdmx::LoadStructures(p, {}, structures, &diags); !s.ok()) {
      std::cout << diags.ToString();
      if (diags.empty()) std::cerr << s.ToString() << "\n";
      return false;
    }
  }
  return true;
}

}  // namespace

int Check(const std::vector<std::string>& structure_args, const std::vector<std::string>& file_args,
          size_t max_diagnostics, bool any_version) {
  sdmx::DataReaderOptions reader_options;
  reader_options.any_version = any_version;
  std::vector<std::string> structure_paths, files;
  ClassifyPaths(structure_args, file_args, &structure_paths, &files);
  sdmx::StructureSet structures;
  if (!LoadAll(structure_paths, max_diagnostics, &structures)) return 1;
  int exit_code = 0;
  for (const std::string& f : files) {
    sdmx::Diagnostics diags(max_diagnostics);
    auto body = sdmx::MappedFile::Open(f);
    if (!body.ok()) {
      std::cout << f << ":0: file: readable: " << body.status().message() << "\n";
      exit_code = 1;
      continue;
    }
    sdmx::CheckCounts counts;
    bool noted = false;
    (void)sdmx::CheckMessage(body->data(), f, structures, reader_options, &diags, &counts,
                             [&](const sdmx::DataReader& r) {
                               body->Release(r.consumed());
                               if (!noted) {
                                 for (const std::string& n : r.header().notes) std::cerr << n << "\n";
                                 noted = true;
                               }
                             });
    std::cout << diags.ToString();
    if (!diags.empty()) exit_code = 1;
    std::cerr << f << ": " << (diags.empty() ? "valid" : std::to_string(diags.count()) + " problems") << " ("
              << counts.series << " series, " << counts.observations << " observations)\n";
  }
  return exit_code;
}

int Convert(const std::vector<std::string>& structure_args, const std::vector<std::string>& file_args,
            const std::string& to) {
  auto format = sdmx::ParseFormatName(to);
  if (!format) {
    std::cerr << "unknown --to " << to << " (generic21, ss21, ss30, csv10, csv20, json10, json20)\n";
    return 2;
  }
  std::vector<std::string> structure_paths, files;
  ClassifyPaths(structure_args, file_args, &structure_paths, &files);
  if (files.size() != 1) {
    std::cerr << "convert takes exactly one data file (got " << files.size() << ")\n";
    return 2;
  }
  sdmx::StructureSet structures;
  if (!LoadAll(structure_paths, 1000, &structures)) return 1;
  auto body = sdmx::MappedFile::Open(files[0]);
  if (!body.ok()) {
    std::cerr << body.status().ToString() << "\n";
    return 1;
  }
  sdmx::Diagnostics diags;
  auto reader = sdmx::DataReader::Open(body->data(), files[0], structures, {}, &diags);
  if (!reader.ok()) {
    std::cerr << diags.ToString();
    return 1;
  }
  std::unique_ptr<sdmx::DataWriter> writer;
  for (auto& r = *reader; r->Valid(); r->Next()) {
    if (!writer) {
      // One dataset per output message; the first dataset's structure and action.
      sdmx::WriteContext ctx;
      ctx.dsd = &r->structure();
      ctx.dataflow = r->dataset().dataflow;
      if (r->dataset().action_given) ctx.action = r->dataset().action;
      if (!r->header().id.empty()) ctx.message_id = r->header().id;
      if (!r->header().sender.empty()) ctx.sender = r->header().sender;
      writer = sdmx::NewDataWriter(*format, ctx, [](std::string_view chunk) {
        std::cout.write(chunk.data(), static_cast<std::streamsize>(chunk.size()));
      });
    }
    writer->WriteSeries(r->series());
    body->Release(r->consumed());
  }
  if (!reader.value()->status().ok()) {
    std::cerr << diags.ToString();
    return 1;
  }
  if (!writer) {
    std::cerr << files[0] << ": no series to convert\n";
    return 1;
  }
  writer->Finish();
  std::cout.flush();
  return 0;
}

int DemoFeed(const DemoFeedOptions& opts) {
  const std::string& out_dir = opts.out_dir;
  const uint64_t large_observations = opts.large_observations;
  const std::string& format = opts.format;
  if (opts.structure_only) {
    std::cout << sdmx::DemoStructureMessage();
    return 0;
  }
  auto write = [](const std::string& path, const sdmx::DemoDataOptions& o) -> Status {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out) return Status::IoError("cannot write " + path);
    HUB_RETURN_IF_ERROR(sdmx::WriteDemoData(o, [&](std::string_view chunk) {
      out.write(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    }));
    out.close();
    if (!out) return Status::IoError("write failed: " + path);
    std::cerr << "wrote " << path << "\n";
    return Status::Ok();
  };
  std::error_code ec;
  std::filesystem::create_directories(out_dir, ec);
  Status s;
  if (large_observations > 0) {
    sdmx::DemoDataOptions o;
    o.file = sdmx::DemoDataOptions::File::kLarge;
    o.observations = large_observations;
    auto f = sdmx::ParseFormatName(format);
    if (!f) {
      std::cerr << "unknown --format " << format << " (generic21, ss21, csv10, json20)\n";
      return 2;
    }
    o.large_format = *f;
    // Named for what it holds: clients and the folder drop go by the extension.
    const char* ext = format.rfind("csv", 0) == 0 ? ".csv" : format.rfind("json", 0) == 0 ? ".json" : ".xml";
    s = write(out_dir + "/large_" + std::to_string(large_observations) + "_" + format + ext, o);
  } else {
    sdmx::DemoDataOptions first, second;
    first.file = sdmx::DemoDataOptions::File::kInitial;
    if (std::sscanf(opts.years.c_str(), "%d-%d", &first.first_year, &first.last_year) != 2 ||
        first.first_year > first.last_year || first.first_year < 1900 || first.last_year > 2100) {
      std::cerr << "--years " << opts.years << ": expected FIRST-LAST, e.g. 2000-2024\n";
      return 2;
    }
    second.file = sdmx::DemoDataOptions::File::kRevision;
    second.prepared = "2026-03-02T10:30:00Z";
    sdmx::DemoDataOptions third = first;
    third.file = sdmx::DemoDataOptions::File::kNational;
    third.prepared = "2026-04-20T08:00:00Z";
    s = write(out_dir + "/01_unsd_initial.xml", first);
    if (s.ok()) s = write(out_dir + "/02_who_revision.xml", second);
    if (s.ok()) s = write(out_dir + "/03_national.xml", third);
  }
  if (!s.ok()) {
    std::cerr << s.ToString() << "\n";
    return 1;
  }
  return 0;
}

Result<std::unique_ptr<storage::VersionedState>> OpenStateReadOnly(const std::string& data_dir) {
  storage::StateOptions o;
  o.path = data_dir + "/state";
  o.read_only = true;
  return storage::VersionedState::Open(o);
}

int Digest(const std::string& data_dir, const std::string& dataflow) {
  std::string flow;  // AGENCY:ID(VERSION), as the state keys it
  sdmx::ArtefactRef ref;
  if (!dataflow.empty()) {
    const size_t a = dataflow.find(','), b = a == std::string::npos ? a : dataflow.find(',', a + 1);
    if (b == std::string::npos || dataflow.find(',', b + 1) != std::string::npos) {
      std::cerr << "--dataflow '" << dataflow << "' is not AGENCY,ID,VERSION\n";
      return 2;
    }
    ref = {dataflow.substr(0, a), dataflow.substr(a + 1, b - a - 1), dataflow.substr(b + 1)};
    flow = ref.ToString();
  }
  auto state = OpenStateReadOnly(data_dir);
  if (!state.ok()) {
    std::cerr << state.status().ToString() << "\n";
    return 1;
  }
  if (!flow.empty()) {
    // A dataflow this hub does not know has no digest (not that of no data).
    storage::StructureRegistry registry;
    auto messages = (*state)->StructureMessages();
    for (size_t i = 0; messages.ok() && i < messages->size(); ++i) {
      sdmxhub::events::v1::StructureEvent se;
      if (se.ParseFromString((*messages)[i])) (void)registry.Apply(se.message(), "stored structures");
    }
    if (!registry.Snapshot()->FindDataflow(ref)) {
      std::cerr << "no dataflow " << flow << " in the structures of " << data_dir << "\n";
      return 1;
    }
  }
  auto digest = flow.empty() ? (*state)->Digest() : (*state)->DataDigest(flow);
  if (!digest.ok()) {
    std::cerr << digest.status().ToString() << "\n";
    return 1;
  }
  std::cout << *digest << "\n";
  return 0;
}

}  // namespace hub::cli

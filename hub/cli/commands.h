// The sdmx-hub subcommands (design.md §2). Each returns the process exit code.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "hub/hub.h"

namespace hub::cli {

int Serve(const HubOptions& options);
int KafkaDev(int brokers, int data_partitions, const std::string& topic_prefix);
int Check(const std::vector<std::string>& structures, const std::vector<std::string>& files, size_t max_diagnostics,
          bool any_version = false);
int Convert(const std::vector<std::string>& structures, const std::vector<std::string>& files, const std::string& to);
struct DemoFeedOptions {
  std::string out_dir = "demo";
  bool structure_only = false;       // --structure: print the structure message
  uint64_t large_observations = 0;   // --large N
  std::string format = "ss21";       // --format of --large
  std::string years = "2015-2021";   // --years FIRST-LAST of the initial file
};
int DemoFeed(const DemoFeedOptions& o);
// The state digest, or with `dataflow` (AGENCY,ID,VERSION) its DataDigest.
int Digest(const std::string& data_dir, const std::string& dataflow = "");
// Checks the audit trail: 0 when it holds, 1 naming the first broken link.
int Verify(const std::string& data_dir);
int Replay(const std::string& data_dir, const std::string& kafka, const std::string& into,
           const std::string& config_path);
struct SubmitOptions {
  std::string url, token;
  std::string id_prefix;       // submission id = prefix + file stem
  bool wait = false;           // until committed or rejected
  std::string action;          // ?action= override ("" = the message's own)
  bool skip_invalid_series = false;  // ?invalid=skip
  bool snapshot = false;             // ?mode=snapshot
  std::string ca_file;               // https: trust these CAs (PEM) instead of the system's
  std::string progress = "auto";     // progress bar: auto (when stdout is a terminal) | always | never
};
int Submit(const SubmitOptions& options, const std::vector<std::string>& files);

// The state of a hub's data dir, opened read-only (beside a running hub too).
Result<std::unique_ptr<storage::VersionedState>> OpenStateReadOnly(const std::string& data_dir);

// Blocks SIGINT and SIGTERM in this and every thread started later, so that
// WaitForShutdownSignal() receives them. Call first thing in main().
void BlockShutdownSignals();
int WaitForShutdownSignal();

}  // namespace hub::cli

// build/bin/sdmx-hub serve, run as a child process: for tests that need a
// real process (its own limits, its own stderr), not an in-process Hub.
#pragma once

#include <sys/types.h>

#include <string>

#include "testing/test_util.h"

namespace hub::testing {

class HubProcess {
 public:
  // Starts `sdmx-hub serve --data-dir <dir>/data --listen 127.0.0.1:0
  // --config <config>` with stdout and stderr in files of `dir`, and waits
  // (up to 60 s) for its "listening on" line. A gtest failure if it does
  // not come; ok() then is false.
  HubProcess(const TempDir& dir, const std::string& config);
  ~HubProcess();  // SIGTERM, then waits for it
  HubProcess(const HubProcess&) = delete;
  HubProcess& operator=(const HubProcess&) = delete;

  bool ok() const { return !url_.empty(); }
  pid_t pid() const { return pid_; }
  const std::string& url() const { return url_; }
  uint16_t port() const;
  // What it wrote to stderr (its log) so far.
  std::string Log() const;
  // Open file descriptors, and CPU time used (user + system, seconds), now.
  size_t OpenFiles() const;
  double CpuSeconds() const;

 private:
  pid_t pid_ = -1;
  std::string out_path_, err_path_, url_;
};

}  // namespace hub::testing

#include "testing/hub_process.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace hub::testing {

HubProcess::HubProcess(const TempDir& dir, const std::string& config)
    : out_path_(dir.Sub("hub.out")), err_path_(dir.Sub("hub.err")) {
  const std::string data = dir.Sub("data");
  WriteFileOrDie(out_path_, "");  // there before the child writes: the wait below reads it
  pid_ = ::fork();
  if (pid_ == 0) {
    const int out = ::open(out_path_.c_str(), O_WRONLY | O_TRUNC);
    const int err = ::open(err_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(out, STDOUT_FILENO);
    ::dup2(err, STDERR_FILENO);
    ::execl(HUB_BINARY, HUB_BINARY, "serve", "--data-dir", data.c_str(), "--listen", "127.0.0.1:0", "--config",
            config.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  if (pid_ < 0) {
    ADD_FAILURE() << "fork failed";
    return;
  }
  const std::string kLine = "listening on ";
  for (auto end = std::chrono::steady_clock::now() + std::chrono::seconds(60); std::chrono::steady_clock::now() < end;) {
    const std::string out = ReadFileOrDie(out_path_);
    const size_t at = out.find(kLine), eol = out.find('\n', at);
    if (at != std::string::npos && eol != std::string::npos) {
      url_ = out.substr(at + kLine.size(), eol - at - kLine.size());
      return;
    }
    if (::waitpid(pid_, nullptr, WNOHANG) == pid_) {
      pid_ = -1;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ADD_FAILURE() << "sdmx-hub serve did not start:\n" << Log();
}

HubProcess::~HubProcess() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGTERM);
  ::waitpid(pid_, nullptr, 0);
}

uint16_t HubProcess::port() const { return static_cast<uint16_t>(std::stoi(url_.substr(url_.rfind(':') + 1))); }

std::string HubProcess::Log() const {
  std::ifstream in(err_path_, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

size_t HubProcess::OpenFiles() const {
  size_t n = 0;
  std::error_code ec;
  for (std::filesystem::directory_iterator it("/proc/" + std::to_string(pid_) + "/fd", ec), end; !ec && it != end;
       it.increment(ec)) {
    ++n;
  }
  return n;
}

double HubProcess::CpuSeconds() const {
  std::ifstream in("/proc/" + std::to_string(pid_) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // Fields after the command name (which may hold spaces, in parentheses):
  // state is field 3; utime and stime are fields 14 and 15.
  std::istringstream rest(stat.substr(stat.rfind(')') + 2));
  std::string field;
  unsigned long long utime = 0, stime = 0;
  for (int i = 3; i <= 15 && rest >> field; ++i) {
    if (i == 14) utime = std::stoull(field);
    if (i == 15) stime = std::stoull(field);
  }
  return static_cast<double>(utime + stime) / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

}  // namespace hub::testing

// sdmx-hub: the SDMX Hub executable. Subcommands and flags: design.md §2.
#include <CLI/CLI.hpp>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdlib>

#include "hub/allocator.h"
#include "hub/cli/commands.h"
#include "hub/log_format.h"

int main(int argc, char** argv) {
  hub::TuneAllocator();
  hub::cli::BlockShutdownSignals();
  CLI::App app{"SDMX Hub: an event-sourced data-exchange hub for official statistics"};
  app.require_subcommand(1);

  hub::HubOptions serve;
  std::string log_format = "text";
  auto* serve_cmd = app.add_subcommand("serve", "Run the hub (embedded event log unless --kafka is given)");
  serve_cmd->add_option("--data-dir", serve.data_dir, "State (and embedded log) directory")->required();
  serve_cmd->add_option("--listen", serve.listen, "HOST:PORT to listen on (port 0 = any)")->capture_default_str();
  serve_cmd->add_option("--config", serve.config_path, "configs/hub.toml");
  serve_cmd->add_option("--kafka", serve.kafka_bootstrap, "Kafka bootstrap servers; absent = embedded log");
  serve_cmd->add_option("--admin-token", serve.admin_token, "Admin token (or env HUB_ADMIN_TOKEN)")->envname("HUB_ADMIN_TOKEN");
  serve_cmd->add_option("--log-format", log_format, "text, or json (one object per line, with a submission field)")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  auto* tls_cert = serve_cmd->add_option("--tls-cert", serve.tls_cert, "PEM certificate chain: serve HTTPS");
  auto* tls_key = serve_cmd->add_option("--tls-key", serve.tls_key, "PEM private key of --tls-cert");
  tls_cert->needs(tls_key);
  tls_key->needs(tls_cert);
  serve_cmd->add_option("--folder-drop", serve.folder_drop,
                        "Folder-drop root: files in DIR/<PROVIDER>/ are submitted (overrides [folder_drop] dir)");
  serve_cmd->add_flag("--insecure-http", serve.insecure_http,
                      "Allow plain HTTP on a non-loopback address (bearer tokens then cross the network in clear)");

  int brokers = 1, partitions = 4;
  std::string prefix;
  auto* kafka_cmd = app.add_subcommand("kafka-dev", "Run a local Kafka protocol peer (librdkafka mock cluster)");
  kafka_cmd->add_option("--brokers", brokers, "Number of mock brokers")->capture_default_str();
  kafka_cmd->add_option("--partitions", partitions, "Partitions of the data topic")->capture_default_str();
  kafka_cmd->add_option("--topic-prefix", prefix, "Topic name prefix");

  std::vector<std::string> structures, files;
  size_t max_diags = 1000;
  auto* check_cmd = app.add_subcommand("check", "Validate data files offline against structures");
  check_cmd->add_option("--structures", structures, "Structure files or directories")->required()->expected(1, -1);
  check_cmd->add_option("--max-diagnostics", max_diags, "Diagnostics kept per file")->capture_default_str();
  check_cmd->add_option("files", files, "Data files");
  bool any_version = false;
  check_cmd->add_flag("--any-version", any_version,
                      "Read a file citing a DSD version not given against the latest version given (noted on stderr)");

  std::vector<std::string> convert_structures, convert_files;
  std::string to;
  auto* convert_cmd = app.add_subcommand("convert", "Convert a data file to another SDMX format (to stdout)");
  convert_cmd->add_option("--structures", convert_structures, "Structure files or directories")->required()->expected(1, -1);
  convert_cmd->add_option("--to", to, "generic21, ss21, ss30, csv10, csv20, json10, json20")->required();
  convert_cmd->add_option("files", convert_files, "The data file");

  hub::cli::DemoFeedOptions demo;
  auto* demo_cmd = app.add_subcommand("demo-feed", "Generate the demo structures and data files");
  demo_cmd->add_option("--out", demo.out_dir, "Output directory for data files")->capture_default_str();
  demo_cmd->add_flag("--structure", demo.structure_only, "Print the demo structure message to stdout");
  demo_cmd->add_option("--large", demo.large_observations, "Write one file of about this many observations (benchmarks)");
  demo_cmd->add_option("--format", demo.format, "Format of --large output (generic21, ss21, csv10, json20)")->capture_default_str();
  demo_cmd->add_option("--years", demo.years, "Years of the initial file, FIRST-LAST")->capture_default_str();

  std::string data_dir, digest_flow;
  auto* digest_cmd = app.add_subcommand("digest", "Print the state digest of a data dir");
  digest_cmd->add_option("--data-dir", data_dir, "The hub's data directory")->required();
  digest_cmd->add_option("--dataflow", digest_flow,
                         "AGENCY,ID,VERSION: print instead the digest of that dataflow's data alone, without "
                         "provenance (equal on two hubs holding the same data)");

  std::string verify_dir;
  auto* verify_cmd = app.add_subcommand(
      "verify", "Check the audit trail of a data dir (every commit's link, from the stored revisions); exit 1 naming "
                "the first broken link");
  verify_cmd->add_option("--data-dir", verify_dir, "The hub's data directory")->required();

  std::string replay_dir, replay_kafka, replay_into, replay_config;
  auto* replay_cmd = app.add_subcommand("replay", "Rebuild the state from the event log into a new dir; print its digest");
  replay_cmd->add_option("--data-dir", replay_dir, "The hub's data directory (its embedded log)")->required();
  replay_cmd->add_option("--kafka", replay_kafka, "Kafka bootstrap servers; absent = the embedded log");
  replay_cmd->add_option("--into", replay_into, "Fresh directory for the rebuilt state")->required();
  replay_cmd->add_option("--config", replay_config, "configs/hub.toml (for the topic prefix)");

  hub::cli::SubmitOptions submit;
  std::vector<std::string> submit_files;
  auto* submit_cmd = app.add_subcommand("submit", "Push data or structure files to a hub as a provider");
  submit_cmd->add_option("--to", submit.url, "Hub URL, e.g. http://127.0.0.1:8080")->required();
  submit_cmd->add_option("--token", submit.token, "Provider bearer token")->required();
  submit_cmd->add_option("--id-prefix", submit.id_prefix, "Submission id = prefix + file stem (idempotent resubmits)");
  submit_cmd->add_flag("--wait", submit.wait, "Wait until each submission is committed or rejected");
  submit_cmd->add_option("--action", submit.action,
                         "Apply every dataset with this action (Replace, Merge, ...) whatever the message says; "
                         "for platforms that publish as Information");
  submit_cmd->add_flag("--skip-invalid-series", submit.skip_invalid_series,
                       "Commit the valid series and list the invalid ones in the ledger (default: reject all)");
  submit_cmd->add_flag("--snapshot", submit.snapshot,
                       "Each file is the provider's complete dataset of its dataflow: what it sent before and the "
                       "file leaves out is deleted");
  submit_cmd->add_option("--ca-cert", submit.ca_file,
                         "https: PEM file of the CA certificates to trust (e.g. the hub's self-signed certificate)");
  submit_cmd->add_option("--progress", submit.progress,
                         "Progress bar while a file is sent and validated: auto (when stdout is a terminal), "
                         "always, never")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->capture_default_str();
  submit_cmd->add_option("files", submit_files, "Files to submit")->required();

  CLI11_PARSE(app, argc, argv);
  // Logs go to stderr: stdout carries results (bootstrap string, digest, check output).
  spdlog::set_default_logger(spdlog::stderr_color_mt("sdmx-hub"));
  if (auto s = hub::SetLogFormat(log_format); !s.ok()) {
    spdlog::error("{}", s.message());
    return 2;
  }
  if (*serve_cmd) return hub::cli::Serve(serve);
  if (*kafka_cmd) return hub::cli::KafkaDev(brokers, partitions, prefix);
  if (*check_cmd) return hub::cli::Check(structures, files, max_diags, any_version);
  if (*convert_cmd) return hub::cli::Convert(convert_structures, convert_files, to);
  if (*demo_cmd) return hub::cli::DemoFeed(demo);
  if (*digest_cmd) return hub::cli::Digest(data_dir, digest_flow);
  if (*verify_cmd) return hub::cli::Verify(verify_dir);
  if (*replay_cmd) return hub::cli::Replay(replay_dir, replay_kafka, replay_into, replay_config);
  if (*submit_cmd) return hub::cli::Submit(submit, submit_files);
  return 2;
}

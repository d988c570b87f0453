// `sdmx-hub verify --data-dir DIR`: checks the audit trail (storage/
// audit_chain.h) of a data dir, read-only (beside a running hub too): every
// link recomputed from the stored revisions, commits and ledger, and chained
// to the one before. Prints the head it reached and exits 0, or names the
// first broken link and exits 1.
#include <iostream>

#include "hub/cli/commands.h"
#include "storage/audit_chain.h"

namespace hub::cli {

int Verify(const std::string& data_dir) {
  auto state = OpenStateReadOnly(data_dir);
  if (!state.ok()) {
    std::cerr << state.status().ToString() << "\n";
    return 2;
  }
  auto verdict = storage::VerifyChain(**state);
  if (!verdict.ok()) {
    std::cerr << "verify: " << verdict.status().ToString() << "\n";
    return 2;
  }
  if (verdict->broken) {
    auto commit = (*state)->Commit(*verdict->broken);
    std::cout << "broken at commit " << *verdict->broken;
    if (commit.ok() && *commit) std::cout << " (submission " << (*commit)->submission_id() << ")";
    std::cout << ": " << verdict->reason << "\n"
              << "last good link: commit " << verdict->head_seq << " " << verdict->head << "\n";
    return 1;
  }
  std::cout << "chain holds: " << verdict->links << " links, head commit " << verdict->head_seq << " "
            << verdict->head << "\n";
  if (verdict->unlinked) std::cout << verdict->unlinked << " later commit(s) not linked yet\n";
  return 0;
}

}  // namespace hub::cli

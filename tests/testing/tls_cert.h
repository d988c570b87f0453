// A self-signed certificate for HTTPS tests, made with OpenSSL's API (no
// `openssl` binary needed): P-256 key, valid for a day, for the names given.
#pragma once

#include <string>

#include "testing/test_util.h"

namespace hub::testing {

struct TlsFiles {
  std::string cert, key;  // PEM files in the TempDir
};

// Writes `name`.crt and `name`.key into `dir`. The certificate carries
// subjectAltName DNS:localhost and IP:127.0.0.1 and is its own CA, so a
// client told to trust it (FetchOptions.ca_file) verifies the server.
TlsFiles WriteSelfSignedCertificate(const TempDir& dir, const std::string& name = "hub");

}  // namespace hub::testing

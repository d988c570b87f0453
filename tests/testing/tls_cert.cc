#include "testing/tls_cert.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <memory>
#include <stdexcept>

namespace hub::testing {
namespace {

void Check(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(std::string("self-signed certificate: ") + what);
}

void AddExtension(X509* cert, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  std::unique_ptr<X509_EXTENSION, decltype(&X509_EXTENSION_free)> ext(
      X509V3_EXT_conf_nid(nullptr, &ctx, nid, value), X509_EXTENSION_free);
  Check(ext != nullptr && X509_add_ext(cert, ext.get(), -1) == 1, value);
}

}  // namespace

TlsFiles WriteSelfSignedCertificate(const TempDir& dir, const std::string& name) {
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(EVP_EC_gen("P-256"), EVP_PKEY_free);
  Check(key != nullptr, "key generation");
  std::unique_ptr<X509, decltype(&X509_free)> cert(X509_new(), X509_free);
  Check(X509_set_version(cert.get(), 2) == 1, "version");
  Check(ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 1) == 1, "serial");
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -60);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 24 * 3600);
  Check(X509_set_pubkey(cert.get(), key.get()) == 1, "public key");
  X509_NAME* subject = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("localhost"), -1,
                             -1, 0);
  Check(X509_set_issuer_name(cert.get(), subject) == 1, "issuer");
  AddExtension(cert.get(), NID_basic_constraints, "critical,CA:TRUE");
  AddExtension(cert.get(), NID_key_usage, "critical,digitalSignature,keyCertSign");
  AddExtension(cert.get(), NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1");
  Check(X509_sign(cert.get(), key.get(), EVP_sha256()) > 0, "signature");

  TlsFiles files{dir.Sub(name + ".crt"), dir.Sub(name + ".key")};
  std::unique_ptr<FILE, decltype(&fclose)> c(fopen(files.cert.c_str(), "w"), fclose);
  Check(c && PEM_write_X509(c.get(), cert.get()) == 1, "write certificate");
  std::unique_ptr<FILE, decltype(&fclose)> k(fopen(files.key.c_str(), "w"), fclose);
  Check(k && PEM_write_PrivateKey(k.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) == 1, "write key");
  return files;
}

}  // namespace hub::testing

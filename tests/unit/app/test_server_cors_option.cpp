// `folio serve --cors-origin`: browsers send an Origin as scheme://host[:port] in lowercase, without a path,
// and the server compares it byte for byte. A value no browser can send ("*", a trailing slash, a path,
// capitals, no scheme) used to start a server that refused every cross-origin request with 403; it is a
// usage error naming the option and the spelling to use.
#include <gtest/gtest.h>

#include "app/server/http_guard.h"
#include "support/run_process.h"

namespace folio::test {
namespace {

using folio::app::server::corsOriginProblem;

TEST(ServeCorsOrigin, OriginsBrowsersSendAreAccepted) {
  for (const char* ok : {"http://localhost:3000", "https://app.example", "http://127.0.0.1:5173",
                         "vscode-webview://1abc2def", "http://[::1]:8080", "tauri://localhost"})
    EXPECT_EQ(corsOriginProblem(ok), "") << ok;
}

TEST(ServeCorsOrigin, ValuesNoBrowserSendsAreNamed) {
  EXPECT_NE(corsOriginProblem("*").find("name the one origin"), std::string::npos);
  EXPECT_NE(corsOriginProblem("http://a.example/").find("use 'http://a.example'"), std::string::npos);
  EXPECT_NE(corsOriginProblem("http://a.example/app").find("use 'http://a.example'"), std::string::npos);
  EXPECT_NE(corsOriginProblem("HTTP://A.example").find("use 'http://a.example'"), std::string::npos);
  EXPECT_NE(corsOriginProblem("a.example").find("scheme://host"), std::string::npos);
  EXPECT_NE(corsOriginProblem("http://").find("scheme://host"), std::string::npos);
  EXPECT_NE(corsOriginProblem("null").find("scheme://host"), std::string::npos);
}

TEST(ServeCorsOrigin, ABadValueStopsTheServerBeforeItListens) {
  const auto r = runProcess({FOLIO_BINARY, "serve", "--port", "0", "--cors-origin", "http://a.example/"});
  EXPECT_EQ(r.exit_code, 64) << r.err;
  EXPECT_NE(r.err.find("--cors-origin: 'http://a.example/' is not an origin"), std::string::npos) << r.err;
  EXPECT_EQ(r.out.find("listening"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace folio::test

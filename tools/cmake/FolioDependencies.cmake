# Every dependency comes from a Debian 12 package; none is vendored.
find_package(Threads REQUIRED)
find_package(PkgConfig REQUIRED)

find_package(Qt6 6.4 REQUIRED COMPONENTS Core Gui Widgets Concurrent PrintSupport Test)
find_package(SQLite3 REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(CLI11 2.1 REQUIRED)
pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)  # compiled libcpp-httplib
find_package(GTest REQUIRED)

pkg_check_modules(POPPLER_CPP REQUIRED IMPORTED_TARGET poppler-cpp)
pkg_check_modules(POPPLER_QT6 REQUIRED IMPORTED_TARGET poppler-qt6)
# PDF comments and form fields: poppler-cpp has no annotation API, so ingest/pdf_markup_reader.cpp uses
# poppler's core classes (libpoppler-private-dev), which must be those of the libpoppler poppler-cpp wraps.
pkg_check_modules(POPPLER_CORE REQUIRED IMPORTED_TARGET poppler)
find_path(FOLIO_POPPLER_PRIVATE_HEADERS PDFDoc.h PATHS ${POPPLER_CORE_INCLUDE_DIRS} NO_DEFAULT_PATH)
if(NOT FOLIO_POPPLER_PRIVATE_HEADERS)
  message(FATAL_ERROR "poppler's core headers (PDFDoc.h) are missing: install libpoppler-private-dev")
endif()
if(NOT POPPLER_CORE_VERSION VERSION_EQUAL POPPLER_CPP_VERSION)
  message(FATAL_ERROR "poppler ${POPPLER_CORE_VERSION} and poppler-cpp ${POPPLER_CPP_VERSION} differ")
endif()
# PDF signatures' bytes are checked against their CMS (ingest/pdf_markup_signature.cpp).
find_package(OpenSSL 3 REQUIRED COMPONENTS Crypto)
pkg_check_modules(PCRE2 REQUIRED IMPORTED_TARGET libpcre2-8)
# Word (.docx) and OpenDocument (.odt) files are zip archives of XML.
pkg_check_modules(LIBZIP REQUIRED IMPORTED_TARGET libzip)
pkg_check_modules(EXPAT REQUIRED IMPORTED_TARGET expat)
# A PNG with transparency is flattened (image_pdf.cpp) before its page is read by OCR.
pkg_check_modules(ZLIB REQUIRED IMPORTED_TARGET zlib)
# Scanned PDF pages (no text layer) are read by OCR.
pkg_check_modules(TESSERACT REQUIRED IMPORTED_TARGET tesseract lept)

# FTS5 is compiled into Debian's libsqlite3; check it, since the library's search depends on it.
include(CheckCSourceRuns)
set(CMAKE_REQUIRED_LIBRARIES SQLite::SQLite3)
check_c_source_runs([[
#include <sqlite3.h>
int main(void) {
  sqlite3* db; if (sqlite3_open(":memory:", &db) != SQLITE_OK) return 1;
  int rc = sqlite3_exec(db, "CREATE VIRTUAL TABLE t USING fts5(x);", 0, 0, 0);
  sqlite3_close(db); return rc == SQLITE_OK ? 0 : 1;
}]] FOLIO_SQLITE_HAS_FTS5)
unset(CMAKE_REQUIRED_LIBRARIES)
if(NOT FOLIO_SQLITE_HAS_FTS5)
  message(FATAL_ERROR "SQLite was built without FTS5; Folio's full-text search needs it")
endif()

message(STATUS "Folio dependencies: Qt ${Qt6_VERSION}, SQLite ${SQLite3_VERSION} (FTS5), poppler-cpp ${POPPLER_CPP_VERSION}, "
               "poppler-qt6 ${POPPLER_QT6_VERSION}, PCRE2 ${PCRE2_VERSION}, libzip ${LIBZIP_VERSION}, expat ${EXPAT_VERSION}, "
               "tesseract ${TESSERACT_tesseract_VERSION}, nlohmann_json ${nlohmann_json_VERSION}, "
               "CLI11 ${CLI11_VERSION}, cpp-httplib ${HTTPLIB_VERSION}, GoogleTest ${GTest_VERSION}")

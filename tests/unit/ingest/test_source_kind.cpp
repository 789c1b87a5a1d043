#include <gtest/gtest.h>

#include "ingest/source_kind.h"

using folio::ingest::classifySource;
using folio::ingest::SourceKind;

TEST(SourceKind, ByExtension) {
  EXPECT_EQ(classifySource("a/b/contract.PDF").kind, SourceKind::Pdf);
  EXPECT_EQ(classifySource("notes.md").kind, SourceKind::Markdown);
  EXPECT_EQ(classifySource("page.htm").kind, SourceKind::Html);
  EXPECT_EQ(classifySource("x.txt").kind, SourceKind::PlainText);
  EXPECT_EQ(classifySource("main.cpp").language, "cpp");
  EXPECT_EQ(classifySource("lib.rs").language, "rust");
  EXPECT_EQ(classifySource("app.tsx").language, "typescript");
  EXPECT_EQ(classifySource("tool.py").language, "python");
  EXPECT_EQ(classifySource("src/CMakeLists.txt").language, "cmake");
  EXPECT_EQ(classifySource("image.png").kind, SourceKind::Unknown);
  EXPECT_EQ(classifySource("noext").kind, SourceKind::Unknown);
}

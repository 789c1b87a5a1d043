// Extractive summaries of source code quote what its comments say, not its statements: the comment
// prose of C, Python and Lua, markers stripped, license headers and trailing comments left out.
#include <gtest/gtest.h>

#include <string>

#include "app/pipeline/code_comments.h"
#include "app/pipeline/extractive_summarizer.h"
#include "app/pipeline/summary_tree.h"

namespace folio::app {
namespace {

TEST(CodeComments, CCommentsBecomeParagraphs) {
  const std::string src =
      "/*\n * Copyright (c) 2024 Example Ltd. Licensed under the BSD license.\n */\n"
      "#include <stdio.h>\n#define LIMIT 20  /* keys per loop */\n\n"
      "/* Try to expire a few timed out keys.\n * The algorithm is adaptive. */\n"
      "void activeExpireCycle(int type) {\n"
      "    // Sample keys from every database\n    // until the time limit is reached\n"
      "    int n = sample(db); // trailing note\n}\n";
  EXPECT_EQ(codeCommentText(src, "c"),
            "Try to expire a few timed out keys. The algorithm is adaptive.\n\n"
            "Sample keys from every database until the time limit is reached.");
}

TEST(CodeComments, PythonLuaAndUnknownLanguages) {
  const std::string py =
      "#!/usr/bin/env python3\n# Routes parcels between depots.\n\ndef route(graph):\n"
      "    \"\"\"Return the shortest route\n    through the graph.\"\"\"\n    return dijkstra(graph)  # cached\n";
  EXPECT_EQ(codeCommentText(py, "python"), "Routes parcels between depots.\n\nReturn the shortest route through the graph.");
  EXPECT_EQ(codeCommentText("-- Loads the save file.\nlocal f = io.open(p)\n", "lua"), "Loads the save file.");
  EXPECT_EQ(codeCommentText("// a comment\n", "cobol"), "");
  EXPECT_EQ(codeCommentText("int x = 1;\n", "c"), "");
}

TEST(CodeComments, ASectionOfCodeIsSummarizedFromItsComments) {
  const ingest::EstimatingTokenCounter tokens;
  ExtractiveSummarizer summarizer(tokens);
  SummaryRequest req;
  req.title = "src/expire.c › activeExpireCycle";
  req.path = "src/expire.c";
  req.texts = {"/* Try to expire a few timed out keys. It uses few CPU cycles when few keys expire. */\n"
               "void activeExpireCycle(int type) {\n    redisDb *db = server.db + (current_db % server.dbnum);\n"
               "    data.sampled = 0; data.expired = 0;\n}\n"};
  StageUsage usage;
  auto s = summarizer.summarize(req, usage, nullptr);
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_NE(s->find("Try to expire a few timed out keys."), std::string::npos) << *s;
  EXPECT_EQ(s->find("server.db"), std::string::npos) << *s;  // no statements
  // The same text in a Markdown document is summarized as before.
  req.path = "notes/expire.md";
  auto prose = summarizer.summarize(req, usage, nullptr);
  ASSERT_TRUE(prose);
  EXPECT_NE(*prose, *s);
}

}  // namespace
}  // namespace folio::app

// Citation quotes as a reader of `folio ask --json` or a report sees them: the sentence of a long
// passage that answers the question (not its first bytes), picked by the question's words, a clause
// number, or the model's sentence citing it; bounded and valid UTF-8; a passage's beginning when
// nothing matches, and a short passage whole.
#include <gtest/gtest.h>

#include <string>

#include "app/pipeline/answer.h"
#include "app/report/report_builder.h"
#include "app/report/report_render.h"

namespace folio::app {
namespace {

// About 2 KB: audit clauses, `middle` after the first kilobyte, then more of them.
std::string longPassage(const std::string& middle, const std::string& first = "") {
  std::string t = first.empty() ? "12.1 The Supplier shall keep complete and accurate records of the Services. " : first + " ";
  for (int i = 0; i < 9; ++i) t += "The Customer may inspect those records on reasonable prior request during business hours. ";
  t += middle + " ";
  for (int i = 0; i < 9; ++i) t += "Each party shall bear its own costs of an audit unless it reveals an overcharge of the fees. ";
  return t;
}

// An answer citing one passage as [1].
AnswerRecord answerCiting(const std::string& passage, const std::string& question, const std::string& model_text = "",
                          const std::string& path = "msa.txt") {
  AnswerRecord a;
  a.question = question;
  a.extractive = model_text.empty();
  a.model = a.extractive ? "extractive" : "fnv1a64:test";
  a.text = a.extractive ? std::string(kExtractiveLabel) + "\n\n[1] msa.txt:\n" + passage : model_text;
  Evidence e;
  e.n = 1;
  e.kind = "chunk";
  e.document_id = 3;
  e.chunk_id = 30;
  e.path = path;
  e.text = passage;
  a.evidence = {e};
  a.citations = {{1, e}};
  return a;
}

std::string jsonQuote(const AnswerRecord& a) { return answerJson(a)["citations"][0]["quote"].get<std::string>(); }
std::string reportQuote(const AnswerRecord& a) { return answerSection(a, {}).sources.at(0).quote; }

bool validUtf8(const std::string& s) {
  for (size_t i = 0; i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    const size_t n = b < 0x80 ? 1 : (b & 0xE0) == 0xC0 ? 2 : (b & 0xF0) == 0xE0 ? 3 : (b & 0xF8) == 0xF0 ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (size_t k = 1; k < n; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    i += n;
  }
  return true;
}

TEST(CitationQuote, ALongPassageIsQuotedAtTheSentenceThatAnswers) {
  const std::string answer = "The notice period for termination is ninety (90) days.";
  const auto a = answerCiting(longPassage(answer), "What is the notice period for termination?");
  const std::string json = jsonQuote(a), report = reportQuote(a);
  EXPECT_NE(json.find(answer), std::string::npos) << json;
  EXPECT_NE(report.find(answer), std::string::npos) << report;
  EXPECT_LE(json.size(), 400u);
  EXPECT_LE(report.size(), 600u);
  // Text before it was skipped, and the quote says so.
  EXPECT_EQ(json.rfind("…", 0), 0u) << json;
}

TEST(CitationQuote, AClauseNumberPicksItsSentence) {
  std::string passage = "14.1 Invoices are issued monthly in arrears. ";
  for (int i = 2; i <= 9; ++i)
    passage += "14." + std::to_string(i) + " The Customer shall pay each invoice in the currency stated in the applicable order form. ";
  passage += "14.10 Late payments bear interest at four percent a year above the base rate. ";
  passage = longPassage(passage);
  const auto a = answerCiting(passage, "What does clause 14.5 say?");
  const std::string quote = jsonQuote(a);
  EXPECT_NE(quote.find("14.5 The Customer shall pay"), std::string::npos) << quote;
}

TEST(CitationQuote, AModelAnswersCitingSentenceChoosesAmongEqualMatches) {
  const std::string convenience = "Termination for convenience requires ninety (90) days' written notice.";
  const std::string breach = "Termination for material breach takes effect immediately on written notice.";
  const std::string passage = longPassage(breach, convenience);
  const auto a = answerCiting(passage, "How does termination work?",
                              "The agreement ends at once on a material breach [1]. Other clauses apply otherwise.");
  for (const std::string& quote : {jsonQuote(a), reportQuote(a)}) {
    EXPECT_NE(quote.find(breach), std::string::npos) << quote;
    EXPECT_EQ(quote.find(convenience), std::string::npos) << quote;
  }
}

TEST(CitationQuote, QuotesStayBoundedAndValidUtf8) {
  // One "sentence" of 3 KB without a full stop (a table row, a list pasted from a PDF), the match near
  // its end, in text of two-, three- and four-byte characters.
  std::string row;
  for (int i = 0; i < 120; ++i) row += "Größe € 日本 𝄞 Zeile ";
  row += "Kündigungsfrist neunzig Tage ";
  for (int i = 0; i < 20; ++i) row += "Größe € 日本 𝄞 Zeile ";
  auto a = answerCiting(row, "Wie lang ist die Kündigungsfrist?");
  for (const std::string& quote : {jsonQuote(a), reportQuote(a)}) {
    EXPECT_TRUE(validUtf8(quote));
    EXPECT_NE(quote.find("Kündigungsfrist neunzig"), std::string::npos) << quote;
  }
  EXPECT_LE(jsonQuote(a).size(), 400u);
  EXPECT_LE(reportQuote(a).size(), 600u);
  // Sentences of multi-byte text: every cut lands on a character boundary.
  std::string prose;
  for (int i = 0; i < 60; ++i) prose += "Die Größe ändert sich 日本 " + std::to_string(i) + ". ";
  for (const auto* q : {"Größe 17", "日本", "ändert", "What is it?"}) {
    a = answerCiting(prose, q);
    EXPECT_TRUE(validUtf8(jsonQuote(a))) << q;
    EXPECT_TRUE(validUtf8(reportQuote(a))) << q;
    EXPECT_LE(jsonQuote(a).size(), 400u) << q;
  }
}

TEST(CitationQuote, NothingMatchingQuotesTheBeginningAndAShortPassageWhole) {
  const std::string passage = longPassage("The notice period is ninety (90) days.");
  // Its whole first sentences, marked as cut (the first 400 bytes end in the middle of a word).
  const std::string opening = "12.1 The Supplier shall keep complete and accurate records of the Services. The Customer may "
                              "inspect those records on reasonable prior request during business hours.";
  for (const auto* q : {"Are bananas yellow?", "What is it?", ""}) {
    const std::string quote = jsonQuote(answerCiting(passage, q));
    EXPECT_EQ(quote.rfind(opening, 0), 0u) << quote;
    const std::string end = "during business hours. …";  // a whole sentence, then the mark
    EXPECT_EQ(quote.substr(quote.size() - end.size()), end) << quote;
    EXPECT_LE(quote.size(), 400u);
  }
  const std::string clause = "7.2 Customer owns all rights in Customer Data.\nProvider owns all rights in the Services.";
  EXPECT_EQ(jsonQuote(answerCiting(clause, "Who owns the services?")), clause);
}

// About 2.5 KB of C: helper functions, then the one that answers, then more helpers.
std::string codePassage() {
  std::string t;
  for (int i = 0; i < 12; ++i)
    t += "static int helper" + std::to_string(i) + "(int x) {\n    return x * " + std::to_string(i) + ";\n}\n\n";
  t += "/* Remove the keys whose time to live has passed. */\nvoid activeExpireCycle(int type) {\n"
       "    while (sampled < 20) {\n        deleteExpiredKey(db, key);\n    }\n}\n\n";
  for (int i = 12; i < 30; ++i)
    t += "static int helper" + std::to_string(i) + "(int x) {\n    return x + " + std::to_string(i) + ";\n}\n\n";
  return t;
}

TEST(CitationQuote, CodeIsQuotedAsWholeLinesAroundTheMatch) {
  const std::string code = codePassage();
  const auto a = answerCiting(code, "How are expired keys removed?", "", "src/expire.c");
  for (const std::string& quote : {jsonQuote(a), reportQuote(a)}) {
    EXPECT_NE(quote.find("void activeExpireCycle(int type) {\n    while (sampled < 20) {\n        deleteExpiredKey"),
              std::string::npos)
        << quote;
    EXPECT_EQ(quote.rfind("…\n", 0), 0u) << quote;  // lines before were left out, on a line of their own
    // Every other line is a whole line of the passage, indentation kept.
    size_t at = 0;
    for (size_t end; (end = quote.find('\n', at)) != std::string::npos || at < quote.size(); at = end + 1) {
      if (end == std::string::npos) end = quote.size();
      const std::string line = quote.substr(at, end - at);
      if (line != "…") EXPECT_NE(code.find(line + "\n"), std::string::npos) << "[" << line << "]";
      if (end == quote.size()) break;
    }
  }
  EXPECT_LE(jsonQuote(a).size(), 400u);
  EXPECT_LE(reportQuote(a).size(), 600u);
  // The same text in a contract is prose: one line of sentences.
  EXPECT_EQ(jsonQuote(answerCiting(code, "How are expired keys removed?")).find("\n"), std::string::npos);
}

// A redline's list of tracked changes (ingest's "# Tracked changes") is quoted at the changes asked
// about, one a line: read as prose, its lines ran together into one sentence quoted from change 1.
TEST(CitationQuote, AListOfTrackedChangesIsQuotedAtTheChangesAskedAbout) {
  std::string list = "# Tracked changes\n\n";
  for (int i = 1; i <= 12; ++i)
    list += "[change " + std::to_string(i) + "] 1. Payment › 1." + std::to_string(i) +
            " — Jane Doe, 2024-03-06 09:15: deleted \"thirty (30)\", inserted \"sixty (60)\"\n\n";
  const std::string liability =
      "[change 13] 8. Limitation of Liability › 8.1 Liability Caps — Opposing Counsel, 2024-03-05 14:30: deleted "
      "\"twelve (12) months\", inserted \"six (6) months\"";
  list += liability + "\n\nand 3 formatting changes\n";
  const auto a = answerCiting(list, "What did opposing counsel change in the limitation of liability?", "", "redline.docx");
  const std::string quote = jsonQuote(a);
  EXPECT_NE(quote.find(liability), std::string::npos) << quote;
  EXPECT_EQ(quote.find("[change 1]"), std::string::npos) << quote;
  EXPECT_LE(quote.size(), 400u);
  // A clause that opens with a bracketed word, or a page with one signature line after its prose, is prose.
  Evidence e;
  e.kind = "chunk";
  e.path = "msa.docx";
  e.text = list;
  EXPECT_TRUE(quotesLines(e));
  e.text = "[Reserved] The Supplier shall pay.\nThe Customer shall accept.\nThe parties agree.";
  EXPECT_FALSE(quotesLines(e));
  e.text = "The Buyer shall pay.\nThe Seller shall deliver.\n[signature p.2, Buyer: not signed]\n[field p.2, Date: 1 May]";
  EXPECT_TRUE(quotesLines(e));  // half its lines are marked: a list
  e.text = "The Buyer shall pay.\nThe Seller shall deliver.\nThe parties agree.\n[signature p.2, Buyer: not signed]";
  EXPECT_FALSE(quotesLines(e));
}

TEST(CitationQuote, ALongLineOfDataIsCutAroundTheMatch) {
  std::string json = "{";
  for (int i = 0; i < 80; ++i) json += "\"key" + std::to_string(i) + "\": \"value\", ";
  json += "\"retention_days\": 90, ";
  for (int i = 80; i < 120; ++i) json += "\"key" + std::to_string(i) + "\": \"value\", ";
  json += "}\n";
  const auto quote = jsonQuote(answerCiting(json, "What is the retention in days?", "", "config/policy.json"));
  EXPECT_NE(quote.find("\"retention_days\": 90"), std::string::npos) << quote;
  EXPECT_LE(quote.size(), 400u);
}

TEST(CitationQuote, ReportsShowCodeQuotesAsPreformattedText) {
  const auto a = answerCiting(codePassage(), "How are expired keys removed?", "", "src/expire.c");
  Report r;
  r.title = "t";
  r.sections.push_back(answerSection(a, {}));
  ASSERT_TRUE(r.sections[0].sources.at(0).verbatim);
  const std::string md = renderMarkdown(r, {});
  EXPECT_NE(md.find("```\n…\n"), std::string::npos) << md;
  EXPECT_NE(md.find("\n        deleteExpiredKey(db, key);\n"), std::string::npos) << md;
  const std::string html = renderHtml(r, {});
  EXPECT_NE(html.find("<pre>…\n"), std::string::npos) << html;
  // A fence inside the quote gets a longer fence around it.
  Report fenced = r;
  fenced.sections[0].sources[0].quote = "before\n```\nafter";
  EXPECT_NE(renderMarkdown(fenced, {}).find("````\nbefore\n```\nafter\n````\n"), std::string::npos);
  EXPECT_FALSE(answerSection(answerCiting(codePassage(), "expired keys"), {}).sources.at(0).verbatim);
}

}  // namespace
}  // namespace folio::app

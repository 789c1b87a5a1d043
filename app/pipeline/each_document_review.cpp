#include "app/pipeline/each_document_review.h"

#include <algorithm>
#include <chrono>
#include <regex>

#include "app/pipeline/chat_prompt.h"

namespace folio::app {
namespace {

std::string label(const Evidence& e) {
  std::string out = e.path.empty() ? e.kind : e.path;
  if (!e.heading.empty()) out += " › " + e.heading;
  return out;
}

}  // namespace

std::string documentAnswerLine(const std::string& answer, int n) {
  static const std::regex kCitation(R"(\s*\[\s*\d+(\s*,\s*\d+)*\s*\])");
  std::string line = std::regex_replace(answer, kCitation, "");
  for (char& c : line)
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  std::string squeezed;
  for (char c : line) {
    if (c == ' ' && (squeezed.empty() || squeezed.back() == ' ')) continue;
    squeezed += c;
  }
  while (!squeezed.empty() && squeezed.back() == ' ') squeezed.pop_back();
  if (squeezed.empty()) squeezed = "(no answer)";
  return squeezed + " [" + std::to_string(n) + "]";
}

Result<EachDocumentAnswers> answerEachDocument(const ModelRuntime& rt, const std::vector<Evidence>& passages,
                                               const std::string& question, const EachDocumentCalls& calls,
                                               StageUsage& usage, const std::atomic<bool>* cancel) {
  EachDocumentAnswers out;
  const std::string qpart = "Question about this document: " + question;
  const auto t0 = std::chrono::steady_clock::now();
  bool cut = false;
  for (size_t i = 0; i < passages.size(); ++i) {
    const Evidence& e = passages[i];
    if (calls.on_progress) {
      SummaryProgress p;
      p.total = static_cast<int64_t>(passages.size());
      p.done = p.built = static_cast<int64_t>(i);
      p.current = label(e);
      p.work = SummaryProgress::Work::DocumentAnswers;
      p.elapsed_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      calls.on_progress(p);
    }
    const auto prompt = tokenizeChatPrompt(*rt.tokenizer, {kEachDocumentSystemPrompt, formatEvidenceBlock(e), qpart});
    out.largest_prompt_tokens = std::max<int64_t>(out.largest_prompt_tokens, static_cast<int64_t>(prompt.size()));
    ChatGeneration gen;
    gen.context_window = calls.context_window;
    gen.max_output_tokens = calls.thinking_budget + calls.answer_budget;
    gen.thinking_budget = calls.thinking_budget;
    gen.answer_budget = calls.answer_budget;
    gen.expert_threshold = calls.expert_threshold;
    gen.cancel = cancel;
    const std::string heading = "[" + std::to_string(e.n) + "] " + label(e) + "\n";
    ThinkingStreamSplitter splitter;
    bool headed = false;
    if (calls.on_stream) {
      gen.on_text = [&](std::string_view piece) {
        auto d = splitter.add(piece);
        d.answer.clear();  // the answer is shown once done, as the list has it
        if (d.thinking.empty()) return;
        if (!headed) d.thinking.insert(0, heading);
        headed = true;
        calls.on_stream(d);
      };
    }
    auto chat = runChat(rt, prompt, gen, usage);
    if (!chat) return chat.error();
    if (!chat->thinking.empty()) out.thinking += heading + chat->thinking + "\n\n";
    cut = cut || chat->finish_reason == "length";
    if (out.finish_reason.empty()) out.finish_reason = chat->finish_reason;
    const std::string paragraph = label(e) + ": " + documentAnswerLine(chat->answer, e.n) + "\n\n";
    out.text += paragraph;
    if (calls.on_stream) {
      ThinkingStreamSplitter::Delta d;
      if (headed) d.thinking = "\n\n";
      d.answer = paragraph;
      calls.on_stream(d);
    }
    for (auto& t : chat->answer_tokens) out.answer_tokens.push_back(std::move(t));
  }
  if (cut) out.finish_reason = "length";
  return out;
}

}  // namespace folio::app

#include "app/pipeline/model_summarizer.h"

#include <algorithm>

#include "app/pipeline/chat_prompt.h"

namespace folio::app {

Result<std::string> ModelSummarizer::summarize(const SummaryRequest& request, StageUsage& usage,
                                               const std::atomic<bool>* cancel) {
  const auto& tok = *rt_.tokenizer;
  ChatPromptText p;
  p.system = kSummarySystemPrompt;
  p.question = "Summarize: " + request.title + "\n\n";
  const int64_t max_out = std::max(1, request.max_tokens);
  const int64_t frame = tokenizeChatPrompt(tok, p).size();
  int64_t room = context_window_ - max_out - frame;
  if (room <= 0) {
    return badInput("summary of " + request.title + ": the context window (" + std::to_string(context_window_) +
                    " tokens) leaves no room for text after the prompt and a " + std::to_string(max_out) +
                    "-token summary");
  }
  std::string body;
  for (const auto& t : request.texts) {
    const std::string piece = (body.empty() ? "" : "\n\n") + t;
    const auto ids = tok.encode(piece, engine::SpecialTokens::AsText);
    if (static_cast<int64_t>(ids.size()) <= room) {
      body += piece;
      room -= static_cast<int64_t>(ids.size());
      continue;
    }
    // Cut the piece by tokens; the decoded prefix of a token prefix never re-encodes longer.
    if (room > 8) body += tok.decode(std::span(ids).first(static_cast<size_t>(room - 4)));
    break;
  }
  p.question += body;
  ChatGeneration gen;
  gen.context_window = context_window_;
  gen.max_output_tokens = max_out;
  gen.thinking_budget = 0;
  gen.expert_threshold = tau_;
  gen.cancel = cancel;
  auto out = runChat(rt_, tokenizeChatPrompt(tok, p), gen, usage);
  if (!out) return out.error().context("summary of " + request.title);
  return out->answer;
}

}  // namespace folio::app

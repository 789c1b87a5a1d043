#include "app/pipeline/each_document_review.h"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <regex>
#include <thread>

#include "app/pipeline/chat_prompt.h"
#include "engine/model/decode_batcher.h"

namespace folio::app {
namespace {

// Tokens a call may add beyond its budgets: the tags the generator forces when a thought runs out.
constexpr int64_t kCallSlackTokens = 16;

std::string label(const Evidence& e) {
  std::string out = e.path.empty() ? e.kind : e.path;
  if (!e.heading.empty()) out += " › " + e.heading;
  return out;
}

struct DocumentCall {
  std::optional<Result<ChatOutput>> chat;  // set once the call is done
  StageUsage usage;
  int64_t prompt_tokens = 0;
};

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
  const size_t n = passages.size();
  const int workers = static_cast<int>(std::clamp<size_t>(static_cast<size_t>(std::max(1, calls.concurrent)), 1, std::max<size_t>(n, 1)));
  ModelRuntime runtime = rt;
  if (workers > 1 && !runtime.decode_batcher) {
    engine::DecodeBatcher::Options o;
    o.threads = rt.threads;
    o.max_batch = workers;
    // Without a batcher the calls still run side by side, each decoding alone.
    if (auto b = engine::DecodeBatcher::create(rt.model, o)) runtime.decode_batcher = *b;
  }
  const auto heading = [&](size_t i) { return "[" + std::to_string(passages[i].n) + "] " + label(passages[i]) + "\n"; };
  // One call; `on_thought` receives its thought as it is generated (one document at a time only).
  const auto ask = [&](size_t i, DocumentCall& call, const std::function<void(const std::string&)>& on_thought) {
    const auto prompt =
        tokenizeChatPrompt(*runtime.tokenizer, {kEachDocumentSystemPrompt, formatEvidenceBlock(passages[i]), qpart});
    call.prompt_tokens = prompt.size();
    ChatGeneration gen;
    gen.context_window = std::min(calls.context_window,
                                  prompt.size() + calls.thinking_budget + calls.answer_budget + kCallSlackTokens);
    gen.max_output_tokens = calls.thinking_budget + calls.answer_budget;
    gen.thinking_budget = calls.thinking_budget;
    gen.answer_budget = calls.answer_budget;
    gen.expert_threshold = calls.expert_threshold;
    gen.cancel = cancel;
    ThinkingStreamSplitter splitter;
    if (on_thought) {
      gen.on_text = [&](std::string_view piece) {
        if (auto d = splitter.add(piece); !d.thinking.empty()) on_thought(d.thinking);
      };
    }
    call.chat = runChat(runtime, prompt, gen, call.usage);
  };

  const auto t0 = std::chrono::steady_clock::now();
  std::vector<DocumentCall> results(n);
  std::mutex mutex;
  std::condition_variable finished;
  std::atomic<size_t> next{0};
  std::atomic<bool> abandon{false};
  std::vector<std::thread> pool;
  // Threads end on every path out of here: in-flight calls finish (each is short), none starts.
  struct Joiner {
    std::vector<std::thread>& threads;
    std::atomic<bool>& abandon;
    ~Joiner() {
      abandon = true;
      for (auto& t : threads) t.join();
    }
  } joiner{pool, abandon};
  if (workers > 1) {
    for (int w = 0; w < workers; ++w) {
      pool.emplace_back([&] {
        for (size_t i = next++; i < n && !abandon; i = next++) {
          DocumentCall call;
          ask(i, call, {});
          std::lock_guard<std::mutex> lock(mutex);
          results[i] = std::move(call);
          finished.notify_all();
        }
      });
    }
  }

  bool cut = false;
  for (size_t i = 0; i < n; ++i) {
    if (calls.on_progress) {
      SummaryProgress p;
      p.total = static_cast<int64_t>(n);
      p.done = p.built = static_cast<int64_t>(i);
      p.current = label(passages[i]);
      p.elapsed_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      p.work = SummaryProgress::Work::DocumentAnswers;
      calls.on_progress(p);
    }
    bool streamed_thought = false;
    if (workers == 1) {
      ask(i, results[i], [&](const std::string& thought) {
        if (!calls.on_stream) return;
        ThinkingStreamSplitter::Delta d;
        d.thinking = (streamed_thought ? "" : heading(i)) + thought;
        streamed_thought = true;
        calls.on_stream(d);
      });
    } else {
      std::unique_lock<std::mutex> lock(mutex);
      finished.wait(lock, [&] { return results[i].chat.has_value(); });
    }
    DocumentCall& call = results[i];
    usage.merge(call.usage);
    if (!call.chat->ok()) {
      abandon = true;
      return call.chat->error();
    }
    ChatOutput& chat = call.chat->value();
    out.largest_prompt_tokens = std::max(out.largest_prompt_tokens, call.prompt_tokens);
    const std::string thought = chat.thinking.empty() ? std::string() : heading(i) + chat.thinking + "\n\n";
    out.thinking += thought;
    cut = cut || chat.finish_reason == "length";
    if (out.finish_reason.empty()) out.finish_reason = chat.finish_reason;
    const std::string line = documentAnswerLine(chat.answer, passages[i].n);
    out.answers.push_back(line.substr(0, line.rfind(" [")));
    if (calls.on_answer) calls.on_answer(i, out.answers.back());
    const std::string paragraph = label(passages[i]) + ": " + line + "\n\n";
    out.text += paragraph;
    if (calls.on_stream) {
      ThinkingStreamSplitter::Delta d;
      // The thought so far came as it was generated (one at a time), or comes whole now.
      d.thinking = streamed_thought ? (thought.empty() ? "" : "\n\n") : thought;
      d.answer = paragraph;
      calls.on_stream(d);
    }
    for (auto& t : chat.answer_tokens) out.answer_tokens.push_back(std::move(t));
  }
  if (cut) out.finish_reason = "length";
  return out;
}

}  // namespace folio::app

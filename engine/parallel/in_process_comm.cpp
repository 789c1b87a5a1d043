#include "engine/parallel/in_process_comm.h"

#include <algorithm>
#include <string>

#include "engine/common/check.h"

namespace folio::engine {

namespace {

const char* opName(int op) {
  static const char* const kNames[] = {"allReduceSum", "allGather", "barrier"};
  return kNames[op];
}

}  // namespace

InProcessGroup::InProcessGroup(int size) : size_(size), posts_(static_cast<size_t>(std::max(size, 1))) {
  FOLIO_CHECK_MSG(size >= 1, "an in-process group needs at least one rank");
  for (int r = 0; r < size; ++r) comms_.push_back(std::unique_ptr<InProcessComm>(new InProcessComm(*this, r)));
}

Comm& InProcessGroup::comm(int rank) {
  FOLIO_CHECK(rank >= 0 && rank < size_);
  return *comms_[static_cast<size_t>(rank)];
}

void InProcessGroup::abort() {
  std::lock_guard<std::mutex> lock(mu_);
  aborted_ = true;
  cv_.notify_all();
}

Status InProcessGroup::arriveAndWait() {
  std::unique_lock<std::mutex> lock(mu_);
  const auto aborted = [] {
    return Error{ErrorKind::Internal, "in-process collective: the group was aborted after a rank failed"};
  };
  if (aborted_) return aborted();
  const uint64_t generation = generation_;
  if (++arrived_ == size_) {
    arrived_ = 0;
    ++generation_;
    cv_.notify_all();
    return {};
  }
  cv_.wait(lock, [&] { return generation_ != generation || aborted_; });
  if (generation_ == generation) return aborted();
  return {};
}

Status InProcessGroup::rendezvous(int rank, Op op, const float* send, int64_t n) {
  posts_[static_cast<size_t>(rank)] = Post{op, send, n};
  // Rank 0 sizes the all-reduce buffer before anyone can use it; the previous collective's last
  // barrier guarantees nobody still reads it.
  if (rank == 0 && op == Op::AllReduceSum && static_cast<int64_t>(sum_.size()) < n) sum_.resize(static_cast<size_t>(n));
  FOLIO_TRY(arriveAndWait());
  const Post& first = posts_[0];
  for (int r = 1; r < size_; ++r) {
    const Post& p = posts_[static_cast<size_t>(r)];
    if (p.op != first.op || p.n != first.n) {
      Error e = badInput(std::string("in-process collective mismatch: rank 0 called ") +
                         opName(static_cast<int>(first.op)) + " with " + std::to_string(first.n) +
                         " elements, rank " + std::to_string(r) + " called " + opName(static_cast<int>(p.op)) +
                         " with " + std::to_string(p.n));
      FOLIO_TRY(arriveAndWait());  // nobody reuses the posts before every rank has read them
      return e;
    }
  }
  return {};
}

int InProcessComm::size() const { return group_.size(); }

Status InProcessComm::allReduceSum(float* data, int64_t n) {
  if (group_.size() == 1) return {};
  InProcessGroup& g = group_;
  FOLIO_TRY(g.rendezvous(rank_, InProcessGroup::Op::AllReduceSum, data, n));
  // Each rank sums its own slice of the elements, over the ranks in order 0, 1, …
  const int64_t per = (n + g.size() - 1) / g.size();
  const int64_t begin = std::min(n, per * rank_), end = std::min(n, begin + per);
  for (int64_t i = begin; i < end; ++i) {
    float s = g.posts_[0].send[i];
    for (int r = 1; r < g.size(); ++r) s += g.posts_[static_cast<size_t>(r)].send[i];
    g.sum_[static_cast<size_t>(i)] = s;
  }
  FOLIO_TRY(g.arriveAndWait());  // every slice summed, every input read
  std::copy_n(g.sum_.data(), n, data);
  return g.arriveAndWait();  // every rank has its copy before the next collective reuses sum_
}

Status InProcessComm::allGather(const float* send, int64_t n, float* recv) {
  InProcessGroup& g = group_;
  if (g.size() == 1) {
    std::copy_n(send, n, recv);
    return {};
  }
  FOLIO_TRY(g.rendezvous(rank_, InProcessGroup::Op::AllGather, send, n));
  for (int r = 0; r < g.size(); ++r) std::copy_n(g.posts_[static_cast<size_t>(r)].send, n, recv + r * n);
  return g.arriveAndWait();  // every rank has read every send buffer before its owner may change it
}

Status InProcessComm::barrier() {
  if (group_.size() == 1) return {};
  FOLIO_TRY(group_.rendezvous(rank_, InProcessGroup::Op::Barrier, nullptr, 0));
  return group_.arriveAndWait();
}

void InProcessComm::abort() { group_.abort(); }

}  // namespace folio::engine

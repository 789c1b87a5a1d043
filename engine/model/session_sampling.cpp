// Session::sampleNext's host form, shared by the backends that keep their logits on the host.
#include "engine/generation/sampler.h"
#include "engine/model/session.h"

namespace folio::engine {

Result<int32_t> Session::sampleNext(Sampler& sampler) {
  if (position() == 0) return badInput("sampleNext: the session has no logits yet (nothing was run)");
  return sampler.sample(lastLogits());
}

}  // namespace folio::engine

#include "engine/cuda/nccl_groups.h"

namespace folio::engine::cuda {

void NcclGroup::abort() {
  aborted.store(true);
  for (auto& comm : comms) comm->abort();
}

Result<std::shared_ptr<NcclGroup>> NcclGroups::get(const std::vector<int>& devices) const {
  std::lock_guard<std::mutex> lock(mu_);
  std::shared_ptr<NcclGroup>& group = groups_[devices];
  if (group && !group->aborted.load()) return group;
  auto comms = NcclComm::createLocalGroup(devices);
  if (!comms.ok()) return comms.error();
  auto made = std::make_shared<NcclGroup>();
  made->comms = std::move(comms.value());
  group = made;  // an aborted one lives on only in the sessions that still hold it
  return made;
}

}  // namespace folio::engine::cuda

// A small services agreement for the review tests (command line, HTTP): six service clauses, a fees
// clause, and a governing-law clause when `law` is given.
#pragma once

#include <string>

namespace folio::test {

inline std::string reviewContract(const std::string& name, const std::string& law) {
  std::string t = name + " SERVICES AGREEMENT\n\n1. Services\n\n";
  for (int j = 1; j <= 6; ++j)
    t += "1." + std::to_string(j) + " The Supplier shall perform the Services diligently and report monthly to the Customer.\n\n";
  t += "2. Fees\n\n2.1 The Customer shall pay each invoice within thirty days of receipt.\n\n";
  if (!law.empty()) t += "3. Governing Law\n\n3.1 This Agreement is governed by the laws of " + law + ".\n";
  return t;
}

}  // namespace folio::test

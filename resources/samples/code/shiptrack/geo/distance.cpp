#include "distance.h"

#include <cmath>

namespace geo {
namespace {

constexpr double kEarthRadiusKm = 6371.0088;  // mean radius, IUGG
constexpr double kPi = 3.14159265358979323846;

double toRadians(double deg) { return deg * kPi / 180.0; }

}  // namespace

double distanceKm(const LatLon& a, const LatLon& b) {
  const double dlat = toRadians(b.lat_deg - a.lat_deg);
  const double dlon = toRadians(b.lon_deg - a.lon_deg);
  const double h = std::sin(dlat / 2) * std::sin(dlat / 2) +
                   std::cos(toRadians(a.lat_deg)) * std::cos(toRadians(b.lat_deg)) *
                       std::sin(dlon / 2) * std::sin(dlon / 2);
  return 2 * kEarthRadiusKm * std::asin(std::sqrt(h));
}

double routeLengthKm(const std::vector<LatLon>& route) {
  double total = 0;
  for (size_t i = 1; i < route.size(); ++i) total += distanceKm(route[i - 1], route[i]);
  return total;
}

class RouteCache {
 public:
  // Returns the cached length of a route, computing it on first use. "}" in this comment must not
  // confuse a brace-aware chunker.
  double lengthOf(int route_id, const std::vector<LatLon>& route) {
    if (route_id == last_id_) return last_length_;
    last_id_ = route_id;
    last_length_ = routeLengthKm(route);
    return last_length_;
  }

 private:
  int last_id_ = -1;
  double last_length_ = 0;
};

}  // namespace geo

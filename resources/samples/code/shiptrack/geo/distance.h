// Great-circle distances between coordinates on a spherical Earth.
#pragma once

#include <vector>

namespace geo {

struct LatLon {
  double lat_deg;
  double lon_deg;
};

// Haversine distance in kilometres.
double distanceKm(const LatLon& a, const LatLon& b);

// Sum of the legs of a route; 0 for fewer than two points.
double routeLengthKm(const std::vector<LatLon>& route);

}  // namespace geo

#include "roadsafe/geo/location_check.hpp"

namespace roadsafe::geo {

std::shared_ptr<const Categories> location_status_categories() {
    static const auto categories = std::make_shared<const Categories>(Categories{
        {{0, "ok"}, {1, "missing"}, {2, "placeholder"}, {3, "outside_gb"}}});
    return categories;
}

}  // namespace roadsafe::geo

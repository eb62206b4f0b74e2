#include "roadsafe/geo/location_check.hpp"

namespace roadsafe::geo {

std::shared_ptr<const Categories> location_status_categories() {
    static const auto categories = [] {
        auto c = std::make_shared<Categories>();
        c->labels = {{0, "ok"}, {1, "missing"}, {2, "placeholder"}, {3, "outside_gb"}};
        return std::shared_ptr<const Categories>(std::move(c));
    }();
    return categories;
}

}  // namespace roadsafe::geo

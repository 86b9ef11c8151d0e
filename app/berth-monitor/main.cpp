// berth-monitor: one per running container (see DESIGN.md). Placeholder until the
// container runtime lands.
#include <cstdio>

int main() {
    std::fprintf(stderr, "berth-monitor: not implemented yet\n");
    return 1;
}

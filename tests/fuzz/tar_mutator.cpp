#include "tar_mutator.h"

#include <cstdio>
#include <cstring>

namespace berth::fuzz {

void fixTarChecksums(uint8_t* data, size_t size) {
    if (size >= 2 && data[0] == 0x1f && data[1] == 0x8b) return;  // gzip
    if (size >= 4 && data[0] == 0x28 && data[1] == 0xb5 && data[2] == 0x2f && data[3] == 0xfd) return;  // zstd
    for (size_t off = 0; off + 512 <= size; off += 512) {
        uint8_t* h = data + off;
        if (std::memcmp(h + 257, "ustar", 5) != 0) continue;
        // The checksum is the sum of the header's bytes with its own field read as spaces.
        std::memset(h + 148, ' ', 8);
        unsigned sum = 0;
        for (size_t i = 0; i < 512; ++i) sum += h[i];
        char field[9];
        std::snprintf(field, sizeof field, "%06o", sum & 0777777);
        std::memcpy(h + 148, field, 6);
        h[154] = 0;
        h[155] = ' ';
    }
}

} // namespace berth::fuzz

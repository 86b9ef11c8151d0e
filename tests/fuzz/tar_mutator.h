#pragma once
// libFuzzer's byte mutations break a tar header's checksum almost every time, and a tar
// reader stops at the first bad checksum: most mutated inputs would only test that. The
// archive targets install this mutator (BERTH_LIBFUZZER builds only): after libFuzzer's
// own mutation it rewrites the checksum of every 512-byte block that carries the "ustar"
// magic, so the mutation reaches the entry's fields instead. Compressed inputs (gzip, zstd)
// are left as they are.

#include <cstddef>
#include <cstdint>

namespace berth::fuzz {

void fixTarChecksums(uint8_t* data, size_t size);

} // namespace berth::fuzz

#ifdef BERTH_LIBFUZZER
extern "C" size_t LLVMFuzzerMutate(uint8_t* data, size_t size, size_t maxSize);
#define BERTH_FUZZ_TAR_MUTATOR                                                              \
    extern "C" size_t LLVMFuzzerCustomMutator(uint8_t* data, size_t size, size_t maxSize,   \
                                              unsigned int) {                               \
        size = LLVMFuzzerMutate(data, size, maxSize);                                       \
        ::berth::fuzz::fixTarChecksums(data, size);                                         \
        return size;                                                                        \
    }
#else
#define BERTH_FUZZ_TAR_MUTATOR
#endif

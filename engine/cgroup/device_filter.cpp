#include "cgroup/device_filter.h"

#include "sys/unique_fd.h"

#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <charconv>
#include <cstring>

namespace berth::cgroup {

Result<DeviceRule> parseDeviceRule(std::string_view text) {
    auto bad = [&](const char* why) {
        return fail(Errc::InvalidArgument, "bad device rule \"" + std::string(text) + "\": " + why);
    };
    DeviceRule r;
    if (text == "a") {
        r.access = BPF_DEVCG_ACC_MKNOD | BPF_DEVCG_ACC_READ | BPF_DEVCG_ACC_WRITE;
        return r;
    }
    if (text.size() < 5 || (text[0] != 'c' && text[0] != 'b' && text[0] != 'a') || text[1] != ' ')
        return bad("expected \"c|b|a MAJOR:MINOR ACCESS\"");
    r.type = text[0];
    std::string_view rest = text.substr(2);
    size_t space = rest.find(' ');
    if (space == std::string_view::npos) return bad("missing access");
    std::string_view nums = rest.substr(0, space), acc = rest.substr(space + 1);
    size_t colon = nums.find(':');
    if (colon == std::string_view::npos) return bad("expected MAJOR:MINOR");
    auto number = [](std::string_view s, int64_t& out) {
        if (s == "*") {
            out = -1;
            return true;
        }
        uint32_t v = 0;
        auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
        if (s.empty() || ec != std::errc() || p != s.data() + s.size()) return false;
        out = v;
        return true;
    };
    if (!number(nums.substr(0, colon), r.major) || !number(nums.substr(colon + 1), r.minor))
        return bad("major and minor must be numbers or *");
    if (acc.empty()) return bad("missing access");
    for (char c : acc) {
        if (c == 'm') r.access |= BPF_DEVCG_ACC_MKNOD;
        else if (c == 'r') r.access |= BPF_DEVCG_ACC_READ;
        else if (c == 'w') r.access |= BPF_DEVCG_ACC_WRITE;
        else return bad("access letters are r, w and m");
    }
    return r;
}

namespace {

bpf_insn insn(uint8_t code, uint8_t dst, uint8_t src, int16_t off, int32_t imm) {
    bpf_insn i;
    std::memset(&i, 0, sizeof i);
    i.code = code;
    i.dst_reg = dst & 0xf;
    i.src_reg = src & 0xf;
    i.off = off;
    i.imm = imm;
    return i;
}

// Registers: r2 device type, r3 access bits, r4 major, r5 minor, r6 scratch.
constexpr uint8_t kType = 2, kAccess = 3, kMajor = 4, kMinor = 5, kScratch = 6;

} // namespace

std::vector<bpf_insn> compileDeviceFilter(const std::vector<DeviceRule>& allow) {
    std::vector<bpf_insn> p;
    // struct bpf_cgroup_dev_ctx { u32 access_type; u32 major; u32 minor; } in r1;
    // access_type = (access << 16) | type.
    p.push_back(insn(BPF_LDX | BPF_MEM | BPF_W, kType, 1, 0, 0));
    p.push_back(insn(BPF_ALU64 | BPF_AND | BPF_K, kType, 0, 0, 0xffff));
    p.push_back(insn(BPF_LDX | BPF_MEM | BPF_W, kAccess, 1, 0, 0));
    p.push_back(insn(BPF_ALU64 | BPF_RSH | BPF_K, kAccess, 0, 0, 16));
    p.push_back(insn(BPF_LDX | BPF_MEM | BPF_W, kMajor, 1, 4, 0));
    p.push_back(insn(BPF_LDX | BPF_MEM | BPF_W, kMinor, 1, 8, 0));
    const uint32_t all = BPF_DEVCG_ACC_MKNOD | BPF_DEVCG_ACC_READ | BPF_DEVCG_ACC_WRITE;
    for (const auto& r : allow) {
        // Each rule is a block of checks that jump past the block on mismatch, ending in
        // "return 1". The jump offsets are filled in once the block's length is known.
        std::vector<bpf_insn> block;
        block.reserve(8);  // at most 7; also keeps GCC 12's -Wstringop-overflow quiet
        std::vector<size_t> exits;  // indexes of jumps to the end of the block
        if (r.type != 'a') {
            exits.push_back(block.size());
            block.push_back(insn(BPF_JMP | BPF_JNE | BPF_K, kType, 0, 0,
                                 r.type == 'c' ? BPF_DEVCG_DEV_CHAR : BPF_DEVCG_DEV_BLOCK));
        }
        if ((r.access & all) != all) {
            // Every requested access bit must be in the rule: (access & ~rule) == 0.
            block.push_back(insn(BPF_ALU64 | BPF_MOV | BPF_X, kScratch, kAccess, 0, 0));
            block.push_back(insn(BPF_ALU64 | BPF_AND | BPF_K, kScratch, 0, 0, int32_t(~r.access & all)));
            exits.push_back(block.size());
            block.push_back(insn(BPF_JMP | BPF_JNE | BPF_K, kScratch, 0, 0, 0));
        }
        if (r.major >= 0) {
            exits.push_back(block.size());
            block.push_back(insn(BPF_JMP | BPF_JNE | BPF_K, kMajor, 0, 0, int32_t(r.major)));
        }
        if (r.minor >= 0) {
            exits.push_back(block.size());
            block.push_back(insn(BPF_JMP | BPF_JNE | BPF_K, kMinor, 0, 0, int32_t(r.minor)));
        }
        block.push_back(insn(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 1));
        block.push_back(insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0));
        for (size_t j : exits) block[j].off = int16_t(block.size() - j - 1);
        p.insert(p.end(), block.begin(), block.end());
    }
    p.push_back(insn(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 0));
    p.push_back(insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0));
    return p;
}

VoidResult attachDeviceFilter(const std::filesystem::path& cgroupDir,
                              const std::vector<bpf_insn>& program) {
    static const char license[] = "Apache-2.0";
    std::vector<char> log(16384);
    union bpf_attr load;
    std::memset(&load, 0, sizeof load);
    load.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
    load.insns = reinterpret_cast<uintptr_t>(program.data());
    load.insn_cnt = uint32_t(program.size());
    load.license = reinterpret_cast<uintptr_t>(license);
    load.log_buf = reinterpret_cast<uintptr_t>(log.data());
    load.log_size = uint32_t(log.size());
    load.log_level = 1;
    int prog = int(::syscall(SYS_bpf, BPF_PROG_LOAD, &load, sizeof load));
    if (prog < 0) {
        int e = errno;
        std::string detail(log.data());
        if (detail.size() > 300) detail = detail.substr(detail.size() - 300);
        auto err = Error::fromErrno("load the device filter (bpf BPF_PROG_TYPE_CGROUP_DEVICE)", e);
        if (!detail.empty()) err = Error(err.code(), err.message() + "; verifier: " + detail, e);
        return fail(std::move(err));
    }
    sys::UniqueFd progFd(prog);
    int dir = ::open(cgroupDir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir < 0) return failErrno("open cgroup `" + cgroupDir.string() + "`");
    sys::UniqueFd dirFd(dir);
    union bpf_attr attach;
    std::memset(&attach, 0, sizeof attach);
    attach.target_fd = uint32_t(dirFd.get());
    attach.attach_bpf_fd = uint32_t(progFd.get());
    attach.attach_type = BPF_CGROUP_DEVICE;
    attach.attach_flags = BPF_F_ALLOW_MULTI;
    if (::syscall(SYS_bpf, BPF_PROG_ATTACH, &attach, sizeof attach) < 0)
        return failErrno("attach the device filter to `" + cgroupDir.string() + "`");
    return {};
}

} // namespace berth::cgroup

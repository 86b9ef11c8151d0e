#include "runtime/seccomp_profile.h"

#include "sys/fs.h"
#include "sys/scope_guard.h"
#include "sys/unique_fd.h"

#include <linux/seccomp.h>
#include <seccomp.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <set>

namespace berth::runtime {

extern const char* const kEmbeddedDefaultSeccompProfile;  // generated from resources/

namespace {

using nlohmann::json;

Error profileError(const std::string& where, const std::string& what) {
    return Error(Errc::InvalidArgument, fmt::format("seccomp profile: {}: {}", where, what));
}

Result<uint32_t> parseAction(const std::string& name, const json& errnoRet, const std::string& where) {
    auto errnoValue = [&]() -> Result<uint32_t> {
        if (errnoRet.is_null()) return uint32_t(EPERM);
        if (!errnoRet.is_number_unsigned() || errnoRet.get<uint64_t>() > 4095)
            return std::unexpected(profileError(where, "errnoRet must be an errno number"));
        return uint32_t(errnoRet.get<uint64_t>());
    };
    if (name == "SCMP_ACT_ALLOW") return SCMP_ACT_ALLOW;
    if (name == "SCMP_ACT_ERRNO") return SCMP_ACT_ERRNO(BERTH_TRY(errnoValue()));
    if (name == "SCMP_ACT_KILL" || name == "SCMP_ACT_KILL_THREAD") return SCMP_ACT_KILL_THREAD;
    if (name == "SCMP_ACT_KILL_PROCESS") return SCMP_ACT_KILL_PROCESS;
    if (name == "SCMP_ACT_TRAP") return SCMP_ACT_TRAP;
    if (name == "SCMP_ACT_LOG") return SCMP_ACT_LOG;
    if (name == "SCMP_ACT_TRACE") return SCMP_ACT_TRACE(BERTH_TRY(errnoValue()));
    if (name == "SCMP_ACT_NOTIFY")
        return fail(Error(Errc::Unsupported, fmt::format("seccomp profile: {}: SCMP_ACT_NOTIFY is not supported", where)));
    return std::unexpected(profileError(where, fmt::format("unknown action `{}`", name)));
}

Result<scmp_compare> parseOp(const std::string& op, const std::string& where) {
    if (op == "SCMP_CMP_NE") return SCMP_CMP_NE;
    if (op == "SCMP_CMP_LT") return SCMP_CMP_LT;
    if (op == "SCMP_CMP_LE") return SCMP_CMP_LE;
    if (op == "SCMP_CMP_EQ") return SCMP_CMP_EQ;
    if (op == "SCMP_CMP_GE") return SCMP_CMP_GE;
    if (op == "SCMP_CMP_GT") return SCMP_CMP_GT;
    if (op == "SCMP_CMP_MASKED_EQ") return SCMP_CMP_MASKED_EQ;
    return std::unexpected(profileError(where, fmt::format("unknown operator `{}`", op)));
}

// "SCMP_ARCH_X86_64" -> libseccomp's token; 0 when libseccomp does not know it.
uint32_t archToken(const std::string& scmpName) {
    std::string n = scmpName;
    if (n.starts_with("SCMP_ARCH_")) n = n.substr(10);
    for (auto& c : n) c = char(std::tolower(static_cast<unsigned char>(c)));
    return seccomp_arch_resolve_name(n.c_str());
}

// Docker writes includes/excludes "arches" with Go's names; accept those and libseccomp's.
std::set<std::string> nativeArchNames() {
    std::set<std::string> names;
    uint32_t native = seccomp_arch_native();
    if (native == SCMP_ARCH_X86_64) names = {"amd64", "x86_64", "SCMP_ARCH_X86_64"};
    else if (native == SCMP_ARCH_AARCH64) names = {"arm64", "aarch64", "SCMP_ARCH_AARCH64"};
    else if (native == SCMP_ARCH_X86) names = {"386", "x86", "SCMP_ARCH_X86"};
    else if (native == SCMP_ARCH_ARM) names = {"arm", "SCMP_ARCH_ARM"};
    else if (native == SCMP_ARCH_PPC64LE) names = {"ppc64le", "SCMP_ARCH_PPC64LE"};
    else if (native == SCMP_ARCH_S390X) names = {"s390x", "SCMP_ARCH_S390X"};
    else if (native == SCMP_ARCH_RISCV64) names = {"riscv64", "SCMP_ARCH_RISCV64"};
    return names;
}

std::string nativeScmpName() {
    uint32_t native = seccomp_arch_native();
    if (native == SCMP_ARCH_X86_64) return "SCMP_ARCH_X86_64";
    if (native == SCMP_ARCH_AARCH64) return "SCMP_ARCH_AARCH64";
    if (native == SCMP_ARCH_X86) return "SCMP_ARCH_X86";
    if (native == SCMP_ARCH_ARM) return "SCMP_ARCH_ARM";
    if (native == SCMP_ARCH_PPC64LE) return "SCMP_ARCH_PPC64LE";
    if (native == SCMP_ARCH_S390X) return "SCMP_ARCH_S390X";
    if (native == SCMP_ARCH_RISCV64) return "SCMP_ARCH_RISCV64";
    return "";
}

// "5.8" <= running kernel?
bool kernelAtLeast(const std::string& version) {
    struct utsname u{};
    if (::uname(&u) != 0) return true;
    int haveMajor = 0, haveMinor = 0, wantMajor = 0, wantMinor = 0;
    std::sscanf(u.release, "%d.%d", &haveMajor, &haveMinor);
    if (std::sscanf(version.c_str(), "%d.%d", &wantMajor, &wantMinor) < 1) return true;
    return haveMajor > wantMajor || (haveMajor == wantMajor && haveMinor >= wantMinor);
}

std::string canonicalCap(std::string c) {
    for (auto& ch : c) ch = char(std::toupper(static_cast<unsigned char>(ch)));
    if (!c.starts_with("CAP_")) c = "CAP_" + c;
    return c;
}

Result<std::vector<std::string>> stringList(const json& obj, const char* key, const std::string& where) {
    std::vector<std::string> out;
    if (!obj.contains(key) || obj[key].is_null()) return out;
    if (!obj[key].is_array()) return std::unexpected(profileError(where, fmt::format("`{}` must be a list", key)));
    for (auto& v : obj[key]) {
        if (!v.is_string()) return std::unexpected(profileError(where, fmt::format("`{}` must hold strings", key)));
        out.push_back(v.get<std::string>());
    }
    return out;
}

// Does a rule's includes (all must hold) / excludes (none may hold) filter apply here?
Result<bool> filterMatches(const json& f, const std::set<std::string>& caps,
                           const std::set<std::string>& arches, bool isExclude, const std::string& where) {
    if (f.is_null()) return !isExclude;
    if (!f.is_object()) return std::unexpected(profileError(where, "includes/excludes must be objects"));
    auto fcaps = BERTH_TRY(stringList(f, "caps", where));
    auto farches = BERTH_TRY(stringList(f, "arches", where));
    std::string minKernel = f.contains("minKernel") && f["minKernel"].is_string() ? f["minKernel"].get<std::string>() : "";
    if (!isExclude) {
        for (auto& c : fcaps) if (!caps.count(canonicalCap(c))) return false;
        if (!farches.empty() && std::none_of(farches.begin(), farches.end(), [&](auto& a) { return arches.count(a) > 0; }))
            return false;
        if (!minKernel.empty() && !kernelAtLeast(minKernel)) return false;
        return true;
    }
    for (auto& c : fcaps) if (caps.count(canonicalCap(c))) return true;
    for (auto& a : farches) if (arches.count(a)) return true;
    if (!minKernel.empty() && kernelAtLeast(minKernel)) return true;
    return false;
}

Result<std::vector<scmp_arg_cmp>> parseArgs(const json& rule, const std::string& where) {
    std::vector<scmp_arg_cmp> out;
    if (!rule.contains("args") || rule["args"].is_null()) return out;
    if (!rule["args"].is_array()) return std::unexpected(profileError(where, "`args` must be a list"));
    for (auto& a : rule["args"]) {
        if (!a.is_object()) return std::unexpected(profileError(where, "each arg must be an object"));
        if (!a.contains("index") || !a["index"].is_number_unsigned() || a["index"].get<uint64_t>() > 5)
            return std::unexpected(profileError(where, "arg `index` must be 0..5"));
        if (!a.contains("value") || !a["value"].is_number_unsigned())
            return std::unexpected(profileError(where, "arg `value` must be an unsigned number"));
        if (!a.contains("op") || !a["op"].is_string())
            return std::unexpected(profileError(where, "arg `op` missing"));
        uint64_t two = 0;
        if (a.contains("valueTwo") && !a["valueTwo"].is_null()) {
            if (!a["valueTwo"].is_number_unsigned())
                return std::unexpected(profileError(where, "arg `valueTwo` must be an unsigned number"));
            two = a["valueTwo"].get<uint64_t>();
        }
        scmp_compare op = BERTH_TRY(parseOp(a["op"].get<std::string>(), where));
        scmp_arg_cmp cmp{};
        cmp.arg = unsigned(a["index"].get<uint64_t>());
        cmp.op = op;
        cmp.datum_a = a["value"].get<uint64_t>();
        cmp.datum_b = two;
        out.push_back(cmp);
    }
    return out;
}

Result<SeccompProgram> exportProgram(scmp_filter_ctx ctx) {
    int fd = int(::syscall(SYS_memfd_create, "berth-seccomp", MFD_CLOEXEC));
    if (fd < 0) return failErrno("memfd_create for the seccomp filter");
    sys::UniqueFd mem(fd);
    if (int rc = seccomp_export_bpf(ctx, fd); rc < 0) return failErrno("seccomp_export_bpf", -rc);
    off_t size = ::lseek(fd, 0, SEEK_END);
    if (size < 0 || ::lseek(fd, 0, SEEK_SET) < 0) return failErrno("seek in the seccomp filter");
    SeccompProgram prog;
    prog.instructions.resize(size_t(size) / sizeof(sock_filter));
    size_t want = prog.instructions.size() * sizeof(sock_filter), got = 0;
    auto* bytes = reinterpret_cast<char*>(prog.instructions.data());
    while (got < want) {
        ssize_t n = ::read(fd, bytes + got, want - got);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return failErrno("read the exported seccomp filter", n < 0 ? errno : EIO);
        got += size_t(n);
    }
    return prog;
}

} // namespace

Result<SeccompProgram> compileSeccompProfile(const std::string& profileJson,
                                             const std::vector<std::string>& capabilities) {
    json profile;
    try {
        profile = json::parse(profileJson);
    } catch (const json::exception& e) {
        return fail(Errc::InvalidArgument, fmt::format("seccomp profile: malformed JSON: {}", e.what()));
    }
    if (!profile.is_object()) return fail(profileError("top level", "must be a JSON object"));
    if (!profile.contains("defaultAction") || !profile["defaultAction"].is_string())
        return fail(profileError("top level", "`defaultAction` missing"));
    json defaultErrno = profile.value("defaultErrnoRet", json());
    uint32_t defaultAction = BERTH_TRY(parseAction(profile["defaultAction"].get<std::string>(), defaultErrno, "defaultAction"));

    std::set<std::string> caps;
    for (auto& c : capabilities) caps.insert(canonicalCap(c));
    std::set<std::string> arches = nativeArchNames();

    scmp_filter_ctx ctx = seccomp_init(defaultAction);
    if (!ctx) return fail(Errc::Internal, "seccomp_init failed");
    sys::ScopeGuard release([&] { seccomp_release(ctx); });

    // Architectures: the native one (seccomp_init added it) plus what the profile lists
    // for it, so a 32-bit syscall entry can't bypass the 64-bit rules.
    auto addArch = [&](const std::string& name) {
        uint32_t token = archToken(name);
        if (token == 0) return;  // unknown to this libseccomp: ignore like unknown syscalls
        int rc = seccomp_arch_add(ctx, token);
        (void)rc;                // -EEXIST for the native arch is expected
    };
    if (profile.contains("archMap") && profile["archMap"].is_array()) {
        std::string native = nativeScmpName();
        for (auto& entry : profile["archMap"]) {
            if (!entry.is_object() || entry.value("architecture", "") != native) continue;
            for (auto& sub : BERTH_TRY(stringList(entry, "subArchitectures", "archMap"))) addArch(sub);
        }
    } else if (profile.contains("architectures")) {
        for (auto& a : BERTH_TRY(stringList(profile, "architectures", "architectures"))) addArch(a);
    }

    if (profile.contains("syscalls") && !profile["syscalls"].is_null()) {
        if (!profile["syscalls"].is_array()) return fail(profileError("syscalls", "must be a list"));
        size_t index = 0;
        for (auto& rule : profile["syscalls"]) {
            std::string where = fmt::format("syscalls[{}]", index++);
            if (!rule.is_object()) return fail(profileError(where, "must be an object"));
            std::vector<std::string> names = BERTH_TRY(stringList(rule, "names", where));
            if (rule.contains("name") && rule["name"].is_string()) names.push_back(rule["name"].get<std::string>());
            if (names.empty()) return fail(profileError(where, "no syscall `names`"));
            where += " (" + names.front() + ")";
            if (!rule.contains("action") || !rule["action"].is_string())
                return fail(profileError(where, "`action` missing"));
            uint32_t action = BERTH_TRY(parseAction(rule["action"].get<std::string>(), rule.value("errnoRet", json()), where));
            if (!BERTH_TRY(filterMatches(rule.value("includes", json()), caps, arches, false, where))) continue;
            if (BERTH_TRY(filterMatches(rule.value("excludes", json()), caps, arches, true, where))) continue;
            auto args = BERTH_TRY(parseArgs(rule, where));
            if (action == defaultAction) continue;  // libseccomp refuses redundant rules

            // Several conditions on one argument can't be ANDed by libseccomp; Docker reads
            // them as alternatives, one rule each.
            std::set<unsigned> seen;
            bool repeated = false;
            for (auto& a : args) repeated |= !seen.insert(a.arg).second;

            for (auto& name : names) {
                int nr = seccomp_syscall_resolve_name(name.c_str());
                if (nr == __NR_SCMP_ERROR) continue;  // not known to this libseccomp/arch
                auto add = [&](const scmp_arg_cmp* a, unsigned n) -> VoidResult {
                    int rc = seccomp_rule_add_array(ctx, action, nr, n, a);
                    if (rc < 0 && rc != -EEXIST)
                        return fail(Error::fromErrno(fmt::format("seccomp profile: {}: add rule for `{}`", where, name), -rc));
                    return {};
                };
                if (repeated) {
                    for (auto& a : args) BERTH_TRYV(add(&a, 1));
                } else {
                    BERTH_TRYV(add(args.data(), unsigned(args.size())));
                }
            }
        }
    }
    return exportProgram(ctx);
}

Result<std::string> defaultSeccompProfile(const std::filesystem::path& replacement) {
    // The profile is compiled into the binary so a misplaced install can't leave containers
    // unconfined; BERTH_SECCOMP_PROFILE (the engine's settings) still replaces it.
    if (!replacement.empty()) return BERTH_TRY_CTX(sys::readFile(replacement), "BERTH_SECCOMP_PROFILE");
    return std::string(kEmbeddedDefaultSeccompProfile);
}

int loadSeccompProgram(const SeccompProgram& program) {
    sock_fprog prog{};
    prog.len = static_cast<unsigned short>(program.instructions.size());
    prog.filter = const_cast<sock_filter*>(program.instructions.data());
    if (::syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) == 0) return 0;
    if (errno != ENOSYS) return errno;
    if (::prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) == 0) return 0;
    return errno;
}

} // namespace berth::runtime

#include "image/reference.h"

#include <algorithm>
#include <cctype>

// The grammar is Docker's (distribution/reference), written out by hand so each failure can
// say what is wrong:
//   reference  := name [ ":" tag ] [ "@" digest ]
//   name       := [domain "/"] path-component ["/" path-component]*
//   domain     := host [":" port]   host := domain-name | "[" ipv6 "]"
//   domain-name-component := [a-zA-Z0-9] | [a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]
//   path-component := [a-z0-9]+ (separator [a-z0-9]+)*   separator := "_" | "__" | "." | "-"+
//   tag        := [\w][\w.-]{0,127}
// Normalisation (ParseNormalizedNamed): the first component is a registry only when it
// contains '.' or ':', is "localhost", or has upper case; otherwise the registry is
// docker.io, and single-component docker.io names get "library/".

namespace berth::image {

namespace {

constexpr std::string_view kDefaultRegistry = "docker.io";
constexpr std::string_view kLegacyRegistry = "index.docker.io";
constexpr std::string_view kOfficialPrefix = "library/";
constexpr size_t kNameMax = 255;

std::unexpected<Error> invalid(std::string_view ref, std::string_view why) {
    return fail(Errc::InvalidArgument, "invalid reference format: " + std::string(why) +
                                           " (in \"" + std::string(ref) + "\")");
}

bool isLowerAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
bool isAlnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }
bool isWord(char c) { return isAlnum(c) || c == '_'; }

bool hasUpper(std::string_view s) {
    return std::any_of(s.begin(), s.end(),
                       [](char c) { return std::isupper(static_cast<unsigned char>(c)); });
}

// Whether the first component of "a/b" names a registry rather than a repository path.
bool looksLikeDomain(std::string_view first) {
    return first.find_first_of(".:") != std::string_view::npos || first == "localhost" || hasUpper(first);
}

// One path component: lowercase alphanumeric runs joined by single separators
// ("_", "__", ".", or any number of "-"). Returns an explanation when invalid.
std::optional<std::string> checkPathComponent(std::string_view c) {
    if (c.empty()) return "empty path component (\"//\" or a trailing \"/\")";
    if (!isLowerAlnum(c.front()))
        return "path component \"" + std::string(c) + "\" must start with a lowercase letter or digit";
    if (!isLowerAlnum(c.back()))
        return "path component \"" + std::string(c) + "\" must end with a lowercase letter or digit";
    size_t i = 0;
    while (i < c.size()) {
        if (isLowerAlnum(c[i])) {
            ++i;
            continue;
        }
        size_t start = i;
        while (i < c.size() && !isLowerAlnum(c[i])) ++i;
        std::string_view sep = c.substr(start, i - start);
        bool ok = sep == "_" || sep == "__" || sep == "." ||
                  std::all_of(sep.begin(), sep.end(), [](char x) { return x == '-'; });
        if (!ok) {
            if (std::any_of(sep.begin(), sep.end(), [](char x) {
                    return x != '-' && x != '_' && x != '.';
                }))
                return "path component \"" + std::string(c) + "\" contains an invalid character";
            return "path component \"" + std::string(c) + "\" has an invalid separator \"" +
                   std::string(sep) + "\"";
        }
    }
    return std::nullopt;
}

std::optional<std::string> checkDomain(std::string_view d) {
    std::string_view host = d;
    std::string_view port;
    if (!d.empty() && d.front() == '[') {
        auto close = d.find(']');
        if (close == std::string_view::npos) return "registry \"" + std::string(d) + "\": unterminated IPv6 address";
        std::string_view v6 = d.substr(1, close - 1);
        if (v6.empty() || !std::all_of(v6.begin(), v6.end(), [](char c) {
                return std::isxdigit(static_cast<unsigned char>(c)) || c == ':';
            }))
            return "registry \"" + std::string(d) + "\": invalid IPv6 address";
        std::string_view rest = d.substr(close + 1);
        if (!rest.empty()) {
            if (rest.front() != ':') return "registry \"" + std::string(d) + "\": junk after IPv6 address";
            port = rest.substr(1);
            if (port.empty()) return "registry \"" + std::string(d) + "\": empty port";
        }
        host = {};
    } else {
        auto colon = d.find(':');
        if (colon != std::string_view::npos) {
            host = d.substr(0, colon);
            port = d.substr(colon + 1);
            if (port.empty()) return "registry \"" + std::string(d) + "\": empty port";
        }
        if (host.empty()) return "registry \"" + std::string(d) + "\": empty host name";
        size_t start = 0;
        while (start <= host.size()) {
            size_t dot = host.find('.', start);
            if (dot == std::string_view::npos) dot = host.size();
            std::string_view comp = host.substr(start, dot - start);
            if (comp.empty() || !isAlnum(comp.front()) || !isAlnum(comp.back()) ||
                !std::all_of(comp.begin(), comp.end(), [](char c) { return isAlnum(c) || c == '-'; }))
                return "registry \"" + std::string(d) + "\": invalid host name";
            start = dot + 1;
        }
    }
    if (!port.empty() && !std::all_of(port.begin(), port.end(),
                                      [](char c) { return c >= '0' && c <= '9'; }))
        return "registry \"" + std::string(d) + "\": port must be a number";
    return std::nullopt;
}

std::optional<std::string> checkTag(std::string_view t) {
    if (t.empty()) return std::string("empty tag after \":\"");
    if (t.size() > 128) return "tag is longer than 128 characters";
    if (!isWord(t.front()))
        return "tag \"" + std::string(t) + "\" must start with a letter, digit or \"_\"";
    for (char c : t)
        if (!isWord(c) && c != '.' && c != '-')
            return "tag \"" + std::string(t) + "\" contains an invalid character (allowed: A-Z a-z 0-9 _ . -)";
    return std::nullopt;
}

} // namespace

Result<Reference> Reference::parse(std::string_view text) {
    if (text.empty()) return fail(Errc::InvalidArgument, "invalid reference format: empty reference");
    if (Digest::isHex(text))
        return fail(Errc::InvalidArgument, "invalid repository name (" + std::string(text) +
                                               "), cannot specify 64-byte hexadecimal strings");

    Reference ref;
    std::string_view rest = text;

    // The name never contains '@', so the first '@' starts the digest.
    if (auto at = rest.find('@'); at != std::string_view::npos) {
        std::string_view digestText = rest.substr(at + 1);
        if (digestText.empty()) return invalid(text, "empty digest after \"@\"");
        auto d = Digest::parse(digestText);
        if (!d) return invalid(text, d.error().message());
        ref.digest = *d;
        rest = rest.substr(0, at);
    }

    // A ':' after the last '/' starts the tag; before it, it is a registry port.
    auto lastSlash = rest.rfind('/');
    auto colon = rest.rfind(':');
    if (colon != std::string_view::npos &&
        (lastSlash == std::string_view::npos || colon > lastSlash)) {
        std::string_view tag = rest.substr(colon + 1);
        if (auto why = checkTag(tag)) return invalid(text, *why);
        ref.tag = std::string(tag);
        rest = rest.substr(0, colon);
    }
    if (rest.empty()) return invalid(text, "repository name must have at least one component");

    std::string_view domain;
    std::string_view remainder = rest;
    auto slash = rest.find('/');
    if (slash != std::string_view::npos) {
        std::string_view first = rest.substr(0, slash);
        if (looksLikeDomain(first)) {
            domain = first;
            remainder = rest.substr(slash + 1);
        }
    }
    if (domain.empty()) {
        ref.registry = std::string(kDefaultRegistry);
    } else {
        if (auto why = checkDomain(domain)) return invalid(text, *why);
        ref.registry = domain == kLegacyRegistry ? std::string(kDefaultRegistry) : std::string(domain);
    }

    if (remainder.empty()) return invalid(text, "repository name must have at least one component");
    if (hasUpper(remainder)) return invalid(text, "repository name must be lowercase");
    size_t start = 0;
    while (true) {
        size_t next = remainder.find('/', start);
        std::string_view comp = remainder.substr(start, next == std::string_view::npos
                                                            ? std::string_view::npos
                                                            : next - start);
        if (auto why = checkPathComponent(comp)) return invalid(text, *why);
        if (next == std::string_view::npos) break;
        start = next + 1;
    }

    ref.repository = std::string(remainder);
    if (ref.registry == kDefaultRegistry && ref.repository.find('/') == std::string::npos)
        ref.repository = std::string(kOfficialPrefix) + ref.repository;
    if (ref.name().size() > kNameMax)
        return invalid(text, "repository name must not be more than 255 characters");

    if (ref.tag.empty() && !ref.digest) ref.tag = "latest";
    return ref;
}

std::string Reference::name() const { return registry + "/" + repository; }

std::string Reference::str() const {
    std::string out = name();
    if (!tag.empty()) out += ":" + tag;
    if (digest) out += "@" + digest->str();
    return out;
}

std::string Reference::familiarName() const {
    if (registry != kDefaultRegistry) return name();
    std::string_view repo = repository;
    if (repo.starts_with(kOfficialPrefix)) {
        std::string_view rest = repo.substr(kOfficialPrefix.size());
        if (rest.find('/') == std::string_view::npos) return std::string(rest);
    }
    // docker.io/evil.example/app shown as "evil.example/app" would name another registry
    // when read back (in a `run`, a script, the window's Run): keep the registry then.
    if (auto slash = repo.find('/'); slash != std::string_view::npos && looksLikeDomain(repo.substr(0, slash)))
        return name();
    return repository;
}

std::string Reference::familiar() const {
    std::string out = familiarName();
    if (!tag.empty()) out += ":" + tag;
    if (digest) out += "@" + digest->str();
    return out;
}

} // namespace berth::image
